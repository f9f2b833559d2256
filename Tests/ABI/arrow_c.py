"""The Arrow C Data Interface from ctypes, for the Arrow tests of the C ABI suite: the three
structures of the specification, exporting pyarrow data into them (`_export_to_c`), calling
write_arrow / write_arrow_stream / schema_from_arrow, hand-built arrays (for malformed input)
and Python-implemented streams, and reading files back with pyarrow, DuckDB and polars into
one comparable form (`canon`)."""

from __future__ import annotations

import ctypes
import datetime
import decimal
import json
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from abi import ABI

ARROW_FLAG_NULLABLE = 2


# -- the structures ---------------------------------------------------------------------------
# Callbacks are declared as c_void_p so a test can read whether `release` is NULL (0/None)
# and store CFUNCTYPE pointers of its own.


class ArrowSchema(ctypes.Structure):
    _fields_ = [
        ("format", ctypes.c_char_p),
        ("name", ctypes.c_char_p),
        ("metadata", ctypes.c_void_p),
        ("flags", ctypes.c_int64),
        ("n_children", ctypes.c_int64),
        ("children", ctypes.c_void_p),
        ("dictionary", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("private_data", ctypes.c_void_p),
    ]


class ArrowArray(ctypes.Structure):
    _fields_ = [
        ("length", ctypes.c_int64),
        ("null_count", ctypes.c_int64),
        ("offset", ctypes.c_int64),
        ("n_buffers", ctypes.c_int64),
        ("n_children", ctypes.c_int64),
        ("buffers", ctypes.c_void_p),
        ("children", ctypes.c_void_p),
        ("dictionary", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("private_data", ctypes.c_void_p),
    ]


class ArrowArrayStream(ctypes.Structure):
    _fields_ = [
        ("get_schema", ctypes.c_void_p),
        ("get_next", ctypes.c_void_p),
        ("get_last_error", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("private_data", ctypes.c_void_p),
    ]


SCHEMA_RELEASE = ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowSchema))
ARRAY_RELEASE = ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArray))
STREAM_GET_SCHEMA = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(ArrowSchema))
STREAM_GET_NEXT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(ArrowArray))
STREAM_GET_LAST_ERROR = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.POINTER(ArrowArrayStream))
STREAM_RELEASE = ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArrayStream))


def call_release(structure: ctypes.Structure) -> None:
    """Calls a structure's release callback (the caller's duty after schema_from_arrow)."""
    assert structure.release, "already released"
    kind = {ArrowSchema: SCHEMA_RELEASE, ArrowArray: ARRAY_RELEASE, ArrowArrayStream: STREAM_RELEASE}[type(structure)]
    kind(structure.release)(ctypes.pointer(structure))
    assert not structure.release, "the release callback did not mark the structure released"


# -- exporting pyarrow data -------------------------------------------------------------------


def as_batch(data: pa.RecordBatch | pa.Table) -> pa.RecordBatch:
    """One record batch of `data` (a table's chunks combined; slices keep their offsets)."""
    if isinstance(data, pa.Table):
        batches = data.to_batches()
        if len(batches) == 1:
            return batches[0]
        return data.combine_chunks().to_batches()[0] if data.num_rows else pa.RecordBatch.from_pylist([], schema=data.schema)
    return data


def export_batch(data: pa.RecordBatch | pa.Table) -> tuple[ArrowSchema, ArrowArray]:
    schema, array = ArrowSchema(), ArrowArray()
    as_batch(data)._export_to_c(ctypes.addressof(array), ctypes.addressof(schema))
    return schema, array


def export_schema(schema: pa.Schema) -> ArrowSchema:
    out = ArrowSchema()
    schema._export_to_c(ctypes.addressof(out))
    return out


def export_stream(data: pa.Table | pa.RecordBatchReader | Iterable[pa.RecordBatch], schema: pa.Schema | None = None) -> ArrowArrayStream:
    if isinstance(data, pa.Table):
        reader = data.to_reader()
    elif isinstance(data, pa.RecordBatchReader):
        reader = data
    else:
        reader = pa.RecordBatchReader.from_batches(schema, list(data))
    stream = ArrowArrayStream()
    reader._export_to_c(ctypes.addressof(stream))
    return stream


def stream_from_capsule(owner: Any) -> ArrowArrayStream:
    """Moves the stream of an object with `__arrow_c_stream__` (polars, pyarrow, DuckDB) into
    a ctypes structure: the capsule's structure is copied and marked released, as a move."""
    capsule = owner.__arrow_c_stream__()
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    address = get_pointer(capsule, b"arrow_array_stream")
    source = ArrowArrayStream.from_address(address)
    stream = ArrowArrayStream()
    ctypes.memmove(ctypes.addressof(stream), address, ctypes.sizeof(ArrowArrayStream))
    source.release = None  # moved: the capsule's destructor now leaves it alone
    return stream


# -- calls ------------------------------------------------------------------------------------


def write_arrow(abi: ABI, writer: int | None, data: pa.RecordBatch | pa.Table) -> dict[str, Any]:
    """Exports `data` and writes it; checks the library released both structures."""
    schema, array = export_batch(data)
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(schema), ctypes.addressof(array)))
    assert not schema.release and not array.release, "write_arrow left a structure unreleased"
    return result


def write_stream(abi: ABI, writer: int | None, data: Any, schema: pa.Schema | None = None) -> dict[str, Any]:
    stream = data if isinstance(data, ArrowArrayStream) else export_stream(data, schema)
    result = abi.take(abi.lib.write_arrow_stream(writer, ctypes.addressof(stream)))
    assert not stream.release, "write_arrow_stream left the stream unreleased"
    return result


def schema_from_arrow(abi: ABI, schema: pa.Schema) -> dict[str, Any]:
    """schema_from_arrow on an exported schema, which is then released here (the caller's)."""
    exported = export_schema(schema)
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(exported)))
    assert exported.release, "schema_from_arrow released a schema it only reads"
    call_release(exported)
    return result


def write_file(
    abi: ABI, path: Path, data: Any, fields: list[dict[str, Any]] | None = None, stream: bool = False, **options: Any
) -> dict[str, Any]:
    """Creates a writer (schema `fields`, else inferred), writes `data`, closes; returns the
    write result."""
    cfg: dict[str, Any] = {"path": str(path), **options}
    if fields is not None:
        cfg["schema"] = {"fields": fields}
    writer = abi.create(cfg)
    assert writer, abi.last_error()
    result = write_stream(abi, writer, data) if stream else write_arrow(abi, writer, data)
    closed = abi.close(writer)
    assert closed["ok"] is True, closed
    return result


# -- hand-built arrays ------------------------------------------------------------------------


class Built:
    """Keeps the Python objects a hand-built structure points to alive, and counts releases."""

    def __init__(self) -> None:
        self.keep: list[Any] = []
        self.releases = 0


def build_schema(fmt: str, name: str = "", children: list[ArrowSchema] | None = None, nullable: bool = True,
                 dictionary: ArrowSchema | None = None, built: Built | None = None) -> ArrowSchema:
    built = built or Built()
    schema = ArrowSchema()
    schema.format = fmt.encode()
    schema.name = name.encode()
    schema.flags = ARROW_FLAG_NULLABLE if nullable else 0
    children = children or []
    schema.n_children = len(children)
    if children:
        pointers = (ctypes.POINTER(ArrowSchema) * len(children))(*[ctypes.pointer(c) for c in children])
        built.keep += [pointers, children]
        schema.children = ctypes.addressof(pointers)
    if dictionary is not None:
        built.keep.append(dictionary)
        schema.dictionary = ctypes.addressof(dictionary)

    def release(pointer: Any) -> None:
        built.releases += 1
        pointer.contents.release = None

    callback = SCHEMA_RELEASE(release)
    built.keep.append(callback)
    schema.release = ctypes.cast(callback, ctypes.c_void_p).value
    schema._built = built  # type: ignore[attr-defined]
    return schema


def buffer(data: bytes) -> ctypes.Array:
    """An 8-byte aligned buffer of `data` (padded)."""
    words = (len(data) + 15) // 8
    out = (ctypes.c_uint64 * words)()
    ctypes.memmove(out, data, len(data))
    return out


def build_array(length: int, buffers: list[bytes | None], children: list[ArrowArray] | None = None, null_count: int = 0,
                offset: int = 0, dictionary: ArrowArray | None = None, n_buffers: int | None = None,
                n_children: int | None = None, built: Built | None = None) -> ArrowArray:
    built = built or Built()
    array = ArrowArray()
    array.length = length
    array.null_count = null_count
    array.offset = offset
    array.n_buffers = len(buffers) if n_buffers is None else n_buffers
    if buffers:
        held = [None if b is None else buffer(b) for b in buffers]
        pointers = (ctypes.c_void_p * len(buffers))(*[None if h is None else ctypes.addressof(h) for h in held])
        built.keep += [held, pointers]
        array.buffers = ctypes.addressof(pointers)
    children = children or []
    array.n_children = len(children) if n_children is None else n_children
    if children:
        pointers = (ctypes.POINTER(ArrowArray) * len(children))(*[ctypes.pointer(c) for c in children])
        built.keep += [pointers, children]
        array.children = ctypes.addressof(pointers)
    if dictionary is not None:
        built.keep.append(dictionary)
        array.dictionary = ctypes.addressof(dictionary)

    def release(pointer: Any) -> None:
        built.releases += 1
        pointer.contents.release = None

    callback = ARRAY_RELEASE(release)
    built.keep.append(callback)
    array.release = ctypes.cast(callback, ctypes.c_void_p).value
    array._built = built  # type: ignore[attr-defined]
    return array


class PythonStream:
    """An ArrowArrayStream implemented in Python: yields `batches` (pyarrow record batches,
    exported on demand), then fails with `error` (an errno and a message) if given, else ends."""

    def __init__(self, schema: pa.Schema, batches: list[pa.RecordBatch], error: tuple[int, str] | None = None,
                 schema_error: tuple[int, str] | None = None) -> None:
        self.schema = schema
        self.batches = list(batches)
        self.error = error
        self.schema_error = schema_error
        self.message = b""
        self.releases = 0
        self.get_next_calls = 0
        self.get_schema_calls = 0
        self.callbacks = [
            STREAM_GET_SCHEMA(self._get_schema),
            STREAM_GET_NEXT(self._get_next),
            STREAM_GET_LAST_ERROR(self._get_last_error),
            STREAM_RELEASE(self._release),
        ]
        self.message_buffer = ctypes.create_string_buffer(1024)
        self.stream = ArrowArrayStream()
        for name, callback in zip(("get_schema", "get_next", "get_last_error", "release"), self.callbacks):
            setattr(self.stream, name, ctypes.cast(callback, ctypes.c_void_p).value)

    def _get_schema(self, stream: Any, out: Any) -> int:
        self.get_schema_calls += 1
        if self.schema_error:
            self._fail(self.schema_error[1])
            return self.schema_error[0]
        self.schema._export_to_c(ctypes.addressof(out.contents))
        return 0

    def _get_next(self, stream: Any, out: Any) -> int:
        self.get_next_calls += 1
        if self.batches:
            self.batches.pop(0)._export_to_c(ctypes.addressof(out.contents))
            return 0
        if self.error:
            self._fail(self.error[1])
            return self.error[0]
        out.contents.release = None  # the end of the stream
        return 0

    def _fail(self, message: str) -> None:
        self.message_buffer.value = message.encode()

    def _get_last_error(self, stream: Any) -> int:
        return ctypes.addressof(self.message_buffer)

    def _release(self, stream: Any) -> None:
        self.releases += 1
        stream.contents.release = None


# -- reading back: one comparable form for every reader ---------------------------------------


EPOCH = datetime.datetime(1970, 1, 1)
EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _micros(value: Any) -> int:
    """A timestamp (naive, aware, pandas) as microseconds since the epoch (aware: UTC)."""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime(warn=False)
    if value.tzinfo is not None:
        delta = value - EPOCH_UTC
    else:
        delta = value - EPOCH
    return delta // datetime.timedelta(microseconds=1)


def canon(value: Any, arrow_type: pa.DataType) -> Any:
    """`value` as read by pyarrow, DuckDB or polars, in one form, directed by the source's
    Arrow type: maps as lists of (key, value) pairs (DuckDB gives dicts, polars lists of
    {key, value}), timestamps as microseconds since the epoch (UTC when zoned), times as
    microseconds, uuids as UUID, binaries as bytes, floats as float, JSON parsed."""
    if value is None:
        return None
    t = arrow_type
    if isinstance(t, pa.BaseExtensionType):
        name = t.extension_name
        if name == "arrow.uuid":
            if isinstance(value, uuid.UUID):
                return value
            if isinstance(value, (bytes, bytearray, memoryview)):
                return uuid.UUID(bytes=bytes(value))
            return uuid.UUID(str(value))
        if name == "arrow.json":
            return json.loads(value) if isinstance(value, (str, bytes)) else value
        t = t.storage_type
    if pa.types.is_dictionary(t):
        return canon(value, t.value_type)
    if pa.types.is_map(t):
        if isinstance(value, dict):
            pairs = list(value.items())
        else:
            pairs = [(e["key"], e["value"]) if isinstance(e, dict) else tuple(e) for e in value]
        return [(canon(k, t.key_type), canon(v, t.item_type)) for k, v in pairs]
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t) or pa.types.is_list_view(t):
        return [canon(v, t.value_type) for v in value]
    if pa.types.is_struct(t):
        return {t.field(i).name: canon(value.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_timestamp(t):
        return _micros(value)
    if pa.types.is_time(t):
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    if pa.types.is_date(t):
        return value.date() if isinstance(value, datetime.datetime) else value
    if pa.types.is_floating(t):
        return float(value)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_binary_view(t):
        return bytes(value)
    if pa.types.is_decimal(t):
        return decimal.Decimal(value)
    return value


def canon_rows(rows: list[dict[str, Any]], schema: pa.Schema) -> list[dict[str, Any]]:
    return [{f.name: canon(row.get(f.name), f.type) for f in schema} for row in rows]


def read_pyarrow(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


def read_duckdb(path: Path) -> list[dict[str, Any]]:
    connection = duckdb.connect()
    try:
        cursor = connection.execute(f"SELECT * FROM read_parquet('{path}')")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        connection.close()


def read_polars(path: Path) -> list[dict[str, Any]]:
    return pl.read_parquet(path).to_dicts()


READERS: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    "pyarrow": read_pyarrow,
    "duckdb": read_duckdb,
    "polars": read_polars,
}


def assert_read_back(path: Path, source: pa.Table | pa.RecordBatch, readers: Iterable[str] = READERS) -> None:
    """Every reader returns the source's rows, value for value (in `canon` form)."""
    expected = canon_rows(source.to_pylist(), source.schema)
    for name in readers:
        got = canon_rows(READERS[name](path), source.schema)
        assert len(got) == len(expected), (name, len(got), len(expected))
        for row, (g, e) in enumerate(zip(got, expected)):
            assert g == e, f"{name} row {row}:\n got      {g}\n expected {e}"
