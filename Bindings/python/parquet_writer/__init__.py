"""Python binding of libparquet_writer: stream JSON-shaped records into Parquet files.

    from parquet_writer import Writer

    with Writer("out.parquet", [("id", "int64"), ("name", "string")]) as w:
        w.write({"id": i, "name": f"n{i}"} for i in range(1_000_000))

The native library is located through ``PARQUET_WRITER_LIBRARY`` (path of the .so), else
``libparquet_writer.so`` beside this file, else the dynamic loader's search path; see
``parquet_writer._native``. ``Writer`` writes to a local path, a binary file object, or a URL
served by fsspec (``s3://``, ``gs://``, ``abfs://``, ``memory://``; ``storage_options=`` as in
pandas). ``Writer(directory=...)`` writes a dataset (rolled and
hive-partitioned files, :meth:`Writer.commit` at checkpoints), and ``parquet_writer.airbyte``
turns an Airbyte message stream into record batches and states. A ``Writer`` is used by one
thread at a time (see its docstring); engines (Dask, Ray, Spark) send tasks a picklable
``WriterSpec`` instead, and the driver commits the files the tasks return once.
``parquet_writer.iceberg`` (optional, on pyiceberg) writes into and commits to Iceberg tables.
"""

from .errors import LibraryNotFoundError, ParquetWriterError, UnsupportedOutputError
from .airbyte import AirbyteMessageError, OtherMessage, RecordBatch, StateMessage, airbyte_batches, read_messages
from .writer import DEFAULT_BATCH_BYTES, DEFAULT_BATCH_ROWS, Partition, Writer, WriteResult, normalize_schema, version
from ._modes import MODES, Mode
from .table import write_table
from .spec import WriterSpec, read_manifests
from ._version import __version__

__all__ = [
    "DEFAULT_BATCH_BYTES",
    "DEFAULT_BATCH_ROWS",
    "AirbyteMessageError",
    "LibraryNotFoundError",
    "MODES",
    "Mode",
    "OtherMessage",
    "ParquetWriterError",
    "Partition",
    "RecordBatch",
    "StateMessage",
    "UnsupportedOutputError",
    "WriteResult",
    "Writer",
    "WriterSpec",
    "__version__",
    "airbyte_batches",
    "normalize_schema",
    "read_manifests",
    "read_messages",
    "version",
    "write_table",
]
