"""Delta Lake tables written by this library and committed through ``deltalake`` (delta-rs).

``pip install 'parquet-writer[delta]'`` (``deltalake>=1.0``). The Parquet files are written by
libparquet_writer under the table's root, in hive partition directories, with unique names;
the commit is one Delta transaction of ``add`` actions built from the writer's own file
summaries (size, partition values, statistics: no footer is read again)::

    from parquet_writer.delta import write_delta

    write_delta("lake/events", records, [("id", "int64"), ("country", "string")],
                partition_by=["country"])                     # version 0 (the table is created)
    write_delta("lake/events", more_records)                   # version 1: the table's schema drives
    write_delta("lake/events", replacement, mode="overwrite")  # version 2: only the new rows

:class:`DeltaWriter` is the same as a context manager (``write()`` any number of times, the
commit on leaving the block, nothing committed when the block raises).
:func:`commit_files` commits the summaries that other processes or engine tasks returned
(:func:`delta_spec` gives them a picklable :class:`~parquet_writer.WriterSpec`), as one
transaction. Until a commit the table is unchanged: files written before a crash are not in
the log (``DeltaTable.vacuum(full=True)`` deletes such orphans once they are older than the
retention period).

Types (native -> Delta): boolean, int8/16/32/64 -> byte/short/integer/long, uint8/16/32 are
written as the next wider signed type (Delta has no unsigned types), float32/64 ->
float/double, string and json -> string, uuid -> string (canonical text), binary and
fixed_binary -> binary, date, decimal, timestamp_ms/us (UTC-adjusted) -> timestamp, local
ones -> timestamp_ntz, list -> array, map, struct. uint64, time_* and timestamp_ns have no
Delta type and are refused (a schema taken from Arrow data turns nanosecond timestamps into
microseconds: each value converts exactly or is rejected). Tables are local paths or ``file://`` URLs; tables using column
mapping, CHECK constraints, invariants, generated or identity columns are refused (their
writers must enforce what this library does not know).
"""

from __future__ import annotations

import json
import math
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Type, Union, cast
from urllib.parse import unquote, urlparse

from ._hive import partition_directories
from .errors import ParquetWriterError
from .spec import WriterSpec
from .writer import RecordsInput, SchemaSpec, Writer, WriteResult, normalize_schema

try:
    import deltalake
    from deltalake import DeltaTable
    from deltalake.transaction import AddAction, CommitProperties, Transaction, create_table_with_add_actions
except ImportError as _missing:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "parquet_writer.delta needs the deltalake package: pip install 'parquet-writer[delta]'"
    ) from _missing

__all__ = [
    "DeltaWriter",
    "add_actions",
    "commit_files",
    "delta_schema",
    "delta_spec",
    "native_schema",
    "write_delta",
]

#: What a commit does to the table's data: add beside it, replace it, or refuse an existing
#: table (``"ignore"``, for :func:`write_delta` only, writes nothing when the table exists).
DeltaMode = Literal["append", "overwrite", "error", "ignore"]
_MODES = ("append", "overwrite", "error", "ignore")
#: The modes of a writer that always writes (``"ignore"`` is decided before one is opened).
WriteMode = Literal["append", "overwrite", "error"]

#: A schema in any of the forms this module takes: native (list or ``{"fields": [...]}``),
#: a ``deltalake.Schema``, or an Arrow schema (``pyarrow.Schema`` or any ``__arrow_c_schema__``).
AnySchema = Union[SchemaSpec, "deltalake.Schema", Any]

#: Writer arguments this module decides itself.
_RESERVED = ("path", "directory", "mode", "write_partition_columns", "json_schema")

#: The commitInfo key that identifies a commit of this module (to learn the version it got).
_COMMIT_ID_KEY = "parquetWriterCommitId"
#: Delta's default for ``delta.dataSkippingNumIndexedCols``: statistics for the first 32 columns.
_DEFAULT_INDEXED_COLUMNS = 32

_INTEGERS = {"int8": "byte", "int16": "short", "int32": "integer", "int64": "long"}
#: Unsigned columns are written as the next wider signed type: every value fits, and readers
#: of the table find the type its schema says.
_WIDENED = {"uint8": "int16", "uint16": "int32", "uint32": "int64"}
_SIMPLE = {"boolean": "boolean", "float32": "float", "float64": "double", "string": "string",
           "json": "string", "uuid": "string", "binary": "binary", "fixed_binary": "binary", "date": "date"}
_REFUSED = {
    "uint64": "Delta has no unsigned 64-bit type; use int64 or decimal(20)",
    "time_ms": "Delta has no time-of-day type", "time_us": "Delta has no time-of-day type",
    "time_ns": "Delta has no time-of-day type",
    "timestamp_ns": "Delta timestamps are microseconds; use timestamp_us",
}
_NATIVE = {"byte": "int8", "short": "int16", "integer": "int32", "long": "int64", "float": "float32",
           "double": "float64", "string": "string", "binary": "binary", "boolean": "boolean", "date": "date"}
_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")
#: A decimal bound's exact text, written into the stats as a JSON number.
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


def _error(code: str, message: str) -> ParquetWriterError:
    return ParquetWriterError({"code": code, "message": message})


# --------------------------------------------------------------------------------------------
# Schemas: native <-> Delta


def delta_schema(schema: AnySchema) -> "deltalake.Schema":
    """The Delta schema of a native schema (or of an Arrow schema, or a ``deltalake.Schema``
    as it is). Raises ``invalid_schema`` naming a column whose type Delta cannot hold."""
    if isinstance(schema, deltalake.Schema):
        return schema
    fields = [_delta_field(f) for f in _native_fields(schema)]
    return deltalake.Schema.from_json(json.dumps({"type": "struct", "fields": fields}))


def native_schema(schema: AnySchema) -> Dict[str, Any]:
    """The native ``{"fields": [...]}`` schema a Delta schema is written with (timestamps as
    ``timestamp_us``); native and Arrow schemas are normalised as :class:`Writer` does."""
    if not isinstance(schema, deltalake.Schema):
        return {"fields": _native_fields(schema)}
    document = json.loads(schema.to_json())
    return {"fields": [_native_field(f) for f in document["fields"]]}


def _native_fields(schema: AnySchema) -> List[Dict[str, Any]]:
    if isinstance(schema, deltalake.Schema):
        return native_schema(schema)["fields"]
    fields = [dict(f) for f in normalize_schema(schema)["fields"]]
    if hasattr(schema, "__arrow_c_schema__"):
        # Arrow data (pandas' datetime64[ns] above all) in nanoseconds: Delta keeps microseconds,
        # and the library converts each value exactly or rejects it as value_out_of_range.
        fields = [_microseconds(f) for f in fields]
    return fields


def _microseconds(field: Mapping[str, Any]) -> Dict[str, Any]:
    out = dict(field)
    if out.get("type") == "timestamp_ns":
        out["type"] = "timestamp_us"
    for key in ("items", "keys", "values"):
        if isinstance(out.get(key), Mapping):
            out[key] = _microseconds(out[key])
    if isinstance(out.get("fields"), list):
        out["fields"] = [_microseconds(f) for f in out["fields"]]
    return out


def _delta_field(field: Mapping[str, Any]) -> Dict[str, Any]:
    name = str(field.get("name"))
    return {"name": name, "type": _delta_type(field, name), "nullable": bool(field.get("nullable", True)),
            "metadata": {}}


def _delta_type(field: Mapping[str, Any], where: str) -> Any:
    kind = str(field.get("type"))
    if kind in _REFUSED:
        raise _error("invalid_schema", f"column {where!r} is {kind}: {_REFUSED[kind]}")
    if kind in _WIDENED:
        return _INTEGERS[_WIDENED[kind]]
    if kind in _INTEGERS:
        return _INTEGERS[kind]
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind in ("timestamp_ms", "timestamp_us"):
        return "timestamp" if field.get("utc", True) else "timestamp_ntz"
    if kind == "decimal":
        return f"decimal({int(field['precision'])},{int(field.get('scale', 0))})"
    if kind == "list":
        items = field["items"]
        return {"type": "array", "elementType": _delta_type(items, f"{where}[]"),
                "containsNull": bool(items.get("nullable", True))}
    if kind == "map":
        keys, values = field["keys"], field["values"]
        return {"type": "map", "keyType": _delta_type(keys, f"{where}.key"),
                "valueType": _delta_type(values, f"{where}.value"),
                "valueContainsNull": bool(values.get("nullable", True))}
    if kind == "struct":
        return {"type": "struct", "fields": [_delta_field(f) for f in field["fields"]]}
    raise _error("invalid_schema", f"column {where!r} has type {kind!r}, which has no Delta counterpart")


def _native_field(field: Mapping[str, Any]) -> Dict[str, Any]:
    native = _native_type(field["type"], str(field["name"]))
    native.update({"name": field["name"], "nullable": bool(field.get("nullable", True))})
    return native


def _native_type(kind: Any, where: str) -> Dict[str, Any]:
    if isinstance(kind, str):
        if kind in _NATIVE:
            return {"type": _NATIVE[kind]}
        if kind in ("timestamp", "timestamp_ntz"):
            return {"type": "timestamp_us", "utc": kind == "timestamp"}
        match = _DECIMAL.fullmatch(kind)
        if match:
            return {"type": "decimal", "precision": int(match.group(1)), "scale": int(match.group(2))}
    elif kind.get("type") == "array":
        items = _native_type(kind["elementType"], f"{where}[]")
        items["nullable"] = bool(kind.get("containsNull", True))
        return {"type": "list", "items": items}
    elif kind.get("type") == "map":
        values = _native_type(kind["valueType"], f"{where}.value")
        values["nullable"] = bool(kind.get("valueContainsNull", True))
        keys = _native_type(kind["keyType"], f"{where}.key")
        keys["nullable"] = False
        return {"type": "map", "keys": keys, "values": values}
    elif kind.get("type") == "struct":
        return {"type": "struct", "fields": [_native_field(f) for f in kind["fields"]]}
    raise _error("invalid_schema", f"column {where!r} has Delta type {kind!r}, which this writer cannot write")


def _writer_field(field: Mapping[str, Any]) -> Dict[str, Any]:
    """A native field as the files store it: unsigned widened, uuid as its text, fixed-size
    binary as binary, field ids dropped (Delta without column mapping resolves by name)."""
    out = {k: v for k, v in field.items() if k != "field_id"}
    kind = str(out.get("type"))
    if kind in _WIDENED:
        out["type"] = _WIDENED[kind]
    elif kind == "uuid":
        out["type"] = "string"
    elif kind == "fixed_binary":
        out["type"] = "binary"
        out.pop("length", None)
    elif kind == "list":
        out["items"] = _writer_field(out["items"])
    elif kind == "map":
        out["keys"], out["values"] = _writer_field(out["keys"]), _writer_field(out["values"])
    elif kind == "struct":
        out["fields"] = [_writer_field(f) for f in out["fields"]]
    return out


def _shape(schema: "deltalake.Schema") -> Dict[str, Any]:
    """Column name -> type, nullability and metadata left out (what must match to append)."""
    def strip(kind: Any) -> Any:
        if isinstance(kind, dict):
            if kind.get("type") == "struct":
                return {"struct": {f["name"]: strip(f["type"]) for f in kind["fields"]}}
            return {k: strip(v) for k, v in kind.items() if k not in ("containsNull", "valueContainsNull")}
        return kind.replace(" ", "")

    return {f["name"]: strip(f["type"]) for f in json.loads(schema.to_json())["fields"]}


def _check_same_schema(table: "deltalake.Schema", given: "deltalake.Schema", uri: str) -> None:
    have, want = _shape(table), _shape(given)
    if have == want:
        return
    problems = [f"{n}: table {json.dumps(have[n])}, data {json.dumps(want[n])}"
                for n in have if n in want and have[n] != want[n]]
    problems += [f"{n}: missing from the data" for n in have if n not in want]
    problems += [f"{n}: not in the table" for n in want if n not in have]
    raise _error("invalid_schema", f"the schema does not match the Delta table at {uri} ({'; '.join(problems)})")


# --------------------------------------------------------------------------------------------
# The table: location, state, what a write must follow


def _local_root(table_uri: "str | os.PathLike[str]") -> str:
    text = os.fspath(table_uri)
    if "://" in text:
        parsed = urlparse(text)
        if parsed.scheme != "file":
            raise _error("invalid_options", f"Delta tables are written to local paths or file:// URLs, not {parsed.scheme}://")
        text = unquote(parsed.path)
    return os.path.abspath(text)


def _partition_columns(partition_by: Union[str, Sequence[Any], None]) -> List[str]:
    """Column names from ``partition_by``: names, or identity ``Partition``/dict entries."""
    if partition_by is None:
        return []
    items = [partition_by] if isinstance(partition_by, (str, Mapping)) else list(partition_by)
    return [_partition_column(item) for item in items]


def _partition_column(item: Any) -> str:
    if isinstance(item, str):
        return item
    entry = dict(item) if isinstance(item, Mapping) else vars(item) if hasattr(item, "__dict__") else {}
    if entry.get("transform", "identity") == "identity" and not entry.get("name") and isinstance(entry.get("column"), str):
        return str(entry["column"])
    raise _error("invalid_options", f"Delta partitions are columns by name, without transforms: {item!r} is not one")


@dataclass(frozen=True)
class _Table:
    """What a write into one Delta table follows: its root, schema and partition columns."""

    #: The table's location: an absolute local path (delta-rs takes it as the table URI).
    root: str
    schema: "deltalake.Schema"
    #: The native schema the files are written with.
    writer_schema: Dict[str, Any]
    partition_by: List[str]
    mode: DeltaMode
    schema_mode: Optional[Literal["overwrite"]]


def _open_table(uri: str) -> Optional["DeltaTable"]:
    return DeltaTable(uri) if DeltaTable.is_deltatable(uri) else None


def _refuse_unsupported_features(table: "DeltaTable", uri: str) -> None:
    configuration = table.metadata().configuration
    if configuration.get("delta.columnMapping.mode", "none") != "none":
        raise _error("invalid_options", f"the Delta table at {uri} uses column mapping, which this writer does not support")
    constraints = [k for k in configuration if k.startswith("delta.constraints.")]
    fields = json.loads(table.schema().to_json())["fields"]
    generated = [f["name"] for f in fields
                 if any(k.startswith(("delta.generationExpression", "delta.identity.", "delta.invariants"))
                        for k in f.get("metadata", {}))]
    if constraints or generated:
        raise _error("invalid_options", f"the Delta table at {uri} has constraints, invariants, generated or "
                     f"identity columns ({', '.join(constraints + generated)}), which this writer cannot enforce")


def _resolve(
    table_uri: "str | os.PathLike[str]",
    schema: Optional[AnySchema],
    partition_by: Union[str, Sequence[Any], None],
    mode: str,
    schema_mode: Optional[str],
) -> _Table:
    """Checks a write against the table (or the table it creates) before anything is written."""
    root = _local_root(table_uri)
    return _resolve_table(root, _open_table(root), schema, partition_by, mode, schema_mode)


def _checked_modes(mode: str, schema_mode: Optional[str]) -> Tuple[DeltaMode, Optional[Literal["overwrite"]]]:
    if mode not in _MODES:
        raise _error("invalid_options", f"unknown mode {mode!r}; expected one of: {', '.join(_MODES)}")
    if schema_mode not in (None, "overwrite"):
        raise _error("invalid_options", f"schema_mode must be None or 'overwrite', not {schema_mode!r}")
    return cast(DeltaMode, mode), cast(Optional[Literal["overwrite"]], schema_mode)


def _resolve_table(
    root: str,
    table: Optional["DeltaTable"],
    schema: Optional[AnySchema],
    partition_by: Union[str, Sequence[Any], None],
    mode: str,
    schema_mode: Optional[str],
) -> _Table:
    write_mode, replace_schema = _checked_modes(mode, schema_mode)
    partitions = _partition_columns(partition_by)
    if table is None:
        if schema is None:
            raise _error("invalid_schema", f"there is no Delta table at {root} yet: give schema= (or Arrow data) to create it")
        return _new_table(root, schema, partitions, write_mode, replace_schema)
    if write_mode == "error":
        raise _error("invalid_options", f"a Delta table exists at {root} (mode='error')")
    return _existing_table(root, table, schema, partition_by, partitions, write_mode, replace_schema)


def _existing_table(root: str, table: "DeltaTable", schema: Optional[AnySchema], partition_by: Any,
                    partitions: List[str], mode: DeltaMode, schema_mode: Optional[Literal["overwrite"]]) -> _Table:
    """A write into a table that exists: its partitioning holds, and its schema unless replaced."""
    _refuse_unsupported_features(table, root)
    existing = table.metadata().partition_columns
    if partition_by is not None and partitions != existing:
        raise _error("invalid_options", f"partition_by {partitions} differs from the Delta table's partition columns {existing}")
    current = table.schema()
    if schema is None:
        return _Table(root, current, _writer_schema(native_schema(current)), existing, mode, schema_mode)
    given = delta_schema(schema)
    fields = _native_fields(schema)
    if not (mode == "overwrite" and schema_mode == "overwrite"):
        _check_same_schema(current, given, root)
        # The given fields keep their units (integers count them); the table's NOT NULLs hold.
        required = {f["name"] for f in json.loads(current.to_json())["fields"] if not f["nullable"]}
        fields = [dict(f, nullable=False) if f["name"] in required else f for f in fields]
        given = current
    return _Table(root, given, _writer_schema({"fields": fields}), existing, mode, schema_mode)


def _new_table(root: str, schema: AnySchema, partitions: List[str], mode: DeltaMode,
               schema_mode: Optional[Literal["overwrite"]]) -> _Table:
    given = delta_schema(schema)
    names = [f["name"] for f in json.loads(given.to_json())["fields"]]
    missing = [p for p in partitions if p not in names]
    if missing:
        raise _error("invalid_options", f"partition column(s) {missing} are not in the schema")
    return _Table(root, given, _writer_schema({"fields": _native_fields(schema)}), partitions, mode, schema_mode)


def _writer_schema(schema: Mapping[str, Any]) -> Dict[str, Any]:
    return {"fields": [_writer_field(f) for f in schema["fields"]]}


# --------------------------------------------------------------------------------------------
# Add actions from file summaries


def add_actions(
    table_uri: "str | os.PathLike[str]",
    files: Iterable[Mapping[str, Any]],
    schema: AnySchema,
    partition_by: Sequence[str] = (),
    configuration: Optional[Mapping[str, str]] = None,
) -> List["AddAction"]:
    """Delta ``add`` actions for files this library wrote under ``table_uri`` (their summaries).

    ``path`` is relative to the root (delta-rs percent-encodes it in the log, so it is given
    decoded: the hive directories' own ``%XX`` escapes are part of the file's name);
    ``partition_values`` are the hive directories' values, unescaped, ``None`` for
    ``__HIVE_DEFAULT_PARTITION__``; ``stats`` holds ``numRecords``, and ``minValues``,
    ``maxValues``, ``nullCount`` for the indexed columns (``delta.dataSkippingNumIndexedCols``,
    default 32, or ``delta.dataSkippingStatsColumns``): only bounds that hold for every row.
    """
    root = Path(_local_root(table_uri)).resolve()
    delta = delta_schema(schema)
    fields = json.loads(delta.to_json())["fields"]
    indexed = _indexed_fields(fields, list(partition_by), configuration or {})
    return [_add_action(root, summary, list(partition_by), indexed) for summary in files]


def _add_action(root: Path, summary: Mapping[str, Any], partition_by: List[str],
                indexed: List[Dict[str, Any]]) -> "AddAction":
    path = Path(str(summary["path"])).resolve()
    try:
        relative = path.relative_to(root)
    except ValueError:
        raise _error("invalid_options", f"{path} is not under the Delta table's root {root} "
                     "(tasks write there with delta_spec(), not a staged WriterSpec)") from None
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise _error("io_error", f"{path} (a file to commit) does not exist") from None
    if stat.st_size != int(summary["bytes"]):
        raise _error("io_error", f"{path} has {stat.st_size} bytes, its summary says {summary['bytes']}")
    return AddAction(
        path=relative.as_posix(),
        size=int(summary["bytes"]),
        partition_values=_partition_values(relative, partition_by),
        modification_time=stat.st_mtime_ns // 1_000_000,
        data_change=True,
        stats=_stats_json(summary, indexed),
    )


def _partition_values(relative: Path, partition_by: List[str]) -> Dict[str, Optional[str]]:
    directories = partition_directories(relative.as_posix())
    if [key for key, _ in directories] != partition_by:
        raise _error("invalid_options", f"{relative.as_posix()} is not in partition directories {partition_by} "
                     "(was it written with this table's partition_by?)")
    return {str(key): value for key, value in directories}


def _indexed_fields(fields: List[Dict[str, Any]], partition_by: List[str],
                    configuration: Mapping[str, str]) -> List[Dict[str, Any]]:
    data = [f for f in fields if f["name"] not in partition_by]
    named = configuration.get("delta.dataSkippingStatsColumns")
    if named:
        wanted = {c.strip().strip("`") for c in named.split(",")}
        return [f for f in data if f["name"] in wanted]
    count = int(configuration.get("delta.dataSkippingNumIndexedCols", _DEFAULT_INDEXED_COLUMNS))
    return data if count < 0 else data[:count]


def _stats_json(summary: Mapping[str, Any], fields: List[Dict[str, Any]]) -> str:
    """Delta's stats JSON. Written by hand: decimals must stay exact numbers (no float)."""
    columns = summary.get("columns") or {}
    minimum, maximum, nulls = _field_stats(fields, columns, prefix="")
    parts = [f'"numRecords":{int(summary["rows"])}']
    if minimum:
        parts.append(f'"minValues":{_object(minimum)}')
    if maximum:
        parts.append(f'"maxValues":{_object(maximum)}')
    if nulls:
        parts.append(f'"nullCount":{_object(nulls)}')
    return "{" + ",".join(parts) + "}"


#: A nested statistics object: name -> JSON text of the value, or a nested object.
_Stats = Dict[str, Any]


def _object(values: _Stats) -> str:
    return "{" + ",".join(f"{json.dumps(k)}:{_object(v) if isinstance(v, dict) else v}" for k, v in values.items()) + "}"


def _field_stats(fields: List[Dict[str, Any]], columns: Mapping[str, Any], prefix: str) -> Tuple[_Stats, _Stats, _Stats]:
    minimum: _Stats = {}
    maximum: _Stats = {}
    nulls: _Stats = {}
    for field in fields:
        name, kind = field["name"], field["type"]
        if "." in name:
            continue  # a dotted name is ambiguous with a struct's child in the summary's keys
        if isinstance(kind, dict):
            if kind.get("type") == "struct":
                low, high, count = _field_stats(kind["fields"], columns, f"{prefix}{name}.")
                for target, part in ((minimum, low), (maximum, high), (nulls, count)):
                    if part:
                        target[name] = part
            continue  # arrays and maps: no statistics, as delta-rs and Spark write none
        column = columns.get(prefix + name)
        if not isinstance(column, Mapping):
            continue
        if "null_count" in column:
            nulls[name] = str(int(column["null_count"]))
        for target, bound in ((minimum, _bound(kind, column.get("min"))), (maximum, _bound(kind, column.get("max")))):
            if bound is not None:
                target[name] = bound
    return minimum, maximum, nulls


def _bound(kind: str, value: Any) -> Optional[str]:
    """A summary bound as Delta stats JSON text, or None when it cannot be given correctly.

    Strings: the library's bounds are valid even truncated (a prefix min, a rounded-up max).
    Binary bounds are base64 text, whose order is not the bytes' order: left out. Floats: the
    library leaves NaN out of the bounds, as delta-rs (arrow-rs) does; infinities have no
    JSON form. Timestamps come as RFC 3339 (``Z`` for UTC), dates ``YYYY-MM-DD``, decimals as
    exact text, which stays an exact JSON number.
    """
    if value is None or kind == "binary":
        return None
    if kind in ("float", "double"):
        return json.dumps(float(value)) if math.isfinite(float(value)) else None
    if kind.startswith("decimal"):
        return str(value) if _JSON_NUMBER.fullmatch(str(value)) else None
    return json.dumps(value)


# --------------------------------------------------------------------------------------------
# Commits


def commit_files(
    table_uri: "str | os.PathLike[str]",
    files: Iterable[Mapping[str, Any]],
    *,
    schema: Optional[AnySchema] = None,
    partition_by: Union[str, Sequence[str], None] = None,
    mode: DeltaMode = "append",
    schema_mode: Optional[Literal["overwrite"]] = None,
    name: Optional[str] = None,
    description: Optional[str] = None,
    configuration: Optional[Mapping[str, Optional[str]]] = None,
    app_id: Optional[str] = None,
    app_version: Optional[int] = None,
) -> int:
    """Commits files written under ``table_uri`` (their summaries, from any number of
    writers or tasks) as ONE Delta transaction, and returns the version of that commit.

    No table yet: it is created (``schema`` required; ``partition_by``, ``name``,
    ``description`` and ``configuration`` are its own) with the files in version 0. An
    existing table: ``"append"`` adds the files, ``"overwrite"`` adds them and removes every
    file the table had in the same commit (``schema_mode="overwrite"`` lets it change the
    schema), ``"error"`` refuses. A given ``schema`` or ``partition_by`` must match the table's.

    ``app_id`` and ``app_version`` make a driver's commit idempotent (Delta's ``txn`` action,
    as Spark's ``txnAppId``/``txnVersion``): when the table already records ``app_version``
    or a later one for ``app_id``, nothing is committed and the current version is returned.
    """
    root = _local_root(table_uri)
    current = _open_table(root)
    table = _resolve_table(root, current, schema, partition_by, mode, schema_mode)
    summaries = list(files)
    if current is not None and app_id is not None and app_version is not None:
        done = current.transaction_version(app_id)
        if done is not None and done >= app_version:
            return current.version()
    actions = add_actions(table.root, summaries, table.schema, table.partition_by,
                          current.metadata().configuration if current is not None else _config(configuration))
    commit_id = uuid.uuid4().hex
    properties = _commit_properties(commit_id, app_id, app_version)
    if current is None:
        create_table_with_add_actions(
            table.root, table.schema, actions, mode="error", partition_by=table.partition_by or None,
            name=name, description=description, configuration=configuration, commit_properties=properties,
        )
        return _committed_version(table.root, commit_id, read_version=-1)
    read_version = current.version()
    commit_mode = "overwrite" if mode == "overwrite" else "append"
    current.create_write_transaction(
        list(actions), commit_mode, table.schema, partition_by=table.partition_by or None,
        commit_properties=properties,
    )
    return _committed_version(table.root, commit_id, read_version)


def _committed_version(root: str, commit_id: str, read_version: int) -> int:
    """The version our commit got. Other writers may commit before and after it (delta-rs
    retries a commit that lost the race), so it is found by its id in the commits' files
    after the version it read (``DeltaTable.history()`` can number entries off by one while
    commits land)."""
    version = read_version + 1
    while True:
        path = Path(root, "_delta_log", f"{version:020d}.json")
        if not path.is_file():
            raise _error("io_error", f"commit {commit_id} is not in the log of the Delta table at {root}")
        if _commit_id(path) == commit_id:
            return version
        version += 1


def _commit_id(path: Path) -> Optional[str]:
    with path.open(encoding="utf-8") as log:
        for line in log:
            info = json.loads(line).get("commitInfo") if '"commitInfo"' in line else None
            if isinstance(info, dict):
                value = info.get(_COMMIT_ID_KEY)
                return str(value) if value is not None else None
    return None


def _config(configuration: Optional[Mapping[str, Optional[str]]]) -> Dict[str, str]:
    return {k: v for k, v in (configuration or {}).items() if v is not None}


def _commit_properties(commit_id: str, app_id: Optional[str], app_version: Optional[int]) -> "CommitProperties":
    """The commit's id in its commitInfo and, for an idempotent driver, its ``txn`` action."""
    if (app_id is None) != (app_version is None):
        raise _error("invalid_options", "app_id and app_version go together")
    transactions = None
    if app_id is not None and app_version is not None:
        transactions = [Transaction(app_id, app_version, int(time.time() * 1000))]
    return CommitProperties(custom_metadata={_COMMIT_ID_KEY: commit_id}, app_transactions=transactions)


# --------------------------------------------------------------------------------------------
# Writing


def _file_prefix(prefix: Optional[str]) -> str:
    """A file name prefix no other writer shares: ``<prefix>-<uuid>``."""
    return f"{prefix or 'part'}-{uuid.uuid4().hex}"


def _check_options(options: Mapping[str, Any]) -> None:
    for key in _RESERVED:
        if key in options:
            raise _error("invalid_options", f"the Delta writer sets {key!r} itself")


class DeltaWriter:
    """Writes batches into a Delta table and commits them as one transaction.

    ``schema`` (native, Arrow or ``deltalake.Schema``) creates the table when there is none
    and must match it when there is one (then it may be left out: the table's schema drives
    the writer). ``partition_by`` are column names (Delta partitions are identity columns);
    ``mode`` is ``"append"``, ``"overwrite"`` (every old file is removed by the same commit)
    or ``"error"``. ``name``, ``description`` and ``configuration`` are used when the table is
    created. Other keyword arguments go to :class:`Writer` (``compression``,
    ``max_rows_per_file``, ``row_group_rows``, ``sort_by``, ...; ``file_prefix`` starts the
    names, a uuid follows). Files go under the table's root in hive directories (the partition
    columns are not stored in them: Delta readers take them from the log).

    :meth:`commit` finishes the files and commits them; the context manager commits when the
    block ends normally and, when it raises, deletes the files and commits nothing::

        with DeltaWriter("lake/events", schema, partition_by=["country"]) as w:
            w.write(batch)
        print(w.version)
    """

    def __init__(
        self,
        table_uri: "str | os.PathLike[str]",
        schema: Optional[AnySchema] = None,
        *,
        partition_by: Union[str, Sequence[str], None] = None,
        mode: WriteMode = "append",
        schema_mode: Optional[Literal["overwrite"]] = None,
        name: Optional[str] = None,
        description: Optional[str] = None,
        configuration: Optional[Mapping[str, Optional[str]]] = None,
        file_prefix: Optional[str] = None,
        **writer_options: Any,
    ) -> None:
        _check_options(writer_options)
        if mode not in ("append", "overwrite", "error"):
            raise _error("invalid_options", f"a DeltaWriter's mode is 'append', 'overwrite' or 'error', not {mode!r}")
        self._table = _resolve(table_uri, schema, partition_by, mode, schema_mode)
        self._commit_options: Dict[str, Any] = {"name": name, "description": description, "configuration": configuration}
        #: The table's version after :meth:`commit`, else None.
        self.version: Optional[int] = None
        self._committing = False
        self._writer = Writer(
            directory=self._table.root, schema=self._table.writer_schema, mode="append",
            partition_by=self._table.partition_by or None, write_partition_columns=False,
            file_prefix=_file_prefix(file_prefix), **writer_options,
        )

    @property
    def table_uri(self) -> str:
        """The table's location (an absolute local path)."""
        return self._table.root

    @property
    def schema(self) -> "deltalake.Schema":
        """The table's Delta schema (as it is, or as the commit creates it)."""
        return self._table.schema

    @property
    def files(self) -> List[Dict[str, Any]]:
        """The summaries of the files finished so far (not yet committed before :meth:`commit`)."""
        return self._writer.files

    def write(self, data: RecordsInput, *, batch_size: Optional[int] = None) -> WriteResult:
        """Writes records, JSON text or Arrow data, as :meth:`Writer.write` does."""
        return self._writer.write(data, batch_size=batch_size)

    def commit(self) -> int:
        """Finishes the files and commits them in one transaction; returns the new version.

        When the commit itself fails, its files stay as orphans (the commit may have reached
        the log before failing, so they are never deleted here). Once committed, it returns
        that version again."""
        if self.version is not None:
            return self.version
        if not self._writer.closed:
            self._writer.close()
        self._committing = True
        t = self._table
        self.version = commit_files(
            t.root, self._writer.files, schema=t.schema, partition_by=t.partition_by, mode=t.mode,
            schema_mode=t.schema_mode, **self._commit_options,
        )
        return self.version

    def abort(self) -> None:
        """Discards everything written: open files and finished ones; the table is unchanged.

        After :meth:`commit` was called (even if it failed) it does nothing: the files may be
        in the table's log."""
        if self._committing:
            return
        finished = list(self._writer.files)
        if not self._writer.closed:
            self._writer.abort()
        for summary in finished:
            try:
                os.remove(summary["path"])
            except FileNotFoundError:
                pass

    def __enter__(self) -> "DeltaWriter":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()

    def __repr__(self) -> str:
        return f"DeltaWriter({self._table.root!r}, mode={self._table.mode!r}, version={self.version})"


def write_delta(
    table_uri: "str | os.PathLike[str]",
    data: RecordsInput,
    schema: Optional[AnySchema] = None,
    *,
    partition_by: Union[str, Sequence[str], None] = None,
    mode: DeltaMode = "append",
    schema_mode: Optional[Literal["overwrite"]] = None,
    name: Optional[str] = None,
    description: Optional[str] = None,
    configuration: Optional[Mapping[str, Optional[str]]] = None,
    **writer_options: Any,
) -> int:
    """Writes ``data`` (records, JSON text, Arrow data, a DataFrame) into the Delta table at
    ``table_uri`` in one commit and returns the table's new version, as
    ``deltalake.write_deltalake`` does with its own writer.

    Without ``schema`` the table's schema is used, or, for a new table, the Arrow data's
    (``mode="ignore"`` returns the current version without writing when the table exists).
    See :class:`DeltaWriter` for the arguments.
    """
    if mode == "ignore":
        existing = _open_table(_local_root(table_uri))
        if existing is not None:
            return existing.version()
        mode = "error"
    if schema is None and _open_table(_local_root(table_uri)) is None:
        schema = _arrow_schema(data)
    with DeltaWriter(table_uri, schema, partition_by=partition_by, mode=cast(WriteMode, mode), schema_mode=schema_mode,
                     name=name, description=description, configuration=configuration, **writer_options) as w:
        w.write(data)
    assert w.version is not None
    return w.version


def _arrow_schema(data: Any) -> Any:
    """The Arrow schema of Arrow data or a DataFrame (through pyarrow), for a new table."""
    schema = getattr(data, "schema", None)
    if schema is not None and hasattr(schema, "__arrow_c_schema__"):
        return schema
    if type(data).__module__.startswith(("pandas", "polars")) or hasattr(data, "__arrow_c_stream__"):
        import pyarrow

        if type(data).__module__.startswith("pandas"):
            return pyarrow.Schema.from_pandas(data, preserve_index=False)
        return pyarrow.table(data).schema
    raise _error("invalid_schema", "a new Delta table needs schema= (or Arrow data, whose schema is used)")


def delta_spec(
    table_uri: "str | os.PathLike[str]",
    schema: Optional[AnySchema] = None,
    *,
    partition_by: Union[str, Sequence[str], None] = None,
    mode: WriteMode = "append",
    prefix: Optional[str] = None,
    **writer_options: Any,
) -> WriterSpec:
    """A picklable :class:`~parquet_writer.WriterSpec` whose tasks write files for the Delta
    table (into its root, unique names, the table's schema and partitioning); commit what they
    return with :func:`commit_files` (same ``schema``, ``partition_by`` and ``mode``)::

        spec = delta_spec("lake/events", schema, partition_by=["country"])
        summaries = client.gather(client.map(spec.write, chunks, range(len(chunks))))
        commit_files("lake/events", [f for s in summaries for f in s], schema=schema,
                     partition_by=["country"])
    """
    _check_options(writer_options)
    table = _resolve(table_uri, schema, partition_by, mode, None)
    return WriterSpec(
        table.root, table.writer_schema, staged=False, prefix=_file_prefix(prefix),
        partition_by=table.partition_by or None, write_partition_columns=False, **writer_options,
    )
