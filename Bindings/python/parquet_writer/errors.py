"""The exception raised by the binding."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple, Type


class ParquetWriterError(Exception):
    """An error reported by libparquet_writer (or by the binding before calling it).

    ``error`` is the library's error object, e.g.
    ``{"code": "malformed_json", "message": "...", "row": 3, "column": "id", "offset": 120}``;
    the properties below read its fields (``None`` when absent). ``result`` is the whole
    result object of the call when the library returned one (``{"ok": false, "error": ...}``),
    or, for a :meth:`Writer.write` consumed in several native batches, the totals of the
    batches written before the failing one.

    Codes raised by the library are the ``ParquetError.Code`` raw values (``invalid_schema``,
    ``invalid_options``, ``type_mismatch``, ``value_out_of_range``, ``invalid_value``,
    ``malformed_json``, ``missing_value``, ``invalid_record``, ``io_error``, ...). The binding
    itself raises ``writer_closed`` (use after close/abort), ``library_not_found``,
    ``unserializable`` (a Python value with no JSON form) and ``invalid_response``.
    """

    def __init__(
        self,
        error: Mapping[str, Any] | str,
        *,
        result: Optional[Mapping[str, Any]] = None,
    ) -> None:
        if isinstance(error, str):
            error = {"code": "error", "message": error}
        self.error: Dict[str, Any] = dict(error)
        self.result: Optional[Dict[str, Any]] = dict(result) if result is not None else None
        super().__init__(self._describe())

    def __reduce__(self) -> Tuple[Any, ...]:
        # Keeps error and result across pickling (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), self.error, self.result))

    def _describe(self) -> str:
        text = f"{self.code}: {self.message}"
        where = []
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        if where:
            text += " (" + ", ".join(where) + ")"
        return text

    @property
    def code(self) -> str:
        """The machine-readable error code, e.g. ``"malformed_json"``."""
        return str(self.error.get("code", "error"))

    @property
    def message(self) -> str:
        """What went wrong, for people."""
        return str(self.error.get("message", ""))

    @property
    def row(self) -> Optional[int]:
        """The record concerned (0-based within the ``write`` call), when there is one."""
        value = self.error.get("row")
        return int(value) if value is not None else None

    @property
    def column(self) -> Optional[str]:
        """The column concerned, when there is one."""
        value = self.error.get("column")
        return str(value) if value is not None else None

    @property
    def offset(self) -> Optional[int]:
        """The byte offset in the JSON input where the problem was found, when known."""
        value = self.error.get("offset")
        return int(value) if value is not None else None


class LibraryNotFoundError(ParquetWriterError, OSError):
    """libparquet_writer.so could not be located or loaded (also an :class:`OSError`)."""

    def __init__(self, message: str) -> None:
        ParquetWriterError.__init__(self, {"code": "library_not_found", "message": message})

    def __str__(self) -> str:
        return self._describe()


class UnsupportedOutputError(ParquetWriterError, ValueError):
    """An output the binding cannot write (also a :class:`ValueError`): a URL whose scheme no
    installed fsspec filesystem serves, fsspec itself missing, a file object for a dataset, or
    ``storage_options`` with a local path. Its code is ``invalid_options``."""

    def __init__(self, message: str) -> None:
        ParquetWriterError.__init__(self, {"code": "invalid_options", "message": message})

    def __str__(self) -> str:
        return self._describe()


def _rebuild(
    cls: Type[ParquetWriterError], error: Dict[str, Any], result: Optional[Dict[str, Any]]
) -> ParquetWriterError:
    instance = cls.__new__(cls)
    ParquetWriterError.__init__(instance, error, result=result)
    return instance
