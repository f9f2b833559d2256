"""Outputs that are not local paths, driven through the C ABI's sink (``create_writer_with_sink``).

A :class:`SinkTarget` says how to open, write, finish and abort one output; :class:`NativeSink`
turns one into the ``struct parquet_writer_sink`` the library calls. Two targets:

* :class:`FileObjectTarget`: a binary file object the caller opened (``io.BytesIO``, an open
  file, a socket's file). Bytes go to its ``write`` as the library produces them; it is flushed
  when the file is finished and never closed (it is the caller's).
* :class:`FsspecTarget`: a URL served by fsspec (``s3://``, ``gs://``, ``abfs://``,
  ``memory://``, ...). Each output is ``fs.open(path, "wb")``; finishing closes it, which is
  when object stores make it appear (s3fs completes its multipart upload, or puts a small
  file in one request); aborting discards it (s3fs aborts the upload) so that nothing appears.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, Dict, Optional, Protocol

from ._native import SINK_ABORT, SINK_FINISH, SINK_OPEN, SINK_RELEASE, SINK_WRITE, SinkStruct


class SinkTarget(Protocol):
    """One kind of output, as the library's sink callbacks use it."""

    def open(self, path: str) -> Any:
        """Starts the output the library names ``path`` (a single file's configured path, or a
        dataset file's path relative to the dataset); returns a handle passed to the others."""

    def write(self, handle: Any, data: bytes) -> None:
        """Appends ``data`` to the output."""

    def finish(self, handle: Any) -> None:
        """Makes the complete output appear."""

    def abort(self, handle: Any) -> None:
        """Discards the output: nothing should appear."""


class NativeSink:
    """A :class:`SinkTarget` as the C struct of callbacks.

    The ctypes callbacks live as long as this object, which the :class:`~parquet_writer.Writer`
    keeps for its whole life (the library may call them until ``release``). A callback never
    lets an exception into C: the first one raised is kept in :attr:`error` (see
    :meth:`take_error`) and the callback returns nonzero, so the library reports ``io_error``
    and aborts the output. Output handles are small integers, since C holds them as pointers.
    """

    def __init__(self, target: SinkTarget) -> None:
        self.target = target
        self._outputs: Dict[int, Any] = {}
        self._next = 1
        self._lock = threading.Lock()  # callbacks come from whichever thread makes the library call
        self._error: Optional[BaseException] = None
        #: True once the library has called ``release``: it calls nothing after that.
        self.released = False
        self._callbacks = (
            SINK_OPEN(self._open),
            SINK_WRITE(self._write),
            SINK_FINISH(self._finish),
            SINK_ABORT(self._abort),
            SINK_RELEASE(self._release),
        )

    def struct(self) -> SinkStruct:
        """The struct to hand to ``create_writer_with_sink`` (copied by the library)."""
        sink = SinkStruct()
        sink.context = None
        sink.open, sink.write, sink.finish, sink.abort, sink.release = self._callbacks
        return sink

    def take_error(self) -> Optional[BaseException]:
        """The first exception a callback raised since the last call, and forgets it."""
        with self._lock:
            error, self._error = self._error, None
        return error

    def _keep(self, error: BaseException) -> None:
        with self._lock:
            if self._error is None:
                self._error = error

    # -- the callbacks (C calls these; none may raise) ------------------------------------------

    def _open(self, context: Optional[int], path: bytes, file: Any) -> int:
        try:
            handle = self.target.open(path.decode("utf-8", "surrogateescape"))
            with self._lock:
                number = self._next
                self._next += 1
                self._outputs[number] = handle
            file[0] = number
            return 0
        except BaseException as exc:  # noqa: BLE001 - reported through the library's error
            self._keep(exc)
            return 1

    def _write(self, context: Optional[int], file: Optional[int], data: Optional[int], length: int) -> int:
        try:
            self.target.write(self._outputs[file or 0], ctypes.string_at(data, length))
            return 0
        except BaseException as exc:  # noqa: BLE001
            self._keep(exc)
            return 1

    def _finish(self, context: Optional[int], file: Optional[int]) -> int:
        try:
            self.target.finish(self._outputs[file or 0])
            # Only a finished output is forgotten: a failed finish is followed by abort.
            with self._lock:
                self._outputs.pop(file or 0, None)
            return 0
        except BaseException as exc:  # noqa: BLE001
            self._keep(exc)
            return 1

    def _abort(self, context: Optional[int], file: Optional[int]) -> None:
        with self._lock:
            handle = self._outputs.pop(file or 0, None)
        try:
            self.target.abort(handle)
        except BaseException as exc:  # noqa: BLE001
            self._keep(exc)

    def _release(self, context: Optional[int]) -> None:
        self.released = True


class FileObjectTarget:
    """A binary file object the caller opened: one output, written in place.

    Bytes reach the file object as they are produced, so an aborted writer leaves what it had
    written there (a file object cannot take bytes back): the caller discards it, as with any
    stream. Finishing flushes it; it is never closed.
    """

    def __init__(self, fileobj: Any) -> None:
        self.fileobj = fileobj
        self._opened = False

    def open(self, path: str) -> Any:
        if self._opened:
            raise ValueError("a file object holds one file; use directory= with a URL or a path for datasets")
        self._opened = True
        return self.fileobj

    def write(self, handle: Any, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = handle.write(view)
            # Raw (unbuffered) files may write less; buffered ones return the length or None.
            if written is None or written >= len(view):
                return
            if written <= 0:
                raise OSError(f"the file object accepted {written} bytes")
            view = view[written:]

    def finish(self, handle: Any) -> None:
        flush = getattr(handle, "flush", None)
        if callable(flush):
            flush()

    def abort(self, handle: Any) -> None:
        # Nothing can be taken back from a stream; see the class documentation.
        pass


class FsspecTarget:
    """Outputs opened by an fsspec filesystem: a single file at ``root``, or a dataset's files
    under the prefix ``root``.

    An object appears when its file is closed (object stores upload at close), and aborting
    discards the file's upload (``discard()``; s3fs aborts the multipart upload) and marks it
    closed, so that neither an explicit close nor garbage collection uploads what was buffered.
    Filesystems whose files appear as soon as they are opened (fsspec's ``memory://``) have the
    partial object removed instead.
    """

    def __init__(self, fs: Any, root: str, *, dataset: bool) -> None:
        self.fs = fs
        self.root = root.rstrip("/") if dataset else root
        self.dataset = dataset

    def open(self, path: str) -> Any:
        # A dataset's partition directories are key prefixes on object stores: nothing to create.
        full = f"{self.root}/{path}" if self.dataset else self.root
        return (full, self.fs.open(full, "wb"))

    def write(self, handle: Any, data: bytes) -> None:
        handle[1].write(data)

    def finish(self, handle: Any) -> None:
        handle[1].close()

    def abort(self, handle: Any) -> None:
        if handle is None:
            return
        full, file = handle
        from fsspec.spec import AbstractBufferedFile

        if isinstance(file, AbstractBufferedFile):
            # Buffered files (s3fs, gcsfs, adlfs) make the object appear only when they commit
            # at close: discard the upload, and never close.
            try:
                file.discard()
            finally:
                file.closed = True
            return
        try:
            file.close()
        finally:
            if self.fs.exists(full):
                self.fs.rm_file(full)
