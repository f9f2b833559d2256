"""Reading an Airbyte message stream (a source's ``read`` output) into batches for writers.

An Airbyte source writes one JSON message a line: ``RECORD`` (``{"stream", "namespace",
"data", "emitted_at"}``), ``STATE`` (a checkpoint), ``LOG``, ``TRACE``, ... A destination
must only acknowledge a state once every record before it is durable. :func:`airbyte_batches`
keeps that order for you::

    from parquet_writer import Writer
    from parquet_writer.airbyte import RecordBatch, StateMessage, airbyte_batches

    # mode: a stream's destination_sync_mode ("append" or "overwrite"); the default would refuse
    # a directory an earlier sync wrote.
    writers = {name: Writer(directory=f"out/{name}", json_schema=schema, mode="append") for name, schema in ...}
    for item in airbyte_batches(sys.stdin.buffer):
        if isinstance(item, RecordBatch):
            writers[item.stream].write(item.records)
        elif isinstance(item, StateMessage):
            for w in writers.values():
                w.commit()
            acknowledge(item.message)  # every record before this state is now in committed files
    for w in writers.values():
        w.close()

Memory is bounded by ``batch_rows`` records per stream (plus one line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .errors import ParquetWriterError

try:  # orjson is optional: faster parsing when installed
    import orjson as _orjson

    _loads: Any = _orjson.loads
    _DecodeErrors: Tuple[type, ...] = (_orjson.JSONDecodeError, ValueError, UnicodeDecodeError)
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads
    _DecodeErrors = (ValueError, UnicodeDecodeError)

Line = Union[bytes, bytearray, memoryview, str]

_MALFORMED_POLICIES = ("raise", "skip")


class AirbyteMessageError(ParquetWriterError):
    """A line of an Airbyte message stream that is not a message (code ``malformed_message``).

    ``line`` is its 1-based line number in the input.
    """

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__({"code": "malformed_message", "message": f"line {line}: {message}", "line": line})


@dataclass(frozen=True)
class RecordBatch:
    """Consecutive records of one stream: ``records`` are the RECORD messages' ``data`` dicts."""

    stream: str
    namespace: Optional[str]
    records: List[Dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class StateMessage:
    """A STATE message (the whole message dict). Every record read before it has already been
    yielded in a :class:`RecordBatch`."""

    message: Dict[str, Any]


@dataclass(frozen=True)
class OtherMessage:
    """Any other message (LOG, TRACE, CONTROL, ...), yielded as soon as it is read."""

    message: Dict[str, Any]


def read_messages(lines: Iterable[Line], on_malformed: str = "raise") -> Iterator[Dict[str, Any]]:
    """Parses Airbyte messages, one JSON object a line, from bytes or str lines.

    ``lines`` is any iterable of lines (a binary or text file, ``proc.stdout``, a list).
    Blank lines are skipped. A line that is not a JSON object with a string ``type`` raises
    :class:`AirbyteMessageError` (``on_malformed="raise"``, the default, naming the line
    number) or is skipped (``on_malformed="skip"``).
    """
    if on_malformed not in _MALFORMED_POLICIES:
        raise ValueError(f"on_malformed must be 'raise' or 'skip', not {on_malformed!r}")
    for number, line in enumerate(lines, 1):
        if isinstance(line, memoryview):
            line = line.tobytes()
        if isinstance(line, (bytes, bytearray)):
            if not line.strip():
                continue
        elif isinstance(line, str):
            if not line.strip():
                continue
        else:
            raise TypeError(f"line {number}: lines must be bytes or str, not {type(line).__name__}")
        try:
            message = _loads(line)
        except _DecodeErrors as exc:
            if on_malformed == "skip":
                continue
            raise AirbyteMessageError(number, f"not JSON: {exc}") from None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            if on_malformed == "skip":
                continue
            raise AirbyteMessageError(number, "not an Airbyte message (a JSON object with a string \"type\")")
        yield message


def airbyte_batches(
    lines: Iterable[Line], batch_rows: int = 10_000, *, on_malformed: str = "raise"
) -> Iterator[Union[RecordBatch, StateMessage, OtherMessage]]:
    """Groups an Airbyte message stream into per-stream record batches, states and others.

    Yields, in an order safe for checkpointing:

    * :class:`RecordBatch` for a stream (keyed by stream and namespace) when it has gathered
      ``batch_rows`` records, and for every stream with pending records when a STATE arrives
      or the input ends;
    * :class:`StateMessage` after the batches holding all records read before it, so a state
      can be acknowledged once everything yielded before it is durable;
    * :class:`OtherMessage` for LOG, TRACE and any other type, at once.

    Records of a stream keep their order. A RECORD without a string ``stream`` or an object
    ``data`` is malformed (``on_malformed`` as in :func:`read_messages`). At most
    ``batch_rows`` records per stream are held.
    """
    if not isinstance(batch_rows, int) or batch_rows < 1:
        raise ValueError(f"batch_rows must be a positive integer, not {batch_rows!r}")
    pending: Dict[Tuple[str, Optional[str]], List[Dict[str, Any]]] = {}
    number = 0

    def numbered() -> Iterator[Line]:
        nonlocal number
        for number, line in enumerate(lines, 1):  # noqa: B007 - read by the malformed-record error
            yield line

    for message in read_messages(numbered(), on_malformed):
        kind = message["type"]
        if kind == "RECORD":
            record = message.get("record")
            stream = record.get("stream") if isinstance(record, dict) else None
            data = record.get("data") if isinstance(record, dict) else None
            namespace = record.get("namespace") if isinstance(record, dict) else None
            if not isinstance(stream, str) or not isinstance(data, dict) or not (namespace is None or isinstance(namespace, str)):
                if on_malformed == "skip":
                    continue
                raise AirbyteMessageError(number, "a RECORD needs record.stream (string) and record.data (object)")
            key = (stream, namespace)
            batch = pending.get(key)
            if batch is None:
                batch = pending[key] = []
            batch.append(data)
            if len(batch) >= batch_rows:
                del pending[key]
                yield RecordBatch(stream, namespace, batch)
        elif kind == "STATE":
            yield from _flush(pending)
            yield StateMessage(message)
        else:
            yield OtherMessage(message)
    yield from _flush(pending)


def _flush(pending: Dict[Tuple[str, Optional[str]], List[Dict[str, Any]]]) -> Iterator[RecordBatch]:
    while pending:
        key = next(iter(pending))
        records = pending.pop(key)
        yield RecordBatch(key[0], key[1], records)
