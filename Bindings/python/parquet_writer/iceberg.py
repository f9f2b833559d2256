"""Apache Iceberg tables written by this library and committed through pyiceberg.

Needs pyiceberg (``pip install 'parquet-writer[iceberg]'``). The table drives the writer: its
current schema (with its field ids, written into every file) and its partition spec (identity,
year, month, day and hour transforms become ``partition_by``). The files go under the
table's data location; nothing references them until one transaction appends them all, built
from the writer's own file summaries (partition values from the hive paths, counts and bounds
from the summaries' statistics: no footer is read back). A crash before the commit leaves the
table as it was (the files written so far are orphans that nothing references)::

    from parquet_writer.iceberg import IcebergWriter

    with IcebergWriter(table) as w:        # leaving the block commits one snapshot
        w.write(records)                   # dicts, JSON text, Arrow, pandas: as Writer.write
    print(w.snapshot.snapshot_id)

Fan-out: tasks call :meth:`IcebergWriter.close` (or :func:`iceberg_writer_spec` with an
engine) and return the summaries; the driver calls :func:`commit_files` once.
"""

from __future__ import annotations

import base64
import os
import posixpath
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import TracebackType
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type
from urllib.parse import unquote

try:
    from pyiceberg.conversions import to_bytes
    from pyiceberg.exceptions import CommitFailedException
    from pyiceberg.expressions import AlwaysTrue
    from pyiceberg.io.pyarrow import MetricModeTypes, MetricsMode, match_metrics_mode
    from pyiceberg.manifest import DataFile, DataFileContent, FileFormat
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table import Table
    from pyiceberg.table.snapshots import Snapshot
    from pyiceberg.table.sorting import NullOrder, SortDirection, SortOrder
    from pyiceberg.transforms import (
        DayTransform,
        HourTransform,
        IdentityTransform,
        MonthTransform,
        TruncateTransform,
        YearTransform,
    )
    from pyiceberg.typedef import Record
    from pyiceberg.utils.truncate import truncate_upper_bound_binary_string, truncate_upper_bound_text_string
    from pyiceberg.types import (
        BinaryType,
        BooleanType,
        DateType,
        DecimalType,
        DoubleType,
        FixedType,
        FloatType,
        IcebergType,
        IntegerType,
        ListType,
        LongType,
        MapType,
        NestedField,
        PrimitiveType,
        StringType,
        StructType,
        TimestampNanoType,
        TimestampType,
        TimestamptzNanoType,
        TimestamptzType,
        TimeType,
        UUIDType,
    )
except ImportError as exc:  # pragma: no cover - exercised only without pyiceberg
    raise ImportError(
        "parquet_writer.iceberg needs pyiceberg with pyarrow: pip install 'parquet-writer[iceberg]'"
    ) from exc

from ._hive import HIVE_NULL, partition_directories
from .errors import ParquetWriterError
from .spec import WriterSpec
from .writer import Partition, RecordsInput, WriteResult, Writer

__all__ = [
    "HIVE_NULL",
    "IcebergWriter",
    "commit_files",
    "data_files",
    "data_location",
    "iceberg_writer_spec",
    "partition_by_from_spec",
    "sort_by_from_order",
    "schema_from_iceberg",
    "schema_to_iceberg",
    "write_iceberg",
    "writer_options_from_properties",
]


#: Snapshot summary key holding the job id given to :func:`commit_files` (exactly-once commits).
JOB_PROPERTY = "parquet-writer.job"

#: Commit modes: ``append`` adds the files; ``overwrite`` replaces every data file of the table.
COMMIT_MODES = ("append", "overwrite")


def _invalid(message: str, code: str = "invalid_options") -> ParquetWriterError:
    return ParquetWriterError({"code": code, "message": message})


# -- schemas ----------------------------------------------------------------------------------

#: Iceberg primitive types (by class) and their native type objects.
_PRIMITIVE_TO_NATIVE: Dict[type, Dict[str, Any]] = {
    BooleanType: {"type": "boolean"},
    IntegerType: {"type": "int32"},
    LongType: {"type": "int64"},
    FloatType: {"type": "float32"},
    DoubleType: {"type": "float64"},
    DateType: {"type": "date"},
    TimeType: {"type": "time_us"},
    TimestampType: {"type": "timestamp_us", "utc": False},
    TimestamptzType: {"type": "timestamp_us", "utc": True},
    TimestampNanoType: {"type": "timestamp_ns", "utc": False},
    TimestamptzNanoType: {"type": "timestamp_ns", "utc": True},
    StringType: {"type": "string"},
    UUIDType: {"type": "uuid"},
    BinaryType: {"type": "binary"},
}


def schema_from_iceberg(schema: Schema) -> Dict[str, Any]:
    """The native schema (``{"fields": [...]}``) of an Iceberg schema, every field (list
    elements, map keys and values included) carrying its Iceberg ``field_id``; required
    fields are ``nullable: false``.

    Raises ``invalid_schema`` for a type the library cannot write (geometry, variant, ...).
    """
    return {"fields": [_native_field(field) for field in schema.fields]}


def _native_field(field: NestedField) -> Dict[str, Any]:
    native = {"name": field.name, **_native_type(field.field_type, field.name)}
    native["nullable"] = not field.required
    native["field_id"] = field.field_id
    return native


def _native_element(field_id: int, field_type: IcebergType, required: bool, where: str) -> Dict[str, Any]:
    return {**_native_type(field_type, where), "nullable": not required, "field_id": field_id}


def _native_type(field_type: IcebergType, where: str) -> Dict[str, Any]:
    if isinstance(field_type, StructType):
        return {"type": "struct", "fields": [_native_field(f) for f in field_type.fields]}
    if isinstance(field_type, ListType):
        items = _native_element(field_type.element_id, field_type.element_type, field_type.element_required, where)
        return {"type": "list", "items": items}
    if isinstance(field_type, MapType):
        keys = _native_element(field_type.key_id, field_type.key_type, True, where)
        values = _native_element(field_type.value_id, field_type.value_type, field_type.value_required, where)
        return {"type": "map", "keys": keys, "values": values}
    if isinstance(field_type, DecimalType):
        return {"type": "decimal", "precision": field_type.precision, "scale": field_type.scale}
    if isinstance(field_type, FixedType):
        return {"type": "fixed_binary", "length": len(field_type)}
    native = _PRIMITIVE_TO_NATIVE.get(type(field_type))
    if native is None:
        raise _invalid(f"field {where!r}: the Iceberg type {field_type} has no Parquet type here", "invalid_schema")
    return dict(native)


#: Native type names and the Iceberg type each becomes (narrow integers widen, json is text).
_NATIVE_TO_PRIMITIVE: Dict[str, Callable[[Mapping[str, Any]], PrimitiveType]] = {
    "boolean": lambda f: BooleanType(),
    "int8": lambda f: IntegerType(),
    "int16": lambda f: IntegerType(),
    "int32": lambda f: IntegerType(),
    "uint8": lambda f: IntegerType(),
    "uint16": lambda f: IntegerType(),
    "int64": lambda f: LongType(),
    "uint32": lambda f: LongType(),
    "float32": lambda f: FloatType(),
    "float64": lambda f: DoubleType(),
    "string": lambda f: StringType(),
    "json": lambda f: StringType(),
    "binary": lambda f: BinaryType(),
    "uuid": lambda f: UUIDType(),
    "date": lambda f: DateType(),
    "time_ms": lambda f: TimeType(),
    "time_us": lambda f: TimeType(),
    "time_ns": lambda f: TimeType(),
    "timestamp_ms": lambda f: TimestamptzType() if f.get("utc", True) else TimestampType(),
    "timestamp_us": lambda f: TimestamptzType() if f.get("utc", True) else TimestampType(),
    "timestamp_ns": lambda f: TimestamptzNanoType() if f.get("utc", True) else TimestampNanoType(),
    "fixed_binary": lambda f: FixedType(int(f["length"])),
    "decimal": lambda f: DecimalType(int(f["precision"]), int(f.get("scale", 0))),
}


class _Ids:
    """Field ids: the ones a schema gives are kept, the others are fresh (above every given one)."""

    def __init__(self, used: Iterable[int]) -> None:
        self._next = max(used, default=0) + 1

    def take(self, spec: Mapping[str, Any]) -> int:
        given = spec.get("field_id")
        if given is not None:
            return int(given)
        self._next += 1
        return self._next - 1


def schema_to_iceberg(native_schema: Any) -> Schema:
    """The Iceberg schema of a native schema (anything :class:`~parquet_writer.Writer` takes as
    ``schema``). Field ids given as ``field_id`` are kept; fields without one get fresh ids
    above the highest given. ``nullable: false`` is ``required``. int8/int16/uint8/uint16
    become int, uint32 long, json string, time_ms/time_ns time, timestamp_ms timestamp(tz);
    uint64 has no Iceberg type (``invalid_schema``).

    Note that ``catalog.create_table`` assigns fresh ids to the schema it is given; write with
    the table's schema (:class:`IcebergWriter` does), not with this one.
    """
    from .writer import normalize_schema

    fields = normalize_schema(native_schema)["fields"]
    ids = _Ids(_given_ids(fields))
    return Schema(*[_iceberg_field(f, ids) for f in fields])


def _given_ids(fields: Iterable[Mapping[str, Any]]) -> List[int]:
    found: List[int] = []
    for spec in fields:
        if spec.get("field_id") is not None:
            found.append(int(spec["field_id"]))
        children = list(spec.get("fields") or ())
        children += [spec[key] for key in ("items", "keys", "values") if isinstance(spec.get(key), Mapping)]
        found += _given_ids(children)
    return found


def _iceberg_field(spec: Mapping[str, Any], ids: _Ids) -> NestedField:
    field_id = ids.take(spec)
    name = str(spec["name"])
    return NestedField(field_id, name, _iceberg_type(spec, ids, name), required=not spec.get("nullable", True))


def _iceberg_type(spec: Mapping[str, Any], ids: _Ids, where: str) -> IcebergType:
    kind = spec.get("type")
    if kind == "struct":
        return StructType(*[_iceberg_field(f, ids) for f in spec.get("fields") or ()])
    if kind == "list":
        items = spec["items"]
        element_id = ids.take(items)
        return ListType(element_id, _iceberg_type(items, ids, where), element_required=not items.get("nullable", True))
    if kind == "map":
        keys, values = spec["keys"], spec["values"]
        key_id, value_id = ids.take(keys), ids.take(values)
        return MapType(
            key_id, _iceberg_type(keys, ids, where), value_id, _iceberg_type(values, ids, where),
            value_required=not values.get("nullable", True),
        )
    make = _NATIVE_TO_PRIMITIVE.get(str(kind))
    if make is None:
        raise _invalid(f"field {where!r}: the type {kind!r} has no Iceberg type", "invalid_schema")
    return make(spec)


# -- partition spec -----------------------------------------------------------------------------

#: Iceberg transforms the library's partition_by implements, by class.
_TRANSFORMS: Dict[type, str] = {
    IdentityTransform: "identity",
    YearTransform: "year",
    MonthTransform: "month",
    DayTransform: "day",
    HourTransform: "hour",
}

#: Iceberg types the library partitions by identity (integers, booleans, strings, dates).
_IDENTITY_TYPES = (IntegerType, LongType, BooleanType, StringType, DateType)


@dataclass(frozen=True)
class _Level:
    """One partition field of the spec as the writer sees it."""

    field: PartitionField
    transform: str
    source_type: PrimitiveType


def _levels(spec: PartitionSpec, schema: Schema) -> List[_Level]:
    levels = []
    for field in spec.fields:
        transform = _TRANSFORMS.get(type(field.transform))
        if transform is None:
            raise _invalid(
                f"partition field {field.name!r} uses the Iceberg transform {field.transform}, which "
                "parquet_writer cannot apply (identity, year, month, day and hour are supported)"
            )
        column = schema.find_column_name(field.source_id)
        if column is None or "." in column:
            raise _invalid(f"partition field {field.name!r}: its source {column!r} is not a top-level column")
        source_type = schema.find_field(field.source_id).field_type
        if transform == "identity" and not isinstance(source_type, _IDENTITY_TYPES):
            raise _invalid(
                f"partition field {field.name!r}: identity partitioning of a {source_type} column is not "
                "supported (integer, boolean, string and date columns are)"
            )
        assert isinstance(source_type, PrimitiveType)
        levels.append(_Level(field, transform, source_type))
    return levels


def partition_by_from_spec(spec: PartitionSpec, schema: Schema) -> List[Partition]:
    """The writer's ``partition_by`` for an Iceberg partition spec: one
    :class:`~parquet_writer.Partition` per partition field, named as the field (so the
    directories read ``<field name>=<value>``). bucket, truncate, void and other transforms
    raise ``invalid_options`` naming the transform."""
    return [
        Partition(str(schema.find_column_name(level.field.source_id)), level.transform, name=level.field.name)
        for level in _levels(spec, schema)
    ]


def sort_by_from_order(order: SortOrder, schema: Schema) -> Optional[List[Dict[str, Any]]]:
    """The writer's ``sort_by`` for an Iceberg sort order, or None when the order is unsorted or
    not one the writer can apply (a transform other than identity, a nested or non-primitive
    column): files are then written unsorted, which an Iceberg writer may do."""
    keys = []
    for field in order.fields:
        column = schema.find_column_name(field.source_id)
        if not isinstance(field.transform, IdentityTransform) or column is None or "." in column:
            return None
        if not schema.find_field(field.source_id).field_type.is_primitive:
            return None
        keys.append({
            "column": column,
            "descending": field.direction == SortDirection.DESC,
            "nulls_first": field.null_order == NullOrder.NULLS_FIRST,
        })
    return keys or None


# -- table properties -----------------------------------------------------------------------------

#: Iceberg write properties and the writer options they set.
_PROPERTY_OPTIONS: Dict[str, Tuple[str, Callable[[str], Any]]] = {
    "write.parquet.compression-codec": ("compression", lambda v: "none" if v.lower() == "uncompressed" else v.lower()),
    "write.parquet.compression-level": ("compression_level", int),
    "write.parquet.row-group-limit": ("row_group_rows", int),
    "write.parquet.row-group-size-bytes": ("row_group_bytes", int),
    "write.parquet.page-size-bytes": ("page_bytes", int),
    "write.target-file-size-bytes": ("max_bytes_per_file", int),
}


def writer_options_from_properties(properties: Mapping[str, str]) -> Dict[str, Any]:
    """Writer options from an Iceberg table's write properties: the Parquet codec and level,
    row-group rows and bytes, page bytes and the target file size (as ``max_bytes_per_file``).
    The codec defaults to zstd, as Iceberg's does."""
    options: Dict[str, Any] = {"compression": "zstd"}
    for key, (option, parse) in _PROPERTY_OPTIONS.items():
        value = properties.get(key)
        if value is not None and str(value).strip().lower() not in ("", "null"):
            options[option] = parse(str(value).strip())
    return options


def data_location(table: Table) -> str:
    """Where the table's data files go: ``write.data.path``, else ``<table location>/data``."""
    configured = table.properties.get("write.data.path")
    return (configured or f"{table.location().rstrip('/')}/data").rstrip("/")


def _local_or_url(location: str) -> str:
    """A ``file:`` location as a local path (what the writer takes); other URLs as they are."""
    if location.startswith("file://"):
        return unquote(location[len("file://"):])
    if location.startswith("file:/"):
        return unquote(location[len("file:"):])
    return location


# -- writing -----------------------------------------------------------------------------------------

#: Writer options an Iceberg writer decides itself.
_RESERVED = (
    "path", "directory", "schema", "json_schema", "partition_by", "write_partition_columns", "mode", "file_prefix",
)


def _writer_arguments(table: Table, options: Mapping[str, Any]) -> Tuple[Dict[str, Any], Optional[int]]:
    """The Writer's keyword arguments for ``table``, and the id of the table's sort order when
    the files follow it (``sort_by`` not given and the order applicable)."""
    reserved = sorted(set(options) & set(_RESERVED))
    if reserved:
        raise _invalid(f"the Iceberg table decides {', '.join(map(repr, reserved))}; it is not an option here")
    arguments = writer_options_from_properties(table.properties)
    arguments.update(options)
    sort_order_id = None
    if "sort_by" not in options:
        keys = sort_by_from_order(table.sort_order(), table.schema())
        if keys is not None:
            arguments["sort_by"] = keys
            sort_order_id = table.sort_order().order_id
    arguments.update(
        schema=schema_from_iceberg(table.schema()),
        partition_by=partition_by_from_spec(table.spec(), table.schema()),
        # Iceberg readers read identity partition columns from the files: they must be there.
        write_partition_columns=True,
    )
    return arguments, sort_order_id


class IcebergWriter:
    """Writes records into an Iceberg table's data location and commits them in one snapshot.

    ``table`` is a pyiceberg :class:`~pyiceberg.table.Table`; its current schema and partition
    spec decide the columns (with their field ids) and ``partition_by``, its sort order
    ``sort_by`` (identity transforms; the files then record the order's id), its properties the
    codec, row-group and file sizes (:func:`writer_options_from_properties`). ``writer_options``
    are further :class:`~parquet_writer.Writer` keyword arguments (``max_rows_per_file``,
    ``sort_by``, ``on_invalid``, ``threads``, ``storage_options``, ...), overriding the
    table's. ``mode="overwrite"`` replaces every data file of the table at the commit;
    ``snapshot_properties`` go into the snapshot summary.

    Every writer's file names start with ``<prefix>-<random uuid>``, so writers in parallel
    never clash. As a context manager, leaving the block normally commits (:meth:`commit`)
    unless :meth:`close` handed the files to a driver, and leaving it by an exception aborts
    (:meth:`abort`): the table stays unchanged. A failed commit keeps the files (see
    :attr:`files`), so :func:`commit_files` can be retried with them.
    """

    def __init__(
        self,
        table: Table,
        *,
        mode: str = "append",
        snapshot_properties: Optional[Mapping[str, str]] = None,
        prefix: str = "data",
        **writer_options: Any,
    ) -> None:
        if mode not in COMMIT_MODES:
            raise _invalid(f"unknown mode {mode!r}; expected one of: {', '.join(COMMIT_MODES)}")
        self.table = table
        self.mode = mode
        self.snapshot_properties: Dict[str, str] = dict(snapshot_properties or {})
        #: The table's data location (a URI), under which the files go.
        self.location = data_location(table)
        #: This writer's file name prefix (unique per writer).
        self.file_prefix = f"{prefix}-{uuid.uuid4()}"
        #: The snapshot :meth:`commit` created, or None before.
        self.snapshot: Optional[Snapshot] = None
        self._commit_attempted = False
        arguments, self._sort_order_id = _writer_arguments(table, writer_options)
        self._writer = Writer(
            directory=_local_or_url(self.location), mode="append", file_prefix=self.file_prefix, **arguments
        )

    @property
    def files(self) -> List[Dict[str, Any]]:
        """Summaries of the files finished so far (see :attr:`parquet_writer.Writer.files`)."""
        return self._writer.files

    def write(self, records: RecordsInput, **kwargs: Any) -> WriteResult:
        """Writes records: anything :meth:`parquet_writer.Writer.write` takes (dicts, JSON
        text, Arrow data, pandas). Nothing is visible in the table before :meth:`commit`."""
        return self._writer.write(records, **kwargs)

    def close(self) -> List[Dict[str, Any]]:
        """Finishes every file without committing; returns the summaries, for a driver's
        :func:`commit_files` (what a task of a fanned-out job returns)."""
        if not self._writer.closed:
            self._writer.close()
        return self._writer.files

    def commit(self) -> Optional[Snapshot]:
        """Finishes the files and commits them to the table in one transaction; returns the new
        snapshot (None when there was nothing to append in ``append`` mode)."""
        files = self.close()
        self._commit_attempted = True
        self.snapshot = commit_files(
            self.table, files, root=self.location, mode=self.mode, snapshot_properties=self.snapshot_properties,
            sort_order_id=self._sort_order_id,
        )
        return self.snapshot

    def abort(self) -> None:
        """Discards the open files and deletes the finished ones (best effort); the table is
        unchanged. After a crash, the files are orphans that no snapshot references. Once a
        commit was attempted the files are left alone (the table may reference them)."""
        self._writer.abort()
        if self._commit_attempted:
            return
        for summary in self._writer.files:
            try:
                os.unlink(str(summary["path"]))
            except OSError:
                pass

    def __enter__(self) -> "IcebergWriter":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if exc_type is not None:
            self.abort()
        elif self.snapshot is None and not self._writer.closed:
            self.commit()


def write_iceberg(table: Table, data: RecordsInput, *, mode: str = "append", **writer_options: Any) -> Optional[Snapshot]:
    """Writes ``data`` into ``table`` and commits it in one snapshot (``mode`` ``"append"`` or
    ``"overwrite"``), as pyiceberg's ``table.append``/``table.overwrite`` do with the files
    written by this library; returns the snapshot. See :class:`IcebergWriter`."""
    with IcebergWriter(table, mode=mode, **writer_options) as writer:
        writer.write(data)
    return writer.snapshot


def iceberg_writer_spec(table: Table, *, prefix: str = "data", **writer_options: Any) -> WriterSpec:
    """A picklable :class:`~parquet_writer.WriterSpec` whose tasks write straight into the
    table's data location (``staged=False``: Iceberg's commit is its metadata, not a rename);
    the driver passes the summaries the tasks return to :func:`commit_files`. The tasks sort
    by the table's sort order when :func:`sort_by_from_order` can apply it; pass
    ``sort_order_id=table.sort_order().order_id`` to :func:`commit_files` to record that."""
    arguments, _ = _writer_arguments(table, writer_options)
    schema = arguments.pop("schema")
    return WriterSpec(
        _local_or_url(data_location(table)), schema, staged=False, prefix=f"{prefix}-{uuid.uuid4()}", **arguments
    )


# -- committing ----------------------------------------------------------------------------------------


def commit_files(
    table: Table,
    files: Iterable[Mapping[str, Any]],
    *,
    root: Optional[str] = None,
    mode: str = "append",
    job: Optional[str] = None,
    snapshot_properties: Optional[Mapping[str, str]] = None,
    sort_order_id: Optional[int] = None,
) -> Optional[Snapshot]:
    """Commits files written by this library (their summaries, as :attr:`Writer.files` or
    :meth:`IcebergWriter.close` list them) to ``table`` in ONE transaction; returns the new
    snapshot.

    ``root`` is the directory the files were written under (their hive partition paths are
    relative to it), by default the table's data location. ``mode="append"`` adds a fast-append
    snapshot (none when ``files`` is empty), refreshing the table and trying again when another
    writer committed first (``commit.retry.num-retries``, default 4); ``"overwrite"`` removes
    every data file of the table and adds ``files`` in one overwrite snapshot (a concurrent
    commit makes it fail rather than be replayed). With ``job``, the snapshot records it
    (summary key ``parquet-writer.job``) and a job already committed to this table is not
    committed again: the snapshot that committed it is returned, so a driver may retry.
    ``sort_order_id`` records that every file is sorted by that sort order of the table
    (:class:`IcebergWriter` passes it when it sorted by the table's order).
    Nothing is read from the files: see :func:`data_files` for how their metadata is made.
    """
    if mode not in COMMIT_MODES:
        raise _invalid(f"unknown mode {mode!r}; expected one of: {', '.join(COMMIT_MODES)}")
    properties = dict(snapshot_properties or {})
    if job is not None:
        properties[JOB_PROPERTY] = job
    summaries = list(files)
    retries = int(table.properties.get("commit.retry.num-retries", "4"))
    for attempt in range(retries + 1):
        done = _job_snapshot(table, job) if job is not None else None
        if done is not None:
            return done
        new_files = data_files(table, summaries, root=root, sort_order_id=sort_order_id)
        if mode == "append" and not new_files:
            return None
        try:
            return _commit(table, new_files, mode, properties)
        except CommitFailedException:
            # Another writer committed first. An append is still valid on top of it: refresh and
            # try again (pyiceberg >= 0.12 retries inside the transaction first). An overwrite
            # was decided against the snapshot it saw, so it is not replayed.
            if mode != "append" or attempt == retries:
                raise
            table.refresh()
    raise AssertionError("unreachable")


def _commit(table: Table, new_files: Sequence[DataFile], mode: str, properties: Dict[str, str]) -> Optional[Snapshot]:
    """One transaction: a fast append, or an overwrite of every current data file."""
    with table.transaction() as transaction:
        update = transaction.update_snapshot(snapshot_properties=properties)
        if mode == "append":
            with update.fast_append() as append:
                for data_file in new_files:
                    append.append_data_file(data_file)
        else:
            with update.overwrite() as overwrite:
                for data_file in _current_data_files(table):
                    overwrite.delete_data_file(data_file)
                for data_file in new_files:
                    overwrite.append_data_file(data_file)
    return table.current_snapshot()


def _job_snapshot(table: Table, job: str) -> Optional[Snapshot]:
    for snapshot in table.snapshots():
        if snapshot.summary is not None and snapshot.summary.get(JOB_PROPERTY) == job:
            return snapshot
    return None


def _current_data_files(table: Table) -> List[DataFile]:
    snapshot = table.current_snapshot()
    if snapshot is None:
        return []
    return [
        entry.data_file
        for manifest in snapshot.manifests(table.io)
        for entry in manifest.fetch_manifest_entry(table.io, discard_deleted=True)
        if entry.data_file.content == DataFileContent.DATA
    ]


def data_files(
    table: Table, files: Iterable[Mapping[str, Any]], *, root: Optional[str] = None, sort_order_id: Optional[int] = None
) -> List[DataFile]:
    """pyiceberg :class:`DataFile` entries for file summaries, for the table's current schema
    and partition spec, without reading the files:

    * ``file_path``: ``root`` (default the data location) joined with the file's path below it;
    * ``partition``: from the hive directories (``<partition field>=<value>``, %XX-unescaped):
      identity values typed as their column, year/month/day/hour as Iceberg's ordinals
      (years/months/days/hours since 1970), ``__HIVE_DEFAULT_PARTITION__`` null (or ``""`` for a
      string column whose statistics show no null; a file holding both raises);
    * ``record_count``, ``file_size_in_bytes``; ``value_counts`` and ``null_value_counts`` of
      the columns outside lists and maps; ``lower_bounds``/``upper_bounds`` of top-level
      primitive columns, under the table's metrics mode (``write.metadata.metrics.*``, default
      ``truncate(16)``). The library's string and binary bounds may be truncated (a prefix for
      the minimum, rounded up for the maximum), which keeps them valid bounds.
    """
    base = root if root is not None else data_location(table)
    schema, spec = table.schema(), table.spec()
    levels = _levels(spec, schema)
    columns = _stat_columns(schema, table.properties)
    result = []
    for summary in files:
        relative = _relative_path(str(summary["path"]), base)
        data_file = DataFile.from_args(
            _table_format_version=table.format_version,
            content=DataFileContent.DATA,
            file_path=f"{base.rstrip('/')}/{relative}",
            file_format=FileFormat.PARQUET,
            partition=_partition_record(relative, levels, summary, schema),
            record_count=int(summary["rows"]),
            file_size_in_bytes=int(summary["bytes"]),
            sort_order_id=sort_order_id,
            spec_id=spec.spec_id,
            equality_ids=None,
            key_metadata=None,
            **_metrics(summary, columns),
        )
        result.append(data_file)
    return result


def _relative_path(path: str, root: str) -> str:
    """The file's path below ``root`` (posix), whether both are local paths or URLs."""
    local_root = _local_or_url(root).rstrip("/")
    local_path = _local_or_url(path)
    if "://" not in local_root and "://" not in local_path:
        relative = os.path.relpath(os.path.abspath(local_path), os.path.abspath(local_root))
    elif local_path.startswith(local_root + "/"):
        relative = local_path[len(local_root) + 1:]
    else:
        relative = os.pardir
    relative = relative.replace(os.sep, "/")
    if relative.startswith("../") or relative == os.pardir or posixpath.isabs(relative):
        raise _invalid(f"{path} is not below the table's data location {root}")
    return relative


# -- partition values -----------------------------------------------------------------------------------


def _partition_record(relative: str, levels: Sequence[_Level], summary: Mapping[str, Any], schema: Schema) -> Record:
    directories = relative.split("/")[:-1]
    if len(directories) != len(levels):
        raise _invalid(
            f"{relative}: {len(directories)} partition directories for a spec of {len(levels)} fields "
            "(written with another partition spec?)"
        )
    values = []
    for directory, (key, value), level in zip(directories, partition_directories(relative), levels):
        if key is None or unquote(key) != level.field.name:
            raise _invalid(f"{relative}: directory {directory!r} is not {level.field.name}=<value>")
        values.append(_partition_value(value, level, summary, schema))
    return Record(*values)


def _partition_value(value: Optional[str], level: _Level, summary: Mapping[str, Any], schema: Schema) -> Any:
    if value is None:
        return _default_partition_value(level, summary, schema)
    transform, source = level.transform, level.source_type
    if transform == "identity":
        if isinstance(source, StringType):
            return value
        if isinstance(source, BooleanType):
            return value == "true"
        if isinstance(source, DateType):
            return _days(value)
        return int(value)
    parts = [int(p) for p in _split_date(value)]
    if transform == "year":
        return parts[0] - 1970
    if transform == "month":
        return (parts[0] - 1970) * 12 + parts[1] - 1
    days = _days(f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}")
    return days if transform == "day" else days * 24 + parts[3]


def _split_date(value: str) -> List[str]:
    """``2024``, ``2024-03``, ``2024-03-09``, ``2024-03-09-17`` (a year may be negative)."""
    sign = "-" if value.startswith("-") else ""
    parts = value[len(sign):].split("-")
    return [sign + parts[0], *parts[1:]]


def _default_partition_value(level: _Level, summary: Mapping[str, Any], schema: Schema) -> Any:
    """A ``__HIVE_DEFAULT_PARTITION__`` directory: null, unless the column (identity on a
    string, which Hive also sends there for ``""``) has no null in this file."""
    if level.transform != "identity" or not isinstance(level.source_type, StringType):
        return None
    column = str(schema.find_column_name(level.field.source_id))
    stats = (summary.get("columns") or {}).get(column)
    if not isinstance(stats, Mapping):
        return None
    nulls, rows = int(stats.get("null_count", 0)), int(summary["rows"])
    if nulls == rows:
        return None
    if nulls == 0 and stats.get("min") is not None and stats.get("min") == stats.get("max"):
        return stats["max"]  # "" (or a value spelled like the default directory)
    raise _invalid(
        f"{summary['path']}: column {column!r} holds both null and empty strings, which Hive-style "
        "directories cannot tell apart and Iceberg partitions must; write them in separate writes"
    )


def _days(text: str) -> int:
    return (date.fromisoformat(text) - date(1970, 1, 1)).days


# -- column metrics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _StatColumn:
    """A leaf column whose metrics go into the DataFile."""

    field_id: int
    path: str  # the summary's key: the Parquet column path, dotted
    iceberg_type: PrimitiveType
    mode: MetricsMode
    bounds: bool  # top-level primitive: bounds may be kept


def _stat_columns(schema: Schema, properties: Mapping[str, str]) -> List[_StatColumn]:
    default = match_metrics_mode(properties.get("write.metadata.metrics.default", "truncate(16)"))
    columns = []
    for field in schema.fields:
        for field_id, path, leaf_type in _leaves(field.field_id, field.name, field.field_type):
            name = schema.find_column_name(field_id) or path
            mode = default
            configured = properties.get(f"write.metadata.metrics.column.{name}")
            if configured:
                mode = match_metrics_mode(configured)
            columns.append(_StatColumn(field_id, path, leaf_type, mode, bounds=path == field.name))
    return columns


def _leaves(field_id: int, path: str, field_type: IcebergType) -> List[Tuple[int, str, PrimitiveType]]:
    """The non-repeated leaves under a field (lists and maps are left out: a file's row count is
    not their value count)."""
    if isinstance(field_type, StructType):
        return [leaf for f in field_type.fields for leaf in _leaves(f.field_id, f"{path}.{f.name}", f.field_type)]
    if isinstance(field_type, (ListType, MapType)):
        return []
    assert isinstance(field_type, PrimitiveType)
    return [(field_id, path, field_type)]


def _metrics(summary: Mapping[str, Any], columns: Sequence[_StatColumn]) -> Dict[str, Any]:
    rows = int(summary["rows"])
    stats: Mapping[str, Any] = summary.get("columns") or {}
    value_counts: Dict[int, int] = {}
    null_counts: Dict[int, int] = {}
    lower: Dict[int, bytes] = {}
    upper: Dict[int, bytes] = {}
    for column in columns:
        column_stats = stats.get(column.path)
        if column.mode.type == MetricModeTypes.NONE or not isinstance(column_stats, Mapping):
            continue
        value_counts[column.field_id] = rows
        if "null_count" in column_stats:
            null_counts[column.field_id] = int(column_stats["null_count"])
        if not column.bounds or column.mode.type == MetricModeTypes.COUNTS:
            continue
        low, high = _bounds(column, column_stats)
        if low is not None:
            lower[column.field_id] = low
        if high is not None:
            upper[column.field_id] = high
    return {
        "column_sizes": {},
        "value_counts": value_counts,
        "null_value_counts": null_counts,
        "nan_value_counts": {},
        "lower_bounds": lower,
        "upper_bounds": upper,
        "split_offsets": None,
    }


def _bounds(column: _StatColumn, stats: Mapping[str, Any]) -> Tuple[Optional[bytes], Optional[bytes]]:
    kind = column.iceberg_type
    low = _python_value(kind, stats["min"]) if stats.get("min") is not None else None
    high = _python_value(kind, stats["max"]) if stats.get("max") is not None else None
    length = column.mode.length if column.mode.type == MetricModeTypes.TRUNCATE else None
    if length is not None and isinstance(kind, (StringType, BinaryType)):
        if low is not None:
            low = TruncateTransform(width=length).transform(kind)(low)
        if high is not None:
            truncate = truncate_upper_bound_text_string if isinstance(kind, StringType) else truncate_upper_bound_binary_string
            high = truncate(high, length)
    return (
        to_bytes(kind, low) if low is not None else None,
        to_bytes(kind, high) if high is not None else None,
    )


def _python_value(kind: PrimitiveType, value: Any) -> Any:
    """A summary's JSON statistic as the Python value pyiceberg serialises for ``kind``."""
    if isinstance(kind, (BinaryType, FixedType)):
        return base64.b64decode(value)
    if isinstance(kind, UUIDType):
        return uuid.UUID(value)
    if isinstance(kind, DecimalType):
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-kind.scale))
    if isinstance(kind, DateType):
        return _days(value)
    if isinstance(kind, TimeType):
        return _time_units(value, 6)
    if isinstance(kind, (TimestampType, TimestamptzType)):
        return _timestamp_units(value, 6)
    if isinstance(kind, (TimestampNanoType, TimestamptzNanoType)):
        return _timestamp_units(value, 9)
    if isinstance(kind, (FloatType, DoubleType)):
        return float(value)
    if isinstance(kind, BooleanType):
        return bool(value)
    if isinstance(kind, (IntegerType, LongType)):
        return int(value)
    return value


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _fraction_units(fraction: str, digits: int) -> int:
    return int((fraction + "0" * digits)[:digits]) if fraction else 0


def _time_units(text: str, digits: int) -> int:
    """``HH:MM:SS[.fraction]`` as units (10**-digits s) since midnight."""
    clock, _, fraction = text.partition(".")
    hours, minutes, seconds = (int(p) for p in clock.split(":"))
    scale: int = 10**digits
    return (hours * 3600 + minutes * 60 + seconds) * scale + _fraction_units(fraction, digits)


def _timestamp_units(text: str, digits: int) -> int:
    """RFC 3339 text (``Z``, an offset, or none for local) as units since the epoch."""
    body, offset = text, 0
    if body.endswith(("Z", "z")):
        body = body[:-1]
    elif len(body) > 6 and body[-6] in "+-" and body[-3] == ":":
        sign = -1 if body[-6] == "-" else 1
        offset = sign * (int(body[-5:-3]) * 3600 + int(body[-2:]) * 60)
        body = body[:-6]
    whole, _, fraction = body.partition(".")
    moment = datetime.fromisoformat(whole).replace(tzinfo=timezone.utc)
    seconds = (moment - _EPOCH) // timedelta(seconds=1) - offset
    scale: int = 10**digits
    return seconds * scale + _fraction_units(fraction, digits)
