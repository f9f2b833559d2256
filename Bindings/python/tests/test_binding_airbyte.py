"""parquet_writer.airbyte: message parsing, checkpoint-safe batching, and a real source end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterable, Union

import duckdb
import pyarrow.parquet as pq
import pytest

from parquet_writer import (
    AirbyteMessageError,
    OtherMessage,
    ParquetWriterError,
    RecordBatch,
    StateMessage,
    Writer,
    airbyte_batches,
    read_messages,
)

Item = Union[RecordBatch, StateMessage, OtherMessage]


def record(stream: str, i: int, namespace: str | None = None) -> str:
    body: dict[str, Any] = {"stream": stream, "data": {"id": i}, "emitted_at": 0}
    if namespace is not None:
        body["namespace"] = namespace
    return json.dumps({"type": "RECORD", "record": body})


def state(n: int) -> str:
    return json.dumps({"type": "STATE", "state": {"type": "GLOBAL", "data": {"n": n}}})


def log(text: str) -> str:
    return json.dumps({"type": "LOG", "log": {"level": "INFO", "message": text}})


def check_state_order(lines: list[str], items: list[Item]) -> None:
    """Every state comes after batches holding exactly the records read before it."""
    yielded: list[tuple[str, int]] = []
    states = 0
    for item in items:
        if isinstance(item, RecordBatch):
            yielded.extend((item.stream, r["id"]) for r in item.records)
        elif isinstance(item, StateMessage):
            states += 1
            expected = [
                (json.loads(line)["record"]["stream"], json.loads(line)["record"]["data"]["id"])
                for line in lines[: _index_of_state(lines, states)]
                if json.loads(line)["type"] == "RECORD"
            ]
            assert sorted(yielded) == sorted(expected), f"state {states}"
    assert states == sum(json.loads(line)["type"] == "STATE" for line in lines)


def _index_of_state(lines: list[str], nth: int) -> int:
    count = 0
    for index, line in enumerate(lines):
        if json.loads(line)["type"] == "STATE":
            count += 1
            if count == nth:
                return index
    raise AssertionError("no such state")


def test_read_messages_bytes_str_and_blank_lines() -> None:
    lines: list[Any] = [b"", log("a").encode() + b"\n", "  \n", log("b"), bytearray(record("s", 1).encode()), "\n"]
    messages = list(read_messages(lines))
    assert [m["type"] for m in messages] == ["LOG", "LOG", "RECORD"]
    assert messages[1]["log"]["message"] == "b"


@pytest.mark.parametrize("bad", ["{not json", "[1, 2]", '{"no_type": 1}', '"RECORD"'])
def test_read_messages_malformed_raise_and_skip(bad: str) -> None:
    lines = [log("a"), "", bad, log("c")]
    with pytest.raises(AirbyteMessageError) as info:
        list(read_messages(lines))
    assert isinstance(info.value, ParquetWriterError)
    assert info.value.line == 3 and "line 3" in str(info.value)
    assert info.value.code == "malformed_message"
    assert [m["log"]["message"] for m in read_messages(lines, on_malformed="skip")] == ["a", "c"]
    with pytest.raises(ValueError):
        list(read_messages(lines, on_malformed="ignore"))


def test_malformed_record_in_batches() -> None:
    bad = json.dumps({"type": "RECORD", "record": {"stream": "s"}})  # no data
    lines = [record("s", 1), bad, record("s", 2)]
    with pytest.raises(AirbyteMessageError) as info:
        list(airbyte_batches(lines))
    assert info.value.line == 2
    items = list(airbyte_batches(lines, on_malformed="skip"))
    assert items == [RecordBatch("s", None, [{"id": 1}, {"id": 2}])]


def test_states_come_after_their_records_two_streams() -> None:
    lines = [
        record("a", 1), record("b", 1), log("x"), record("a", 2),
        state(1),
        record("b", 2), record("b", 3), record("a", 3),
        state(2),
        state(3),  # no record in between: no empty batch
        record("a", 4),
    ]
    items = list(airbyte_batches(lines, batch_rows=100))
    assert items == [
        OtherMessage(json.loads(lines[2])),
        RecordBatch("a", None, [{"id": 1}, {"id": 2}]),
        RecordBatch("b", None, [{"id": 1}]),
        StateMessage(json.loads(lines[4])),
        RecordBatch("b", None, [{"id": 2}, {"id": 3}]),
        RecordBatch("a", None, [{"id": 3}]),
        StateMessage(json.loads(lines[8])),
        StateMessage(json.loads(lines[9])),
        RecordBatch("a", None, [{"id": 4}]),
    ]
    check_state_order(lines, items)


def test_batch_size_bound_and_namespaces() -> None:
    lines: list[str] = []
    for i in range(23):
        lines.append(record("a", i))
        if i % 2 == 0:
            lines.append(record("a", 1000 + i, namespace="ns"))  # a different stream key
        if i == 16:
            lines.append(state(1))
    items = list(airbyte_batches(lines, batch_rows=5))
    batches = [b for b in items if isinstance(b, RecordBatch)]
    assert all(1 <= len(b.records) <= 5 for b in batches)
    plain = [r["id"] for b in batches if b.namespace is None for r in b.records]
    spaced = [r["id"] for b in batches if b.namespace == "ns" for r in b.records]
    assert plain == list(range(23))
    assert spaced == [1000 + i for i in range(0, 23, 2)]
    # Full batches are yielded as soon as they fill, before the state.
    first = items[0]
    assert isinstance(first, RecordBatch) and first.namespace is None and len(first.records) == 5
    check_state_order(lines, items)
    with pytest.raises(ValueError):
        list(airbyte_batches(lines, batch_rows=0))


def test_batches_are_lazy() -> None:
    """Batches come out while the input is still being read (memory bounded by batch_rows)."""
    consumed = 0

    def lines() -> Iterable[str]:
        nonlocal consumed
        for i in range(1000):
            consumed += 1
            yield record("s", i)

    iterator = airbyte_batches(lines(), batch_rows=10)
    batch = next(iterator)
    assert isinstance(batch, RecordBatch) and len(batch.records) == 10
    assert consumed == 10


# -- end to end with a real Airbyte source ---------------------------------------------------
# airbyte-source-faker in a venv of its own (see test_binding_schemas.py); skipped without it.


def _source_faker() -> str | None:
    return os.environ.get("AIRBYTE_SOURCE_FAKER") or shutil.which("source-faker")


@pytest.mark.skipif(_source_faker() is None, reason="airbyte-source-faker not installed (set AIRBYTE_SOURCE_FAKER)")
def test_source_faker_to_datasets_with_checkpoints(tmp_path: Path) -> None:
    faker = _source_faker()
    assert faker
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"count": 250, "seed": 7, "records_per_slice": 100, "parallelism": 1}))
    discovered = subprocess.run([faker, "discover", "--config", str(config)], capture_output=True, timeout=300, check=True)
    catalog = next(m["catalog"] for m in read_messages(discovered.stdout.splitlines(), on_malformed="skip") if m["type"] == "CATALOG")
    streams = {s["name"]: s for s in catalog["streams"]}
    assert {"users", "products", "purchases"} <= set(streams)
    configured = tmp_path / "catalog.json"
    configured.write_text(json.dumps({"streams": [
        {"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for s in streams.values()
    ]}))

    out = tmp_path / "out"
    writers = {name: Writer(directory=out / name, json_schema=s["json_schema"]) for name, s in streams.items()}
    seen = {name: 0 for name in streams}  # records written, from the batches
    read = {name: 0 for name in streams}  # RECORD lines the source printed so far, counted apart

    def counted(lines: Iterable[bytes]) -> Iterable[bytes]:
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            if isinstance(message, dict) and message.get("type") == "RECORD":
                read[message["record"]["stream"]] += 1
            yield line

    states = 0
    proc = subprocess.Popen(
        [faker, "read", "--config", str(config), "--catalog", str(configured)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        # The source may print lines that are not messages: skip them.
        for item in airbyte_batches(counted(proc.stdout), batch_rows=64, on_malformed="skip"):
            if isinstance(item, RecordBatch):
                assert len(item.records) <= 64
                result = writers[item.stream].write(item.records)
                assert result.rows_written == len(item.records)
                seen[item.stream] += len(item.records)
            elif isinstance(item, StateMessage):
                states += 1
                for w in writers.values():
                    w.commit()
                # The state line has just been read: every record before it must be committed.
                for name in streams:
                    assert committed_rows(out / name) >= read[name], (name, states, read)
                    assert seen[name] == read[name]
        assert proc.wait(timeout=300) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in writers.values():
            if not w.closed:
                w.close()
    assert states > 0
    assert seen == read
    assert all(seen[name] for name in ("users", "products", "purchases")), seen
    for name in streams:
        assert committed_rows(out / name) == seen[name]
        assert sum(f["rows"] for f in writers[name].files) == seen[name]
        if seen[name]:
            glob = str(out / name / "*.parquet")
            (count,) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0]
            (distinct,) = duckdb.sql(f"SELECT count(DISTINCT id) FROM read_parquet('{glob}')").fetchall()[0]
            assert count == seen[name]
            assert distinct == seen[name]


def committed_rows(directory: Path) -> int:
    if not directory.exists():
        return 0
    return sum(pq.ParquetFile(p).metadata.num_rows for p in directory.rglob("*.parquet"))
