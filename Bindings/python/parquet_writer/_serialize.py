"""Records (dicts) to the JSON text the library reads.

orjson is used when it is importable, the json module otherwise. Both produce one JSON array
per batch with the same mapping of Python values:

* ``datetime`` -> RFC 3339 text; a naive datetime is taken as UTC (``+00:00`` is added);
* ``date`` -> ``"YYYY-MM-DD"``; ``time`` -> ``"HH:MM:SS[.ffffff]"``;
* ``Decimal`` -> its exact positional text (``"12.50"``, never an exponent);
* ``UUID`` -> canonical text; ``bytes``/``bytearray``/``memoryview`` -> base64;
* a non-finite float (NaN, +-inf) in a float32/float64 column -> ``"NaN"``, ``"Infinity"`` or
  ``"-Infinity"`` (JSON has no literal for them; the library reads these strings back). In any
  other column it is written as null (pandas' missing value). Inside a nested value (a
  ``json`` column) it has no JSON form: orjson writes ``null`` there, the json module raises.

The non-finite handling costs nothing on batches without any: orjson writes non-finite floats
as ``null``, so the float columns are scanned only when the output holds ``"<column>":null`` for
one of them (orjson writes no whitespace, and a key as it writes any string; a null in another
column, common in real records, no longer sends every batch through the scan, which cost about
as much as serialising); the json module runs with ``allow_nan=False`` and records are rewritten
only when it refuses.
"""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
import functools
import json
import math
import operator
import uuid
from typing import Any, Callable, Collection, Dict, List, Mapping, Optional, Sequence, Tuple

from .errors import ParquetWriterError

Record = Mapping[str, Any]

_NAN = "NaN"
_POS_INF = "Infinity"
_NEG_INF = "-Infinity"


def _nonfinite_text(value: float) -> str:
    if value != value:
        return _NAN
    return _POS_INF if value > 0 else _NEG_INF


def default(value: Any) -> Any:
    """The ``default`` hook shared by both backends for values JSON has no type for."""
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_IS_NOT_NONE = functools.partial(operator.is_not, None)


def has_nonfinite(records: Sequence[Record], float_columns: Sequence[str]) -> bool:
    """Whether any record holds a non-finite float in one of ``float_columns``.

    The usual answer (no) comes from summing each column with ``math.fsum`` over C-level
    iterators: a NaN or an infinity makes the exact sum non-finite, finite values never do.
    That is several times cheaper than a Python loop over the records, which mattered: it
    cost more than serialising the batch. Anything fsum cannot take (text, an overflowing
    or ``inf - inf`` sum) falls back to the loop, which decides exactly.
    """
    for key in float_columns:
        values = filter(_IS_NOT_NONE, map(operator.methodcaller("get", key), records))
        try:
            total = math.fsum(values)
        except (TypeError, ValueError, OverflowError):
            if _has_nonfinite_loop(records, key):
                return True
            continue
        if not math.isfinite(total):
            return True
    return False


def _has_nonfinite_loop(records: Sequence[Record], key: str) -> bool:
    isfinite = math.isfinite
    for record in records:
        value = record.get(key)
        if isinstance(value, float) and not isfinite(value):
            return True
    return False


def replace_nonfinite(records: Sequence[Record], float_columns: Collection[str]) -> List[Record]:
    """A copy of ``records`` whose top-level non-finite floats (float subclasses too, e.g.
    numpy.float64) are their strings in ``float_columns`` and ``None`` elsewhere; records
    without any are reused as they are."""
    out: List[Record] = []
    isfinite = math.isfinite
    for record in records:
        fixed: Optional[Dict[str, Any]] = None
        for key, value in record.items():
            if isinstance(value, float) and not isfinite(value):
                if fixed is None:
                    fixed = dict(record)
                fixed[key] = _nonfinite_text(value) if key in float_columns else None
        out.append(fixed if fixed is not None else record)
    return out


class Serializer:
    """Turns a list of records into one JSON array (bytes)."""

    name: str

    def __init__(self, float_columns: Sequence[str] = ()) -> None:
        self.float_columns: Tuple[str, ...] = tuple(float_columns)
        self._float_set = frozenset(self.float_columns)

    def dumps(self, records: Sequence[Record]) -> bytes:
        raise NotImplementedError


class JsonSerializer(Serializer):
    name = "json"

    def __init__(self, float_columns: Sequence[str] = ()) -> None:
        super().__init__(float_columns)
        self._encoder = json.JSONEncoder(
            ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=default
        )

    def dumps(self, records: Sequence[Record]) -> bytes:
        try:
            text = self._encoder.encode(list(records))
        except ValueError:
            # Out-of-range float (NaN/Infinity): rewrite the records that hold one, once.
            try:
                text = self._encoder.encode(replace_nonfinite(records, self._float_set))
            except ValueError as exc:
                raise ParquetWriterError(
                    {"code": "unserializable", "message": f"{exc} (a non-finite float inside a nested value has no JSON form)"}
                ) from None
            except TypeError as exc:
                raise ParquetWriterError({"code": "unserializable", "message": str(exc)}) from None
        except TypeError as exc:
            raise ParquetWriterError({"code": "unserializable", "message": str(exc)}) from None
        # Lone surrogates cannot be UTF-8; "surrogatepass" keeps them for the library to reject.
        return text.encode("utf-8", "surrogatepass")


class OrjsonSerializer(Serializer):
    name = "orjson"

    def __init__(self, orjson_module: Any, float_columns: Sequence[str] = ()) -> None:
        super().__init__(float_columns)
        self._orjson = orjson_module
        self._dumps: Callable[..., bytes] = orjson_module.dumps
        self._option: int = orjson_module.OPT_NAIVE_UTC | getattr(orjson_module, "OPT_SERIALIZE_NUMPY", 0)
        self._fallback = JsonSerializer(float_columns)
        #: What orjson writes for a null (or a non-finite float) in each float column.
        self._null_members: Tuple[bytes, ...] = tuple(orjson_module.dumps(key) + b":null" for key in self.float_columns)

    def dumps(self, records: Sequence[Record]) -> bytes:
        if not isinstance(records, list):
            records = list(records)
        try:
            data = self._dumps(records, default=default, option=self._option)
        except TypeError:
            # orjson refuses some values json accepts (ints beyond 64 bits, non-str keys, ...):
            # the json module either writes them (the library then reports the row) or says why not.
            return self._fallback.dumps(records)
        if any(member in data for member in self._null_members) and has_nonfinite(records, self.float_columns):
            data = self._dumps(replace_nonfinite(records, self._float_set), default=default, option=self._option)
        return data


def make_serializer(float_columns: Sequence[str] = (), prefer_orjson: bool = True) -> Serializer:
    """orjson when importable (and wanted), the json module otherwise."""
    if prefer_orjson:
        try:
            import orjson
        except ImportError:
            pass
        else:
            return OrjsonSerializer(orjson, float_columns)
    return JsonSerializer(float_columns)
