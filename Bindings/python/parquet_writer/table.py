"""``write_table``: one call from data in memory to a Parquet file, as ``pyarrow.parquet.write_table``."""

from __future__ import annotations

from typing import Any, Dict, Optional, Union

from .writer import PathLike, RecordsInput, SchemaSpec, Writer

# pyarrow's codec names that the library spells differently (pyarrow's "lz4" writes LZ4_RAW).
_PYARROW_CODECS = {"lz4": "lz4_raw"}


def write_table(
    table: Union[RecordsInput, Any],
    where: PathLike,
    *,
    schema: Optional[SchemaSpec] = None,
    row_group_size: Optional[int] = None,
    use_dictionary: Optional[bool] = None,
    compression: str = "snappy",
    compression_level: Optional[int] = None,
    **options: Any,
) -> Dict[str, Any]:
    """Writes ``table`` to the Parquet file ``where`` and returns the writer's summary.

    ``table`` is anything :meth:`Writer.write` takes: a pyarrow Table or RecordBatch, a
    polars DataFrame, any object with ``__arrow_c_stream__``/``__arrow_c_array__``, a pandas
    DataFrame, a list of dicts, JSON text. The keyword arguments follow
    ``pyarrow.parquet.write_table``: ``row_group_size`` (rows per row group),
    ``use_dictionary``, ``compression`` and ``compression_level``; every other keyword is a
    :class:`Writer` argument (``schema``, ``metadata``, ``threads``, ``on_invalid``, ...).
    ``compression`` takes pyarrow's names too, in any case: ``"lz4"`` is ``"lz4_raw"`` (the
    codec pyarrow writes for it; the deprecated Hadoop-framed LZ4 is never written).
    Without ``schema``, the columns come from the Arrow schema (or are inferred from records).

    The file appears only when it is complete: on any error nothing is left at ``where``.

    >>> import pyarrow as pa
    >>> write_table(pa.table({"id": [1, 2]}), "ids.parquet")["rows_written"]
    2
    """
    if row_group_size is not None:
        options["row_group_rows"] = row_group_size
    if use_dictionary is not None:
        options["dictionary"] = bool(use_dictionary)
    compression = _PYARROW_CODECS.get(compression.lower(), compression.lower())
    with Writer(where, schema, compression=compression, compression_level=compression_level, **options) as writer:
        writer.write(table)
    assert writer.summary is not None
    return writer.summary
