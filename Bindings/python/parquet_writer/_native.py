"""ctypes declarations of libparquet_writer's C ABI, and where the library is found.

The library is located, in this order:

1. ``PARQUET_WRITER_LIBRARY``: the path of the ``.so`` (an error if set but unusable);
2. ``libparquet_writer.so`` beside this package's ``__init__.py`` (how a wheel ships it);
3. ``libparquet_writer.so`` through the dynamic loader's own search (``LD_LIBRARY_PATH``,
   the system directories).

It is loaded once per process, on first use (importing the package never loads it).

Every ``char *`` the library returns is declared ``c_void_p`` so that ctypes keeps the
pointer: it is read with ``ctypes.string_at`` and handed back to ``free_string`` in a
``finally``. ``last_error()`` and ``parquet_writer_version()`` return library-owned
``const char *`` that are read but never freed. ``SinkStruct`` is the header's
``struct parquet_writer_sink`` (the callbacks of ``create_writer_with_sink``).
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

from .errors import LibraryNotFoundError, ParquetWriterError

ENV_VAR = "PARQUET_WRITER_LIBRARY"
LIBRARY_NAME = "libparquet_writer.so"

_lock = threading.Lock()
_library: Optional["NativeLibrary"] = None

Buffer = Union[bytes, bytearray, memoryview]

# struct parquet_writer_sink's callbacks (Include/parquet_writer.h, section SINKS). Pointers
# are c_void_p: the context and file handles are the binding's own integers, and the bytes of
# a write are read with ctypes.string_at during the call.
SINK_OPEN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p))
SINK_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
SINK_FINISH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
SINK_ABORT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
SINK_RELEASE = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class SinkStruct(ctypes.Structure):
    """``struct parquet_writer_sink``, member for member (the library copies it at creation)."""

    _fields_ = [
        ("context", ctypes.c_void_p),
        ("open", SINK_OPEN),
        ("write", SINK_WRITE),
        ("finish", SINK_FINISH),
        ("abort", SINK_ABORT),
        ("release", SINK_RELEASE),
    ]


class NativeLibrary:
    """The loaded library with typed wrappers over its functions."""

    def __init__(self, cdll: ctypes.CDLL, path: str) -> None:
        self.path = path
        self._dll = cdll
        c_void_p, c_char_p, c_size_t = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t

        self._create_writer = cdll.create_writer
        self._create_writer.argtypes = [c_char_p]
        self._create_writer.restype = c_void_p

        self._create_writer_with_sink = cdll.create_writer_with_sink
        self._create_writer_with_sink.argtypes = [c_char_p, ctypes.POINTER(SinkStruct)]
        self._create_writer_with_sink.restype = c_void_p

        self._write_batch = cdll.write_batch
        self._write_batch.argtypes = [c_void_p, c_char_p]
        self._write_batch.restype = c_void_p

        self._write_batch_n = cdll.write_batch_n
        self._write_batch_n.argtypes = [c_void_p, c_void_p, c_size_t]
        self._write_batch_n.restype = c_void_p

        self._close_writer = cdll.close_writer
        self._close_writer.argtypes = [c_void_p]
        self._close_writer.restype = c_void_p

        self._commit_files = cdll.commit_files
        self._commit_files.argtypes = [c_void_p]
        self._commit_files.restype = c_void_p

        self._abort_writer = cdll.abort_writer
        self._abort_writer.argtypes = [c_void_p]
        self._abort_writer.restype = None

        self._free_string = cdll.free_string
        self._free_string.argtypes = [c_void_p]
        self._free_string.restype = None

        self._last_error = cdll.last_error
        self._last_error.argtypes = []
        self._last_error.restype = c_char_p  # library-owned: copied by ctypes, never freed

        self._version = cdll.parquet_writer_version
        self._version.argtypes = []
        self._version.restype = c_char_p  # static string

        # The Arrow C Data Interface structures are passed by address (taken from capsules).
        self._write_arrow = cdll.write_arrow
        self._write_arrow.argtypes = [c_void_p, c_void_p, c_void_p]
        self._write_arrow.restype = c_void_p

        self._write_arrow_stream = cdll.write_arrow_stream
        self._write_arrow_stream.argtypes = [c_void_p, c_void_p]
        self._write_arrow_stream.restype = c_void_p

        self._schema_from_arrow = cdll.schema_from_arrow
        self._schema_from_arrow.argtypes = [c_void_p]
        self._schema_from_arrow.restype = c_void_p

    # -- owned strings ---------------------------------------------------------------------

    def _take_json(self, pointer: Optional[int], call: str) -> Dict[str, Any]:
        """Reads and frees a returned ``char *`` and parses it as a JSON object."""
        if not pointer:
            raise ParquetWriterError(self.last_error() or {"code": "internal_error", "message": f"{call} returned NULL"})
        try:
            text = ctypes.string_at(pointer)
        finally:
            self._free_string(pointer)
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ParquetWriterError(
                {"code": "invalid_response", "message": f"{call} returned text that is not JSON: {exc}"}
            ) from None
        if not isinstance(value, dict):
            raise ParquetWriterError({"code": "invalid_response", "message": f"{call} returned {text[:200]!r}"})
        return value

    # -- the C functions -------------------------------------------------------------------

    def last_error(self) -> Optional[Dict[str, Any]]:
        """The calling thread's last error, parsed (``None`` when there is none)."""
        raw = self._last_error()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return {"code": "error", "message": raw.decode("utf-8", "replace")}
        if value is None:  # the library says "null" when the thread has no error
            return None
        if isinstance(value, dict):
            # Some error reports wrap the object: {"ok": false, "error": {...}}.
            inner = value.get("error")
            return inner if isinstance(inner, dict) else value
        return {"code": "error", "message": str(value)}

    def version(self) -> str:
        raw = self._version()
        return raw.decode("utf-8") if raw else ""

    def create_writer(self, config_json: bytes) -> int:
        handle = self._create_writer(config_json)
        if not handle:
            error = self.last_error() or {"code": "error", "message": "create_writer failed"}
            raise ParquetWriterError(error)
        return int(handle)

    def create_writer_with_sink(self, config_json: bytes, sink: SinkStruct) -> int:
        """``create_writer_with_sink``: the struct is copied during the call; its callbacks must
        stay alive until the library calls ``release`` (or the writer is closed or aborted)."""
        handle = self._create_writer_with_sink(config_json, ctypes.byref(sink))
        if not handle:
            error = self.last_error() or {"code": "error", "message": "create_writer_with_sink failed"}
            raise ParquetWriterError(error)
        return int(handle)

    def write_batch(self, handle: int, records_json: bytes) -> Dict[str, Any]:
        """``write_batch``: NUL-terminated input (``records_json`` must hold no NUL byte)."""
        return self._take_json(self._write_batch(handle, records_json), "write_batch")

    def write_batch_n(self, handle: int, data: Buffer) -> Dict[str, Any]:
        """``write_batch_n`` over any bytes-like object, without copying bytes or bytearray."""
        return self.take_result(self.write_batch_n_raw(handle, data), "write_batch_n")

    def take_result(self, raw: Tuple[Optional[int], Optional[Dict[str, Any]]], call: str) -> Dict[str, Any]:
        """What a raw call returned (its ``char *``, and the calling thread's last error when
        that is NULL), parsed, the string freed: on any thread."""
        pointer, error = raw
        if not pointer:
            raise ParquetWriterError(error or {"code": "internal_error", "message": f"{call} returned NULL"})
        return self._take_json(pointer, call)

    def write_batch_n_raw(self, handle: int, data: Buffer) -> Tuple[Optional[int], Optional[Dict[str, Any]]]:
        """``write_batch_n`` returning the result's ``char *`` unread: one native call, so a
        helper thread making it needs the GIL only to start and to return."""
        if isinstance(data, bytes):
            pointer: Any = data  # ctypes passes the bytes object's own buffer
            length = len(data)
        else:
            view = memoryview(data)
            if not view.contiguous:
                view = memoryview(view.tobytes())
            view = view.cast("B")
            length = view.nbytes
            if view.readonly:
                pointer = view.tobytes()  # ctypes cannot point into a read-only buffer
            else:
                pointer = (ctypes.c_char * length).from_buffer(view) if length else None
        result = self._write_batch_n(handle, pointer, length)
        # The last error is the calling thread's: read here when the call failed outright.
        return result, (None if result else self.last_error())

    def write_arrow(self, handle: int, schema: int, array: int) -> Dict[str, Any]:
        """``write_arrow``: moves the ``ArrowSchema``/``ArrowArray`` at these addresses (both
        are released by the call, whatever the outcome)."""
        return self._take_json(self._write_arrow(handle, schema, array), "write_arrow")

    def write_arrow_stream(self, handle: int, stream: int) -> Dict[str, Any]:
        """``write_arrow_stream``: moves the ``ArrowArrayStream`` at this address."""
        return self._take_json(self._write_arrow_stream(handle, stream), "write_arrow_stream")

    def schema_from_arrow(self, schema: int) -> Dict[str, Any]:
        """``schema_from_arrow``: reads the ``ArrowSchema`` at this address (not released)."""
        return self._take_json(self._schema_from_arrow(schema), "schema_from_arrow")

    def commit_files(self, handle: int) -> Dict[str, Any]:
        """``commit_files``: finishes every open file of a dataset writer (the handle stays open)."""
        return self._take_json(self._commit_files(handle), "commit_files")

    def close_writer(self, handle: int) -> Dict[str, Any]:
        return self._take_json(self._close_writer(handle), "close_writer")

    def abort_writer(self, handle: int) -> None:
        self._abort_writer(handle)


def _candidates() -> list[tuple[str, str]]:
    here = Path(__file__).resolve().parent / LIBRARY_NAME
    return [(str(here), "beside the package"), (LIBRARY_NAME, "the dynamic loader's search path")]


def _load() -> NativeLibrary:
    hint = (
        f"set {ENV_VAR} to the path of {LIBRARY_NAME} (built by `make build`, e.g. "
        f".build/release/{LIBRARY_NAME}), or copy it beside parquet_writer/__init__.py"
    )
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise LibraryNotFoundError(f"{ENV_VAR}={explicit!r}: no such file; {hint}")
        try:
            return NativeLibrary(ctypes.CDLL(str(path.resolve())), str(path.resolve()))
        except OSError as exc:
            raise LibraryNotFoundError(f"{ENV_VAR}={explicit!r} could not be loaded: {exc}") from None
        except AttributeError as exc:
            raise LibraryNotFoundError(f"{ENV_VAR}={explicit!r} is not libparquet_writer: {exc}") from None

    tried = []
    for candidate, where in _candidates():
        if os.sep in candidate and not os.path.isfile(candidate):
            tried.append(f"{candidate} (missing)")
            continue
        try:
            return NativeLibrary(ctypes.CDLL(candidate), candidate)
        except OSError as exc:
            tried.append(f"{where}: {exc}")
        except AttributeError as exc:
            tried.append(f"{candidate} lacks a C ABI function: {exc}")
    raise LibraryNotFoundError(f"{LIBRARY_NAME} not found ({'; '.join(tried)}); {hint}")


def library() -> NativeLibrary:
    """The process-wide library, loaded on first call."""
    global _library
    lib = _library
    if lib is None:
        with _lock:
            if _library is None:
                _library = _load()
            lib = _library
    return lib
