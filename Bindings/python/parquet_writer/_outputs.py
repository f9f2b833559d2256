"""Where a :class:`~parquet_writer.Writer` writes: a local path, a binary file object, or a URL.

:func:`resolve_output` decides, before anything is opened:

* ``str`` or ``os.PathLike`` without ``://``, and ``file://`` URLs: a local path, written by the
  library itself (temporary name, fsync, rename), as always;
* an object with a ``write`` method: a binary file object (single files only);
* any other ``scheme://...``: a URL, served by fsspec when it is installed and knows the
  scheme (``s3://`` through s3fs, ``gs://`` through gcsfs, ``abfs://`` through adlfs,
  ``memory://``, ...). Otherwise it is a clear :class:`UnsupportedOutputError` naming the
  scheme, and nothing is created: a URL is never taken for a local folder named ``s3:``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from ._sinks import FileObjectTarget, FsspecTarget, SinkTarget
from .errors import UnsupportedOutputError

#: ``scheme://``, the scheme as RFC 3986 spells one (a letter, then letters, digits, + - .).
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class Output:
    """A resolved output: the name the library's configuration carries (``path`` or
    ``directory``), and the sink target when the library is not to write a local path."""

    name: str
    target: Optional[SinkTarget]

    @property
    def is_local(self) -> bool:
        return self.target is None


def resolve_output(where: Any, *, dataset: bool, storage_options: Optional[Mapping[str, Any]]) -> Output:
    """Resolves ``Writer``'s ``path`` (``dataset=False``) or ``directory=`` (``dataset=True``).

    Raises :class:`TypeError` for an object that is none of a path, a URL or a binary file
    object, and :class:`UnsupportedOutputError` (``invalid_options``) for a URL that cannot be
    served, for a file object given as a dataset, and for ``storage_options`` with a local path
    or a file object (they are fsspec's, as in pandas and pyarrow).
    """
    what = "directory" if dataset else "path"
    if hasattr(where, "write") and not isinstance(where, (str, bytes, os.PathLike)):
        if dataset:
            raise UnsupportedOutputError("directory= takes a path or a URL, not a file object: a dataset is many files")
        _refuse_storage_options(storage_options, "a file object")
        return Output(_file_object_name(where), FileObjectTarget(where))
    if not isinstance(where, (str, os.PathLike)):
        raise TypeError(f"Writer() {what} must be a str, an os.PathLike, a URL or a binary file object, not {type(where).__name__}")
    text = os.fspath(where)
    if not isinstance(text, str):
        raise TypeError(f"Writer() {what} must be text, not {type(text).__name__}")
    match = _URL.match(text)
    if match is None:
        _refuse_storage_options(storage_options, "a local path")
        return Output(text, None)
    scheme = match.group(1).lower()
    if scheme == "file":
        _refuse_storage_options(storage_options, "a file:// URL")
        return Output(_local_path_of_file_url(text), None)
    return Output(text, _fsspec_target(text, scheme, dataset=dataset, storage_options=storage_options))


def _fsspec_target(url: str, scheme: str, *, dataset: bool, storage_options: Optional[Mapping[str, Any]]) -> FsspecTarget:
    try:
        import fsspec.core
    except ImportError:
        raise UnsupportedOutputError(
            f"writing to a '{scheme}://' URL needs fsspec, which is not installed "
            f"(pip install 'parquet-writer[fsspec]'; for S3 also s3fs)"
        ) from None
    try:
        fs, path = fsspec.core.url_to_fs(url, **dict(storage_options or {}))
    except ImportError as exc:
        # fsspec knows the scheme but its implementation is missing (s3fs, gcsfs, adlfs, ...).
        raise UnsupportedOutputError(f"cannot write to '{scheme}://' URLs: {exc}") from exc
    except ValueError as exc:
        raise UnsupportedOutputError(f"no filesystem serves '{scheme}://' URLs ({exc})") from exc
    return FsspecTarget(fs, path, dataset=dataset)


def _refuse_storage_options(storage_options: Optional[Mapping[str, Any]], what: str) -> None:
    if storage_options:
        raise UnsupportedOutputError(f"storage_options are for URLs served by fsspec, not {what}")


def _local_path_of_file_url(url: str) -> str:
    """``file:///tmp/x`` and ``file://localhost/tmp/x`` as ``/tmp/x``."""
    rest = url[len("file://"):]
    if rest.startswith("localhost/"):
        rest = rest[len("localhost"):]
    if not rest.startswith("/"):
        raise UnsupportedOutputError(f"only local file:// URLs can be written, not '{url}'")
    return rest


def _file_object_name(fileobj: Any) -> str:
    """The name results report for a file object: its ``name`` when that is a path, else a label."""
    name = getattr(fileobj, "name", None)
    if isinstance(name, str) and name and not name.endswith("/") and "\0" not in name:
        return name
    return f"<{type(fileobj).__name__}>"
