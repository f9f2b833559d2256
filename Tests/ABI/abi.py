"""ctypes declarations of the C entry points (Include/parquet_writer.h), used directly:
explicit argtypes/restype on every function, returned strings taken as c_void_p, read, and
freed with free_string; the sink struct of create_writer_with_sink. Also small helpers to
build configurations and read results."""

from __future__ import annotations

import ctypes
import json
import os
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
LIBRARY = Path(os.environ.get("PARQUET_WRITER_LIB") or REPO_ROOT / ".build" / "release" / "libparquet_writer.so")
# "address" when `make test-asan` runs the suite: LIBRARY is then built with AddressSanitizer,
# whose runtime LD_PRELOAD loads first into this process and every child process.
SANITIZER = os.environ.get("PARQUET_WRITER_SANITIZER", "")

ENTRY_POINTS = [
    "abort_writer",
    "close_writer",
    "commit_files",
    "create_writer",
    "create_writer_with_sink",
    "free_string",
    "last_error",
    "parquet_writer_version",
    "schema_from_arrow",
    "write_arrow",
    "write_arrow_stream",
    "write_batch",
    "write_batch_n",
]


# struct parquet_writer_sink's callbacks (see the header's SINKS section).
SINK_OPEN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p))
SINK_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
SINK_FINISH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
SINK_ABORT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
SINK_RELEASE = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class SinkStruct(ctypes.Structure):
    """struct parquet_writer_sink, member for member."""

    _fields_ = [
        ("context", ctypes.c_void_p),
        ("open", SINK_OPEN),
        ("write", SINK_WRITE),
        ("finish", SINK_FINISH),
        ("abort", SINK_ABORT),
        ("release", SINK_RELEASE),
    ]


class ABI:
    """The library loaded with ctypes; every call goes straight to the C function."""

    def __init__(self, path: Path | str = LIBRARY, mode: int = ctypes.DEFAULT_MODE) -> None:
        lib = ctypes.CDLL(str(path), mode=mode)
        lib.create_writer.argtypes = [ctypes.c_char_p]
        lib.create_writer.restype = ctypes.c_void_p
        lib.create_writer_with_sink.argtypes = [ctypes.c_char_p, ctypes.POINTER(SinkStruct)]
        lib.create_writer_with_sink.restype = ctypes.c_void_p
        lib.write_batch.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.write_batch.restype = ctypes.c_void_p
        lib.write_batch_n.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
        lib.write_batch_n.restype = ctypes.c_void_p
        lib.close_writer.argtypes = [ctypes.c_void_p]
        lib.close_writer.restype = ctypes.c_void_p
        lib.commit_files.argtypes = [ctypes.c_void_p]
        lib.commit_files.restype = ctypes.c_void_p
        lib.abort_writer.argtypes = [ctypes.c_void_p]
        lib.abort_writer.restype = None
        lib.free_string.argtypes = [ctypes.c_void_p]
        lib.free_string.restype = None
        lib.last_error.argtypes = []
        lib.last_error.restype = ctypes.c_void_p
        lib.parquet_writer_version.argtypes = []
        lib.parquet_writer_version.restype = ctypes.c_void_p
        # The Arrow structures are passed as addresses (pyarrow's _export_to_c fills them).
        lib.write_arrow.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        lib.write_arrow.restype = ctypes.c_void_p
        lib.write_arrow_stream.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.write_arrow_stream.restype = ctypes.c_void_p
        lib.schema_from_arrow.argtypes = [ctypes.c_void_p]
        lib.schema_from_arrow.restype = ctypes.c_void_p
        self.lib = lib

    # -- raw results ---------------------------------------------------------------------

    def take(self, pointer: int | None) -> dict[str, Any]:
        """Reads a returned string, frees it, and parses it."""
        assert pointer, "the library returned NULL (out of memory?)"
        try:
            text = ctypes.string_at(pointer)
        finally:
            self.lib.free_string(pointer)
        return json.loads(text)

    def last_error(self) -> Any:
        """The calling thread's last error, parsed (None for the text `null`)."""
        pointer = self.lib.last_error()
        assert pointer, "last_error() returned NULL"
        return json.loads(ctypes.string_at(pointer))

    def version(self) -> str:
        return ctypes.string_at(self.lib.parquet_writer_version()).decode()

    # -- calls -----------------------------------------------------------------------------

    def create(self, config: Any) -> int | None:
        """create_writer with a dict (serialised), str or bytes; None passes NULL."""
        if isinstance(config, dict):
            config = json.dumps(config)
        if isinstance(config, str):
            config = config.encode()
        return self.lib.create_writer(config)

    def create_with_sink(self, config: Any, sink: SinkStruct | None) -> int | None:
        """create_writer_with_sink with a dict (serialised), str or bytes; None passes NULL."""
        if isinstance(config, dict):
            config = json.dumps(config)
        if isinstance(config, str):
            config = config.encode()
        return self.lib.create_writer_with_sink(config, ctypes.byref(sink) if sink is not None else None)

    def write(self, writer: int | None, records: Any) -> dict[str, Any]:
        """write_batch with a list of records (JSON array), str or bytes; None passes NULL."""
        if isinstance(records, list):
            records = json.dumps(records)
        if isinstance(records, str):
            records = records.encode()
        return self.take(self.lib.write_batch(writer, records))

    def write_n(self, writer: int | None, data: bytes) -> dict[str, Any]:
        """write_batch_n over a copy of `data` followed by bytes that must not be read."""
        buffer = ctypes.create_string_buffer(data + b"]]]garbage{", len(data) + 11)
        return self.take(self.lib.write_batch_n(writer, buffer, len(data)))

    def close(self, writer: int | None) -> dict[str, Any]:
        return self.take(self.lib.close_writer(writer))

    def commit(self, writer: int | None) -> dict[str, Any]:
        return self.take(self.lib.commit_files(writer))

    def abort(self, writer: int | None) -> None:
        self.lib.abort_writer(writer)


def config(path: Path | str, fields: list[dict[str, Any]] | None = None, **options: Any) -> dict[str, Any]:
    """A configuration for `path`; default schema id int64 (required), name string."""
    if fields is None:
        fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "name", "type": "string"}]
    return {"path": str(path), "schema": {"fields": fields}, **options}


def ndjson(records: list[dict[str, Any]]) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()
