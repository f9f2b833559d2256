"""Arrow and pandas input: objects that export the Arrow PyCapsule interface, and DataFrames.

Anything with ``__arrow_c_stream__`` (a pyarrow Table, RecordBatchReader or RecordBatch, a
polars DataFrame, a DuckDB result, a pandas DataFrame with pyarrow installed, ...) is handed
to the library's ``write_arrow_stream``; anything with only ``__arrow_c_array__`` to
``write_arrow``. The capsules' structures are moved into the library, which releases them
(the capsules' destructors then find them released and do nothing), so no Arrow memory is
copied into Python and pyarrow is not needed for any of it.

pandas' missing values have one meaning: **null**. ``None``, ``NaN`` (in float and object
columns), ``NaT`` and ``pd.NA`` are all written as null, which is what
``pyarrow.Table.from_pandas`` and ``DataFrame.to_parquet`` do. The index is not written
(``reset_index()`` first to keep it).
"""

from __future__ import annotations

import ctypes
import math
from typing import Any, Dict, Iterator, Optional

_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_capsule_pointer.restype = ctypes.c_void_p


def capsule_address(capsule: Any, name: bytes) -> int:
    """The address a PyCapsule holds, checked against the interface's capsule name."""
    address = _capsule_pointer(capsule, name)  # raises ValueError for another name
    if not address:
        raise ValueError(f"the {name.decode()} capsule holds NULL")
    return int(address)


def is_arrow(obj: Any) -> bool:
    """Whether ``obj`` exports Arrow data through the PyCapsule interface."""
    return hasattr(obj, "__arrow_c_stream__") or hasattr(obj, "__arrow_c_array__")


def is_pandas(obj: Any) -> bool:
    """Whether ``obj`` is a pandas DataFrame (without importing pandas)."""
    cls = type(obj)
    return cls.__name__ == "DataFrame" and cls.__module__.startswith("pandas")


def arrow_source(obj: Any) -> Any:
    """What to export for ``obj``: a pandas DataFrame becomes a pyarrow Table (its missing
    values null, its index left out) when pyarrow is installed; other objects are themselves.

    Returns None for a pandas DataFrame without pyarrow: it is then written as records.
    """
    if not is_pandas(obj):
        return obj
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow.Table.from_pandas(obj, preserve_index=False)


def pandas_records(frame: Any) -> Iterator[Dict[str, Any]]:
    """A pandas DataFrame as dict records, every missing value None (the path without
    pyarrow). Rows are produced one at a time by pandas' own ``itertuples``."""
    columns = [str(column) for column in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        yield {name: _missing_to_none(value) for name, value in zip(columns, row)}


def _missing_to_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    # NaT, pd.NA and numpy NaNs without importing pandas or numpy.
    name = type(value).__name__
    if name in ("NaTType", "NAType"):
        return None
    if name in ("float64", "float32", "float16") and value != value:
        return None
    if hasattr(value, "item") and name.startswith(("int", "uint", "float", "bool")):
        return value.item()  # numpy scalar to Python
    if name == "Timestamp":
        return value.to_pydatetime()
    return value


def schema_address_call(schema: Any, call: Any) -> Dict[str, Any]:
    """Calls ``call(address)`` with the ``ArrowSchema`` of an object that has
    ``__arrow_c_schema__`` (a pyarrow Schema, a polars Schema, ...); the capsule keeps
    ownership and releases the schema when it is collected."""
    capsule = schema.__arrow_c_schema__()
    return call(capsule_address(capsule, b"arrow_schema"))


def stream_capsule(obj: Any) -> Optional[Any]:
    """The ``arrow_array_stream`` capsule of ``obj``, or None when it only exports arrays."""
    export = getattr(obj, "__arrow_c_stream__", None)
    return export() if export is not None else None
