"""The Writer: a Parquet file written in batches through libparquet_writer."""

from __future__ import annotations

import itertools
import json
import os
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import (
    Any,
    Protocol,
    Dict,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    Union,
)

from . import _arrow, _native
from ._modes import FsspecModes, Mode, check_mode
from ._outputs import resolve_output
from ._serialize import Record, Serializer, make_serializer
from ._sinks import FsspecTarget, NativeSink
from .errors import ParquetWriterError

#: Records in a writer's first native batch when ``write`` is given dicts without
#: ``batch_size``, which measures their size: at most :data:`DEFAULT_BATCH_BYTES` of records of
#: up to 16 KB of JSON each. The next batches hold as many records as make about
#: :data:`DEFAULT_BATCH_BYTES`.
DEFAULT_BATCH_ROWS = 256

#: JSON bytes per native batch on the dicts path without ``batch_size``. Memory stays bounded
#: by about this much JSON and its records, whatever the length of the iterable or the size of
#: its records (past the first batch); and the library parses a batch of at least 2 MiB on
#: several threads (``threads`` > 1): the bench's 1M dicts at two threads took 0.74-1.08 s in
#: ``write`` in batches of 10,000 records (3.2 MB) against 1.01-1.28 s in batches of 4,096
#: (1.3 MB, parsed on one thread while the next was serialised). The batches depend only on
#: the records, never on ``threads``, so neither do the file's bytes.
DEFAULT_BATCH_BYTES = 4 << 20

#: The fewest and the most records of a native batch sized by :data:`DEFAULT_BATCH_BYTES`.
_BATCH_ROW_LIMITS = (64, 65_536)

_FLOAT_TYPES = ("float32", "float64")

#: A field: a dict, or a tuple ``(name, type)``, ``(name, type, nullable)``, ``(name, type, options)``.
FieldSpec = Union[Mapping[str, Any], Tuple[Any, ...]]
SchemaSpec = Union[Mapping[str, Any], Sequence[FieldSpec]]
#: A JSON Schema (draft-07, the subset Airbyte catalogs publish): an object schema with ``properties``.
JSONSchema = Mapping[str, Any]
RecordsInput = Union[bytes, bytearray, memoryview, str, Record, Iterable[Record]]
PathLike = Union[str, "os.PathLike[str]"]
#: What a record's keys outside the schema do (``unknown_keys=``).
UnknownKeys = Literal["ignore", "fail", "collect"]


class BinaryWritable(Protocol):
    """A binary file object: anything with ``write(bytes)`` (``io.BytesIO``, ``open(..., "wb")``)."""

    def write(self, data: bytes, /) -> Optional[int]: ...


#: Where a single file goes: a local path, a URL (``s3://bucket/key.parquet``), or a binary file object.
Where = Union[str, "os.PathLike[str]", BinaryWritable]

_TRANSFORMS = ("identity", "year", "month", "day", "hour")


@dataclass(frozen=True)
class Partition:
    """One level of a dataset's hive-style partitioning (``partition_by=``).

    ``column`` is the column whose value names the directory; ``transform`` is ``"identity"``
    (integer, boolean, string and date columns), ``"year"``/``"month"``/``"day"`` (dates and
    timestamps) or ``"hour"`` (timestamps), giving ``2024``/``2024-03``/``2024-03-09``/
    ``2024-03-09-17`` (UTC); ``name`` is the directory key, by default the column (identity)
    or ``<column>_<transform>``.
    """

    column: str
    transform: str = "identity"
    name: Optional[str] = None

    def __post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            raise ValueError(f"Partition.column must be a non-empty string, not {self.column!r}")
        if self.transform not in _TRANSFORMS:
            raise ValueError(f"Partition.transform must be one of {', '.join(_TRANSFORMS)}, not {self.transform!r}")
        if self.name is not None and (not isinstance(self.name, str) or not self.name):
            raise ValueError(f"Partition.name must be a non-empty string or None, not {self.name!r}")

    def as_config(self) -> Union[str, Dict[str, str]]:
        """The library's form: the bare column name for a default identity partition, else a dict."""
        if self.transform == "identity" and self.name is None:
            return self.column
        spec = {"column": self.column, "transform": self.transform}
        if self.name is not None:
            spec["name"] = self.name
        return spec


#: A ``partition_by`` entry: a column name, a ``{"column", "transform", "name"}`` dict, or a Partition.
PartitionSpec = Union[str, Mapping[str, Any], Partition]


def _partition_config(partition_by: Union[PartitionSpec, Sequence[PartitionSpec]]) -> List[Any]:
    """``partition_by`` in the library's form (a list of strings and dicts, outermost first)."""
    if isinstance(partition_by, (str, Mapping, Partition)):
        partition_by = [partition_by]
    if isinstance(partition_by, bytes) or not isinstance(partition_by, Iterable):
        raise TypeError(f"partition_by must be a list of column names, dicts or Partition, not {type(partition_by).__name__}")
    parts: List[Any] = []
    for item in partition_by:
        if isinstance(item, Partition):
            parts.append(item.as_config())
        elif isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Mapping):
            parts.append(dict(item))
        else:
            raise TypeError(f"a partition_by entry must be a str, dict or Partition, not {type(item).__name__}")
    return parts


#: A ``sort_by`` entry: a column name (ascending, nulls last), a ``(name, "ascending" |
#: "descending")`` pair as pyarrow's ``sort_by`` takes, or a ``{"column", "descending",
#: "nulls_first"}`` dict.
SortSpec = Union[str, Tuple[str, str], Mapping[str, Any]]


def _sort_config(sort_by: Union[SortSpec, Sequence[SortSpec]]) -> List[Any]:
    """``sort_by`` in the library's form (a list of strings and dicts, first key first)."""
    if isinstance(sort_by, (str, Mapping)) or (
        isinstance(sort_by, tuple) and len(sort_by) == 2 and sort_by[1] in ("ascending", "descending")
    ):
        sort_by = [sort_by]  # type: ignore[list-item]
    if isinstance(sort_by, bytes) or not isinstance(sort_by, Iterable):
        raise TypeError(f"sort_by must be a list of column names, (name, order) pairs or dicts, not {type(sort_by).__name__}")
    keys: List[Any] = []
    for item in sort_by:
        if isinstance(item, str):
            keys.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            if item[1] not in ("ascending", "descending"):
                raise ValueError(f"sort order must be 'ascending' or 'descending', got {item[1]!r}")
            keys.append({"column": item[0], "descending": item[1] == "descending"})
        elif isinstance(item, Mapping):
            keys.append(dict(item))
        else:
            raise TypeError(f"a sort_by entry must be a str, (name, order) pair or dict, not {type(item).__name__}")
    return keys


@dataclass
class WriteResult:
    """What one :meth:`Writer.write` call did.

    ``errors`` lists the records left out under ``on_invalid="skip"``, each a dict with
    ``row`` (0-based among the records given to this ``write`` call), ``column``,
    ``message``, ``code`` and, when known, ``offset`` (a byte offset within the JSON text of
    the native batch holding the record). ``files`` lists files the library finished during
    the call: none for a single file; for a dataset (``directory=``), the files that reached
    ``max_rows_per_file``/``max_bytes_per_file``, each
    ``{"path", "rows", "bytes", "row_groups", "columns"}``. ``unknown_keys`` maps each key
    outside the schema (``parent.key`` inside a struct) to the records written that carried it,
    summed over the call's native batches (names past the library's 1,000 per writer are
    counted under ``"(other)"``); empty for Arrow input.
    """

    rows_written: int = 0
    rows_rejected: int = 0
    errors: List[Dict[str, Any]] = field(default_factory=list)
    files: List[Dict[str, Any]] = field(default_factory=list)
    batches: int = 0
    unknown_keys: Dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "ok": True,
            "rows_written": self.rows_written,
            "rows_rejected": self.rows_rejected,
            "errors": list(self.errors),
            "files": list(self.files),
            "unknown_keys": dict(self.unknown_keys),
        }

    def _add(self, result: Mapping[str, Any], row_base: int) -> None:
        self.batches += 1
        self.rows_written += int(result.get("rows_written", 0))
        self.rows_rejected += int(result.get("rows_rejected", 0))
        for error in result.get("errors") or ():
            self.errors.append(_shift_row(error, row_base))
        self.files.extend(result.get("files") or ())
        for name, count in (result.get("unknown_keys") or {}).items():
            self.unknown_keys[name] = self.unknown_keys.get(name, 0) + int(count)


def _shift_row(error: Mapping[str, Any], row_base: int) -> Dict[str, Any]:
    shifted = dict(error)
    if row_base and isinstance(shifted.get("row"), int):
        shifted["row"] += row_base
    return shifted


def normalize_schema(schema: SchemaSpec) -> Dict[str, Any]:
    """``{"fields": [...]}`` from a schema dict, a list of field dicts, a list of tuples, or an
    Arrow schema (``pyarrow.Schema`` or anything with ``__arrow_c_schema__``, mapped as the
    library maps Arrow data: see ``schema_from_arrow`` in the C header).

    A tuple is ``(name, type)``, ``(name, type, nullable)`` or ``(name, type, options)``,
    where ``type`` is a type name or a dict such as ``{"type": "decimal", "precision": 12,
    "scale": 2}`` and ``options`` a dict of further field keys. Tuple fields are nullable
    unless they say otherwise.
    """
    if hasattr(schema, "__arrow_c_schema__"):
        # A pyarrow (or polars, nanoarrow, ...) schema: mapped by the library, as Arrow data is.
        result = _arrow.schema_address_call(schema, _native.library().schema_from_arrow)
        if not result.get("ok"):
            raise ParquetWriterError(_error_of(result), result=result)
        return dict(result["schema"])
    if isinstance(schema, Mapping):
        if "fields" not in schema:
            hint = " (a JSON Schema goes in json_schema=...)" if "properties" in schema else ""
            raise ParquetWriterError(
                {"code": "invalid_schema", "message": 'a schema dict needs a "fields" list: {"fields": [...]}' + hint}
            )
        return dict(schema)
    if isinstance(schema, (str, bytes)) or not isinstance(schema, Iterable):
        raise ParquetWriterError(
            {"code": "invalid_schema", "message": f"schema must be a dict or a list of fields, not {type(schema).__name__}"}
        )
    fields: List[Dict[str, Any]] = []
    for item in schema:
        if isinstance(item, Mapping):
            fields.append(dict(item))
            continue
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise ParquetWriterError(
                {"code": "invalid_schema", "message": f"a field must be a dict or a (name, type[, nullable]) tuple, not {item!r}"}
            )
        spec: Dict[str, Any] = {"name": item[0], "nullable": True}
        type_spec = item[1]
        if isinstance(type_spec, Mapping):
            spec.update(type_spec)
        else:
            spec["type"] = type_spec
        if len(item) == 3:
            extra = item[2]
            if isinstance(extra, Mapping):
                spec.update(extra)
            else:
                spec["nullable"] = bool(extra)
        fields.append(spec)
    return {"fields": fields}


class Writer:
    """Writes one Parquet file, or a dataset (a directory of Parquet files), from batches of records.

    ``path`` is where the file goes, one of:

    * a local path (``str`` or ``os.PathLike``, or a ``file://`` URL). The library writes a
      temporary file beside it and renames it into place on :meth:`close`; :meth:`abort` (or
      an exception in a ``with`` block, or an unclosed writer being garbage-collected) leaves
      no file behind;
    * a URL served by fsspec, when it is installed (``pip install 'parquet-writer[s3]'``):
      ``s3://`` (s3fs), ``gs://`` (gcsfs), ``abfs://`` (adlfs), ``memory://``, ...;
      ``storage_options`` go to the filesystem (``{"client_kwargs": {"endpoint_url": ...}}``
      for an S3-compatible server), as in pandas and pyarrow. The object appears only when
      the writer closes (s3fs completes its multipart upload at close, or puts a small file
      in one request); abort and errors abort the upload, so nothing appears. A scheme that
      no installed filesystem serves raises :class:`UnsupportedOutputError` naming it, and
      nothing is created (never a local folder named ``s3:``);
    * a binary file object (anything with ``write``: ``io.BytesIO``, ``open(p, "wb")``): the
      bytes go to it as row groups are written, it is flushed on close and never closed. A
      stream cannot take bytes back: after an abort or an error, discard what it holds.

    ``directory=`` instead of ``path`` writes a dataset: the directory (created if missing)
    receives ``<file_prefix>-<sequence>-<run>.parquet`` files, under hive-style ``key=value/``
    subdirectories with ``partition_by``. ``directory`` may be a URL too
    (``directory="s3://lake/events"``): each file is then an object under that prefix (partition
    directories are key prefixes), appearing as the file is committed. Exactly one of ``path``
    and ``directory`` is given.
    Dataset-only keyword arguments (left to the library's defaults when ``None``):

    * ``file_prefix`` (default ``"part"``);
    * ``max_rows_per_file``: a batch is split so that no file holds more rows;
    * ``max_bytes_per_file``: a file is finished once its size reaches this, checked after
      each batch;
    * ``partition_by``: column names, ``{"column", "transform", "name"}`` dicts or
      :class:`Partition` objects, outermost first;
    * ``max_open_files`` (default 100): files open at once (file descriptors); a partition
      without one waits (staged or spilled), its rows still go to one file;
    * ``memory_limit_bytes`` (default 256 MiB): what a partitioned writer holds across all
      partitions; partitions with rows enough for a row group are written out, the others
      spilled to a scratch file, so the files written do not depend on the rows' order;
    * ``write_partition_columns``: ``False`` leaves identity partition columns out of the
      files (readers take them from the path).

    ``sort_by`` (files and datasets) sorts each file's rows by these columns, first key first:
    names (ascending, nulls last), ``(name, "ascending" | "descending")`` pairs as pyarrow's
    ``Table.sort_by`` takes, or ``{"column", "descending", "nulls_first"}`` dicts. Rows are
    held (within ``memory_limit_bytes``, spilled sorted beyond it) until the file is finished,
    and every row group records the keys as its ``sorting_columns``.

    Each dataset file is committed atomically (temporary name, fsync, rename) when it reaches a
    limit, on :meth:`commit`, or on :meth:`close`; :attr:`files` lists every file finished so
    far. :meth:`abort` (or leaving a ``with`` block by an exception) discards the open files
    only: files already committed stay.

    ``mode`` says what happens to data already at the output (``None``: the default for the
    output kind, as DuckDB's ``COPY`` behaves):

    * ``"overwrite"`` (the default for a file): replace it. A local file is renamed over the old
      one on close; a local dataset is written into a hidden sibling directory that is swapped
      with the old one in one atomic step at the first :meth:`commit` or :meth:`close`, so a
      crash leaves either the old data or the new, never a mix;
    * ``"error"`` (the default for a local dataset): refuse an existing file, or a directory
      holding visible entries (names not starting with ``.`` or ``_``);
    * ``"overwrite_partitions"`` (datasets): replace only the partition directories this run
      writes, each atomically (Spark's dynamic partition overwrite); the others stay;
    * ``"append"`` (datasets; the default for a URL's dataset): add files beside the old ones.

    For a URL (fsspec) the library cannot list, rename or delete, so the binding does it: under
    ``"error"`` it checks before writing; under ``"overwrite"``/``"overwrite_partitions"`` it lists
    the old objects first and deletes them once the new files are committed (by the first
    successful :meth:`commit` or :meth:`close`). That is not atomic: until the deletion, a reader
    sees old and new files together, and a crash in between leaves both. A file object takes
    only ``"overwrite"``.

    The columns come from one of:

    * ``schema``: the native schema, ``{"fields": [{"name": ..., "type": ..., "nullable": ...},
      ...]}``, the list of field dicts alone, or a list of ``(name, type)`` tuples (see
      :func:`normalize_schema`);
    * ``json_schema``: a JSON Schema dict (the draft-07 subset Airbyte catalogs publish, e.g. a
      stream's ``json_schema``), converted by the library: every property becomes a column,
      nullable unless listed in ``required``; integer/number/boolean/string map to
      int64/float64/boolean/string, ``format`` date-time/date/time and ``airbyte_type`` to
      timestamps, dates and times, objects with properties to structs, arrays with ``items``
      to lists, and anything else (unions, objects without properties) to json columns;
    * neither: the schema is inferred from the first batch written (its records' keys in
      order of first appearance, all nullable; ints widen to float, only-null keys are
      strings, conflicting kinds are json, objects are structs, arrays are lists). Later
      records that do not fit are invalid records (``on_invalid``). Closing a writer that
      never got a record raises ``invalid_schema``. Non-finite floats are only written as
      ``"NaN"``/``"Infinity"`` in columns known to be floats, so under inference they are null.

    With ``infer_strings`` (default ``True``), inference also types strings: every non-null
    value an RFC 3339 timestamp (``T`` or a space, optional fraction up to microseconds) gives
    a timestamp in microseconds, UTC-adjusted when each has ``Z`` or an offset and local when
    none has (both kinds: string, as DuckDB does); ``YYYY-MM-DD`` a date; ``-?digits.digits`` a
    decimal (scale the most fraction digits, precision at most 38, else string). Kinds mixed
    at one key stay strings. ``infer_strings=False`` keeps strings as strings; it is an error
    with a schema.

    Keys outside the schema (new keys after the first batch under inference, or any key a
    given schema lacks, ``parent.key`` inside structs) are always counted: in
    :attr:`WriteResult.unknown_keys` and in the ``unknown_keys`` of :meth:`close`'s summary.
    ``unknown_keys`` decides what else happens:

    * ``"ignore"`` (default): the record is written without them;
    * ``"fail"``: the first one rejects the whole native batch (``invalid_record`` naming the
      key, its record and byte offset), whatever ``on_invalid`` says; earlier batches stay;
    * ``"collect"``: a nullable ``json`` column, ``unknown_keys_column`` (default
      ``"_unknown"``), is added to the schema and holds each record's unknown top-level
      members as one JSON object, copied as written (null when there are none); unknown keys
      inside structs are only counted. Not for Arrow input. ``unknown_keys_column`` is an
      error without ``"collect"`` and when a field has its name.

    Giving both ``schema`` and ``json_schema`` raises ``invalid_schema``.
    ``compression`` is ``"snappy"`` (default), ``"zstd"``, ``"gzip"``, ``"lz4_raw"``,
    ``"brotli"`` or ``"none"``; ``compression_level`` goes with the four that have levels:
    zstd (default 3), gzip 0-9 (default 6), lz4_raw 1-12 (1-2 LZ4's fast mode, the default 1;
    3-12 LZ4HC, smaller and slower to write) and brotli 0-11 (default 8). Any other
    name or level raises ``invalid_options`` naming the codec and the levels it accepts.
    The other arguments map to the library's config keys of the same name; ``None`` leaves
    the library's default. ``threads=N`` (or ``"auto"``: the cores the process may use)
    parses each batch of 2 MiB or more and encodes its columns on N threads within the call;
    when N is above 1 and below the cores the process may use, :meth:`write` of dicts also
    serialises each batch while the library writes the one before (on a helper thread; ctypes
    releases the GIL). The file is the same bytes for every N.
    ``page_index`` (default ``True``) writes a ColumnIndex and an OffsetIndex per column
    chunk, which readers such as DataFusion and Spark use to skip pages. ``page_checksum``
    (default ``False``) writes each page's CRC-32 in its header (pyarrow checks it with
    ``page_checksum_verification=True``). ``data_page_version=2`` writes V2 data pages
    (levels uncompressed, values compressed alone; default 1, which every reader supports).
    ``bloom_filter_columns`` (leaf column names, dotted for nested: ``"a.b"``) get a
    split-block bloom filter per column chunk, sized from the chunk's distinct values for
    ``bloom_filter_fpp`` (default 0.01); DuckDB, Spark and DataFusion probe them for equality
    predicates.
    ``column_buffer_bytes`` is how much of each column's finished pages stays in memory before
    it waits in a nameless scratch file beside the output, or in ``TMPDIR`` (else ``/tmp``)
    for URLs and file objects (default 256 KiB).

    Use it as a context manager: leaving the block normally closes the file, leaving it by an
    exception aborts it and lets the exception through::

        with Writer("out.parquet", [("id", "int64"), ("name", "string")]) as w:
            w.write({"id": i, "name": f"n{i}"} for i in range(1_000_000))
        print(w.summary)

    Thread safety: the native writer is not thread-safe. A ``Writer`` serialises its own calls
    with a lock, so sharing one between threads is safe but gains nothing; for parallel output
    use one writer (one file) per thread. Errors are read from the library's per-thread
    ``last_error`` right after the failing call, in the same thread.
    """

    def __init__(
        self,
        path: Optional[Where] = None,
        schema: Optional[SchemaSpec] = None,
        *,
        directory: Optional[PathLike] = None,
        json_schema: Optional[JSONSchema] = None,
        compression: str = "snappy",
        compression_level: Optional[int] = None,
        row_group_rows: Optional[int] = None,
        row_group_bytes: Optional[int] = None,
        column_buffer_bytes: Optional[int] = None,
        page_bytes: Optional[int] = None,
        dictionary: bool = True,
        page_index: bool = True,
        page_checksum: bool = False,
        data_page_version: Optional[int] = None,
        bloom_filter_columns: Optional[Sequence[str]] = None,
        bloom_filter_fpp: Optional[float] = None,
        on_invalid: str = "fail",
        metadata: Optional[Mapping[str, str]] = None,
        threads: Optional[Union[int, Literal["auto"]]] = None,
        file_prefix: Optional[str] = None,
        max_rows_per_file: Optional[int] = None,
        max_bytes_per_file: Optional[int] = None,
        partition_by: Optional[Union[PartitionSpec, Sequence[PartitionSpec]]] = None,
        max_open_files: Optional[int] = None,
        write_partition_columns: Optional[bool] = None,
        memory_limit_bytes: Optional[int] = None,
        sort_by: Optional[Union[SortSpec, Sequence[SortSpec]]] = None,
        unknown_keys: Optional[UnknownKeys] = None,
        unknown_keys_column: Optional[str] = None,
        infer_strings: Optional[bool] = None,
        storage_options: Optional[Mapping[str, Any]] = None,
        mode: Optional[Mode] = None,
    ) -> None:
        self._handle: Optional[int] = None
        #: The sink of an output that is not a local path (its callbacks live as long as this).
        self._sink: Optional[NativeSink] = None
        self._lock = threading.RLock()  # re-entrant: a generator being written may itself call write()
        #: With threads > 1 and a core left over: the thread that makes the native calls of the
        #: dicts path while this one serialises the next batch (ctypes releases the GIL during a
        #: call). Made on first use.
        self._pipelined = _pipelines(threads)
        self._json_sizes = _JSONSizes()
        self._caller: Optional[ThreadPoolExecutor] = None
        self._closed = False
        self._files: List[Dict[str, Any]] = []
        self.summary: Optional[Dict[str, Any]] = None
        if path is None and directory is None:
            raise TypeError("Writer() needs a path (one file) or directory= (a dataset)")
        if path is not None and directory is not None:
            raise TypeError("Writer() takes a path or directory=, not both")
        # Resolved before anything else: a URL nothing can serve fails here, having created nothing.
        output = resolve_output(
            path if path is not None else directory, dataset=directory is not None, storage_options=storage_options
        )
        if output.target is not None:
            self._sink = NativeSink(output.target)
        check_mode(mode)
        #: What ``mode`` asks of an fsspec output, done here (the library cannot list or delete there).
        self._modes: Optional[FsspecModes] = None
        if isinstance(output.target, FsspecTarget):
            self._modes = FsspecModes(
                output.target.fs, output.target.root, dataset=directory is not None, mode=mode, name=output.name
            )
        #: The output file (its path, its URL, or a file object's name), or None for a dataset.
        self.path: Optional[str] = output.name if path is not None else None
        #: The dataset's directory (a path or a URL), or None for a single file.
        self.directory: Optional[str] = output.name if directory is not None else None
        if schema is not None and json_schema is not None:
            raise ParquetWriterError(
                {"code": "invalid_schema", "message": "give schema or json_schema, not both (or neither, to infer it)"}
            )
        if json_schema is not None and not isinstance(json_schema, Mapping):
            raise ParquetWriterError(
                {"code": "invalid_schema", "message": f"json_schema must be a dict, not {type(json_schema).__name__}"}
            )
        #: The native schema as given (normalised), or None with json_schema or inference.
        self.schema: Optional[Dict[str, Any]] = normalize_schema(schema) if schema is not None else None
        #: The JSON Schema as given, or None.
        self.json_schema: Optional[Dict[str, Any]] = dict(json_schema) if json_schema is not None else None
        config: Dict[str, Any] = {"path": self.path} if self.path is not None else {"directory": self.directory}
        if self.schema is not None:
            config["schema"] = self.schema
        if self.json_schema is not None:
            config["json_schema"] = self.json_schema
        config.update({
            "compression": compression,
            "dictionary": bool(dictionary),
            "page_index": bool(page_index),
            "page_checksum": bool(page_checksum),
            "on_invalid": on_invalid,
        })
        if bloom_filter_columns is not None:
            config["bloom_filter_columns"] = [str(name) for name in bloom_filter_columns]
        if bloom_filter_fpp is not None:
            config["bloom_filter_fpp"] = float(bloom_filter_fpp)
        optional = {
            "compression_level": compression_level,
            "row_group_rows": row_group_rows,
            "row_group_bytes": row_group_bytes,
            "column_buffer_bytes": column_buffer_bytes,
            "page_bytes": page_bytes,
            "data_page_version": data_page_version,
            "threads": threads,
            "file_prefix": file_prefix,
            "max_rows_per_file": max_rows_per_file,
            "max_bytes_per_file": max_bytes_per_file,
            "max_open_files": max_open_files,
            "memory_limit_bytes": memory_limit_bytes,
            "write_partition_columns": None if write_partition_columns is None else bool(write_partition_columns),
            # Checked by the library, which names the accepted values.
            "unknown_keys": unknown_keys,
            "unknown_keys_column": unknown_keys_column,
            "infer_strings": None if infer_strings is None else bool(infer_strings),
        }
        config.update({key: value for key, value in optional.items() if value is not None})
        if partition_by is not None:
            config["partition_by"] = _partition_config(partition_by)
        if sort_by is not None:
            config["sort_by"] = _sort_config(sort_by)
        if metadata is not None:
            config["metadata"] = dict(metadata)
        library_mode = self._modes.library_mode() if self._modes is not None else mode
        if library_mode is not None:
            config["mode"] = library_mode
        #: The ``mode`` as given (None: the output kind's default).
        self.mode: Optional[str] = mode
        self.config = config
        if self.schema is not None:
            float_columns = [
                str(f.get("name"))
                for f in self.schema.get("fields") or ()
                if isinstance(f, Mapping) and f.get("type") in _FLOAT_TYPES
            ]
        else:
            float_columns = _json_schema_float_columns(self.json_schema)
        self._serializer: Serializer = make_serializer(float_columns)
        self._lib = _native.library()
        try:
            config_json = json.dumps(config, ensure_ascii=False).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError) as exc:
            raise ParquetWriterError({"code": "invalid_options", "message": f"config is not JSON: {exc}"}) from None
        if self._sink is None:
            self._handle = self._lib.create_writer(config_json)
            return
        if self._modes is not None:
            self._modes.prepare()
        try:
            self._handle = self._lib.create_writer_with_sink(config_json, self._sink.struct())
        except ParquetWriterError as exc:
            failure = self._failure(exc.error)
            raise failure from failure.__cause__

    # -- state -----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once :meth:`close` or :meth:`abort` has been called."""
        return self._closed

    def __reduce__(self) -> Any:
        # Without this, pickle fails on the lock with "cannot pickle '_thread.RLock'", which
        # says nothing of what to do instead.
        raise TypeError(
            "a Writer holds an open native writer and cannot be pickled or sent to another process "
            "(Dask, Ray, Spark tasks); send a parquet_writer.WriterSpec instead and open writers in the tasks"
        )

    @property
    def is_dataset(self) -> bool:
        """True for a dataset writer (``directory=``), False for a single file."""
        return self.directory is not None

    @property
    def files(self) -> List[Dict[str, Any]]:
        """Every file finished so far (by writes, :meth:`commit` and :meth:`close`), in order.

        Each is the library's ``{"path", "rows", "bytes", "row_groups", "columns"}``; a copy.
        """
        with self._lock:
            return list(self._files)

    @property
    def serializer(self) -> str:
        """``"orjson"`` or ``"json"``: what turns dict records into JSON for this writer."""
        return self._serializer.name

    def _failure(self, error: Mapping[str, Any], result: Optional[Mapping[str, Any]] = None) -> ParquetWriterError:
        """The error to raise for a failed call, chained to the exception a sink callback raised
        (a file object's or an fsspec file's own error) when there was one."""
        exc = ParquetWriterError(error, result=result)
        cause = self._sink.take_error() if self._sink is not None else None
        if cause is not None:
            exc.__cause__ = cause
        return exc

    def _open_handle(self, action: str) -> int:
        if self._closed or self._handle is None:
            raise ParquetWriterError({"code": "writer_closed", "message": f"cannot {action}: the writer is closed"})
        return self._handle

    # -- writing ---------------------------------------------------------------------------

    def write(self, records: RecordsInput, *, batch_size: Optional[int] = None) -> WriteResult:
        """Writes records; returns what was written and, under ``on_invalid="skip"``, rejected.

        ``records`` is one of:

        * a dict (one record), a list of dicts, or any iterable of dicts, sent to the library
          in native batches of ``batch_size`` records, or by default of about
          :data:`DEFAULT_BATCH_BYTES` (4 MiB) of JSON each (the writer's first
          :data:`DEFAULT_BATCH_ROWS` (256) records, then as many as the bytes per record so
          far make 4 MiB, 64 to 65,536); a generator is consumed one batch at a time, so
          memory stays bounded. Values are serialised with orjson when installed, else the
          json module;
          ``datetime``/``date``/``time``/``Decimal``/``UUID``/``bytes`` and non-finite floats
          are handled (see ``parquet_writer._serialize``);
        * ``bytes``/``bytearray``/``memoryview``/``str``: JSON text already serialised, a JSON
          array of objects or NDJSON, handed to the library as one batch (bytes and bytearray
          without a copy);
        * Arrow data: any object with ``__arrow_c_stream__`` or ``__arrow_c_array__`` (a
          pyarrow Table, RecordBatch or RecordBatchReader, a polars DataFrame, a DuckDB
          result, ...), read straight from its Arrow buffers by the library through the Arrow
          C Data Interface, a stream one batch at a time. Without a schema the writer takes it
          from the Arrow schema; with one, the Arrow fields must match it by name. pyarrow is
          not needed for this;
        * a pandas DataFrame: as a pyarrow Table (``Table.from_pandas``, index left out) when
          pyarrow is installed, else as records. Either way every missing value -- ``None``,
          ``NaN`` in float and object columns, ``NaT``, ``pd.NA`` -- is null.

        Raises :class:`ParquetWriterError` when the library rejects a batch (``ok: false``:
        malformed JSON, or an invalid record under ``on_invalid="fail"``); the writer stays
        usable and nothing of that batch is written. When dicts span several native batches,
        the batches before the failing one stay written: the error's ``result`` holds their
        totals, and its ``row`` counts from the first record of this call.
        """
        with self._lock:
            handle = self._open_handle("write")
            if isinstance(records, (bytes, bytearray, memoryview)):
                return self._write_text(handle, records)
            if isinstance(records, str):
                return self._write_text(handle, records.encode("utf-8", "surrogatepass"))
            if isinstance(records, Mapping):
                records = [records]
            if _arrow.is_pandas(records):
                source = _arrow.arrow_source(records)
                records = source if source is not None else _arrow.pandas_records(records)
            if _arrow.is_arrow(records):
                return self._write_arrow(handle, records)
            if batch_size is not None and batch_size < 1:
                raise ValueError("batch_size must be at least 1")
            return self._write_records(handle, records, batch_size)

    def _write_arrow(self, handle: int, data: Any) -> WriteResult:
        """Hands Arrow data to the library through the PyCapsule interface: a stream when the
        object exports one (batch by batch: memory holds one batch), else one array."""
        stream = _arrow.stream_capsule(data)
        if stream is not None:
            result = self._lib.write_arrow_stream(handle, _arrow.capsule_address(stream, b"arrow_array_stream"))
        else:
            schema, array = data.__arrow_c_array__()
            result = self._lib.write_arrow(
                handle, _arrow.capsule_address(schema, b"arrow_schema"), _arrow.capsule_address(array, b"arrow_array")
            )
        if not result.get("ok"):
            raise ParquetWriterError(_error_of(result), result=result)
        total = WriteResult()
        total._add(result, 0)
        self._files.extend(result.get("files") or ())
        return total

    def _write_text(self, handle: int, data: Union[bytes, bytearray, memoryview]) -> WriteResult:
        result = self._lib.write_batch_n(handle, data)
        if not result.get("ok"):
            raise self._failure(_error_of(result), result=result)
        total = WriteResult()
        total._add(result, 0)
        self._files.extend(result.get("files") or ())
        return total

    def _write_records(self, handle: int, records: Iterable[Record], batch_size: Optional[int]) -> WriteResult:
        if self._pipelined:
            return self._write_records_pipelined(handle, records, batch_size)
        total = WriteResult()
        base = 0
        chunks = _Chunks(records, batch_size, self._json_sizes)
        for chunk in chunks:
            try:
                data = self._serializer.dumps(chunk)
            except ParquetWriterError as exc:
                raise self._locate_unserializable(exc, chunk, base, total) from None
            chunks.serialized(len(chunk), len(data))
            result = self._lib.write_batch_n(handle, data)
            del data
            if not result.get("ok"):
                error = _shift_row(_error_of(result), base)
                raise self._failure(error, result={**total.as_dict(), "ok": False, "error": error})
            total._add(result, base)
            self._files.extend(result.get("files") or ())
            base += len(chunk)
        return total

    def _write_records_pipelined(
        self, handle: int, records: Iterable[Record], batch_size: Optional[int]
    ) -> WriteResult:
        """As :meth:`_write_records`, with batch k+1 serialised here while batch k is written
        by the library on :attr:`_caller`'s thread. The batches, and so the file, are the same;
        results and errors come back from this call, in batch order."""
        if self._caller is None:
            self._caller = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet-writer")
        total = WriteResult()
        base = 0
        pending: Optional[Tuple[Future, int]] = None

        def settle() -> None:
            nonlocal base, pending
            assert pending is not None
            future, count = pending
            pending = None
            result = self._lib.take_result(future.result(), "write_batch_n")
            if not result.get("ok"):
                error = _shift_row(_error_of(result), base)
                raise self._failure(error, result={**total.as_dict(), "ok": False, "error": error})
            total._add(result, base)
            self._files.extend(result.get("files") or ())
            base += count

        try:
            chunks = _Chunks(records, batch_size, self._json_sizes)
            for chunk in chunks:
                try:
                    data = self._serializer.dumps(chunk)
                except ParquetWriterError as exc:
                    if pending is not None:
                        settle()
                    raise self._locate_unserializable(exc, chunk, base, total) from None
                chunks.serialized(len(chunk), len(data))
                if pending is not None:
                    settle()
                started = threading.Event()
                pending = (self._caller.submit(_call_started, started, self._lib.write_batch_n_raw, handle, data), len(chunk))
                # The helper needs the GIL to reach the native call, and serialising the next
                # batch holds it throughout: wait until the call is under way (it then runs
                # without the GIL), or the two would take turns instead of overlapping.
                started.wait()
                del data
            if pending is not None:
                settle()
        finally:
            if pending is not None:
                # Leaving on another exception (the records' iterator raised): the native call
                # in flight ends before the writer is used again; its result is lost with the call.
                pending[0].exception()
        return total

    def _stop_caller(self) -> None:
        if self._caller is not None:
            self._caller.shutdown(wait=True)
            self._caller = None

    def _locate_unserializable(
        self, exc: ParquetWriterError, chunk: Sequence[Record], base: int, total: WriteResult
    ) -> ParquetWriterError:
        error = dict(exc.error)
        for index, record in enumerate(chunk):
            try:
                self._serializer.dumps([record])
            except ParquetWriterError as single:
                error = dict(single.error)
                error["row"] = base + index
                break
        return ParquetWriterError(error, result={**total.as_dict(), "ok": False, "error": error})

    # -- finishing -------------------------------------------------------------------------

    def commit(self) -> Dict[str, Any]:
        """Dataset writers: finishes every open file now, so every record written so far is in a
        committed, durable file (what a pipeline does before acknowledging a checkpoint).

        Returns the library's result: ``{"ok": true, "rows_written": n, "rows_rejected": m,
        "files": [...], "unknown_keys": {name: records}}`` with the writer's totals so far and the files this call finished
        (empty when none was open). The writer stays open; later records go to new files.
        Raises :class:`ParquetWriterError`: ``invalid_options`` for a single-file writer (a file
        is committed only by :meth:`close`), ``writer_closed`` after close/abort, ``io_error``
        (the writer is then unusable).
        """
        with self._lock:
            handle = self._open_handle("commit")
            result = self._lib.commit_files(handle)
            if not result.get("ok"):
                raise self._failure(_error_of(result), result=result)
            self._files.extend(result.get("files") or ())
            if self._modes is not None:
                self._modes.committed(self._files)
        return result

    def close(self) -> Dict[str, Any]:
        """Finalizes the file and returns the library's summary::

            {"ok": true, "rows_written": n, "rows_rejected": m, "files": [{"path", "rows",
             "bytes", "row_groups", "columns": {name: {"null_count", "min", "max"}}}],
             "unknown_keys": {name: records}}

        ``unknown_keys`` counts, over every batch written, the records that carried each key
        outside the schema.

        The native handle is released whether or not closing succeeds; a failure raises
        :class:`ParquetWriterError` (with ``result``). Closing twice raises ``writer_closed``.
        """
        with self._lock:
            handle = self._open_handle("close")
            self._handle = None
            self._closed = True
            self._stop_caller()
            result = self._lib.close_writer(handle)
        if not result.get("ok"):
            raise self._failure(_error_of(result), result=result)
        self._files.extend(result.get("files") or ())
        self.summary = result
        if self._modes is not None:
            self._modes.committed(self._files)
        return result

    def abort(self) -> None:
        """Discards the file: nothing is left at ``path``. A no-op on a closed writer.

        For a dataset, discards the open files; files already finished (see :attr:`files`) stay.
        A URL's upload is aborted; a file object keeps what it was given (see the class doc).
        """
        with self._lock:
            handle = self._handle
            self._handle = None
            self._closed = True
            self._stop_caller()
            if handle is not None:
                self._lib.abort_writer(handle)
            if self._sink is not None:
                self._sink.take_error()  # a failing discard is not the caller's concern here

    def __enter__(self) -> "Writer":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if exc_type is not None:
            self.abort()
        elif not self._closed:
            self.close()

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is None:
            return
        try:
            warnings.warn(f"unclosed parquet_writer.Writer for {self._target!r}: aborted", ResourceWarning, stacklevel=2)
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
        try:
            self._handle = None
            self._closed = True
            self._lib.abort_writer(handle)
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        kind = "directory=" if self.directory is not None else ""
        return f"<parquet_writer.Writer {kind}{self._target!r} {state}>"

    @property
    def _target(self) -> Optional[str]:
        return getattr(self, "path", None) or getattr(self, "directory", None)


def _json_schema_float_columns(json_schema: Optional[Mapping[str, Any]]) -> List[str]:
    """The top-level properties of a JSON Schema the library makes float64 columns."""
    if not json_schema or not isinstance(json_schema.get("properties"), Mapping):
        return []
    names = []
    for name, prop in json_schema["properties"].items():
        if not isinstance(prop, Mapping) or prop.get("airbyte_type") not in (None, "number", "big_number"):
            continue
        kind = prop.get("type")
        kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
        kinds.discard("null")
        if kinds in ({"number"}, {"integer", "number"}) and prop.get("airbyte_type") != "integer":
            names.append(str(name))
    return names


def _error_of(result: Mapping[str, Any]) -> Dict[str, Any]:
    error = result.get("error")
    if isinstance(error, Mapping):
        return dict(error)
    return {"code": "invalid_response", "message": f"the library reported failure without an error: {result!r}"}


def _call_started(started: threading.Event, call: Callable[..., Any], *args: Any) -> Any:
    """Runs ``call(*args)`` on a helper thread, first telling the submitter it has begun."""
    started.set()
    return call(*args)


def _pipelines(threads: Optional[Union[int, str]]) -> bool:
    """Whether the dicts path serialises a batch while the library writes the one before: only
    when the library's threads leave a core to this one. When they take every core, the
    serialising thread slows the library's down more than the overlap gains (the bench's 1M
    dicts, ``threads=2`` on two cores, in batches of about 3 MB: 2.83-3.48 s in all,
    0.78-0.97 s in ``write``, one after the other, against 3.26-3.80 s and 1.09-1.32 s
    overlapped; four alternating runs each)."""
    # "auto" takes every core; anything but a count above 1 (None, 1, a value the library
    # will refuse) gets no helper thread.
    if not isinstance(threads, int) or isinstance(threads, bool) or threads <= 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return threads < cores


class _JSONSizes:
    """The JSON bytes of the records a writer has serialised so far, which size its next
    native batches (kept across ``write`` calls, so a call of 10,000 records is one batch of
    about 3 MB, not a first batch and the rest)."""

    def __init__(self) -> None:
        self.records = 0
        self.bytes = 0

    def batch_rows(self) -> int:
        """Records per batch: :data:`DEFAULT_BATCH_ROWS` before any is known, then as many as
        take about :data:`DEFAULT_BATCH_BYTES`, within :data:`_BATCH_ROW_LIMITS`."""
        if self.records == 0:
            return DEFAULT_BATCH_ROWS
        per_record = max(1, self.bytes // self.records)
        low, high = _BATCH_ROW_LIMITS
        return min(max(DEFAULT_BATCH_BYTES // per_record, low), high)


class _Chunks:
    """Cuts records into native batches: ``batch_size`` records each when given, else about
    :data:`DEFAULT_BATCH_BYTES` of JSON each, sized by ``sizes`` (updated through
    :meth:`serialized`). Lists and tuples are sliced; other iterables are consumed one batch
    at a time."""

    def __init__(self, records: Iterable[Record], batch_size: Optional[int], sizes: _JSONSizes) -> None:
        self._records = records
        self._fixed = batch_size
        self._sizes = sizes

    @property
    def _size(self) -> int:
        return self._fixed if self._fixed is not None else self._sizes.batch_rows()

    def serialized(self, records: int, size: int) -> None:
        """Notes that a batch of ``records`` records took ``size`` bytes of JSON."""
        self._sizes.records += records
        self._sizes.bytes += size

    def __iter__(self) -> Iterator[Sequence[Record]]:
        records = self._records
        if isinstance(records, (list, tuple)):
            start = 0
            while start < len(records):
                end = start + self._size
                yield records[start:end]
                start = end
            return
        iterator = iter(records)
        while True:
            chunk = list(itertools.islice(iterator, self._size))
            if not chunk:
                return
            yield chunk


def version() -> str:
    """The native library's version string (loads the library)."""
    return _native.library().version()
