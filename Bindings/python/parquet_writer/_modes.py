"""``Writer(mode=...)``: what happens to data already at the output.

Local paths: the library does it all (config key ``mode``), atomically. fsspec outputs (object
stores): the library only opens files through callbacks and cannot list or delete, so this
module does what it cannot:

* ``error``: refuses an existing object (a single file) or a prefix holding visible objects
  (names not starting with ``.`` or ``_``) before anything is written;
* ``overwrite``: lists the objects under the prefix before writing, and deletes them only once
  the new files are committed (the first successful :meth:`Writer.commit` or
  :meth:`Writer.close`). A single file is simply replaced by its upload;
* ``overwrite_partitions``: the same, limited to the old objects in the partition directories
  the new files went to.

Object stores have no atomic rename, so these are not atomic: between the new files' commit
and the deletion of the old ones, a reader listing the prefix sees both, and a crash in that
window leaves both (the old ones are then to be deleted by hand, or by a rerun of the same
overwrite). A check under ``error`` races with a writer creating objects meanwhile.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Literal, Optional

from .errors import ParquetWriterError

#: The modes, as the library's ``mode`` key spells them.
MODES = ("error", "overwrite", "overwrite_partitions", "append")

#: ``Writer(mode=...)``.
Mode = Literal["error", "overwrite", "overwrite_partitions", "append"]


def check_mode(mode: Optional[str]) -> None:
    """Raises ``invalid_options`` (as the library does) for a mode that is not one of :data:`MODES`."""
    if mode is not None and mode not in MODES:
        raise ParquetWriterError(
            {"code": "invalid_options", "message": f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}"}
        )


def _visible(relative: str) -> bool:
    return not any(part.startswith((".", "_")) for part in relative.split("/") if part)


class FsspecModes:
    """The ``mode`` of an fsspec output, done in Python (see the module's doc)."""

    def __init__(self, fs: Any, root: str, *, dataset: bool, mode: Optional[str], name: str) -> None:
        self.fs = fs
        self.root = root.rstrip("/") if dataset else root
        self.dataset = dataset
        self.mode = mode
        #: The output's name as results report it (the URL): summaries' paths start with it.
        self.name = name.rstrip("/")
        #: Old objects (paths relative to the prefix) still to delete once new ones are committed.
        self._old: List[str] = []

    def library_mode(self) -> Optional[str]:
        """The ``mode`` for the library's configuration: none where this class does the work
        (the library then appends a dataset's files, or uploads a file over any old one); the
        others go to the library, which refuses ``append`` and ``overwrite_partitions`` for a file."""
        handled = ("error", "overwrite", "overwrite_partitions") if self.dataset else ("error", "overwrite")
        return None if self.mode in handled else self.mode

    def prepare(self) -> None:
        """Before the library opens anything: refuses under ``error``, lists what to replace."""
        if self.mode == "error":
            if self.dataset:
                visible = [p for p in self._list() if _visible(p)]
                if visible:
                    raise ParquetWriterError({
                        "code": "io_error",
                        "message": f"the dataset directory '{self.name}' is not empty ({visible[0]!r}, ...) and mode 'error' "
                        "refuses to write into it; give mode 'append' to add files, 'overwrite' to replace it, "
                        "or 'overwrite_partitions' to replace the partitions written",
                    })
            elif self.fs.exists(self.root):
                raise ParquetWriterError({
                    "code": "io_error",
                    "message": f"the output '{self.name}' already exists and mode 'error' does not replace it; "
                    "give mode 'overwrite' to replace it",
                })
        elif self.dataset and self.mode in ("overwrite", "overwrite_partitions"):
            self._old = self._list()

    def committed(self, files: Iterable[Dict[str, Any]]) -> None:
        """After a successful commit or close: deletes the old objects the new data replaces.

        ``files`` are every file committed so far (the library's summaries).
        """
        if not self._old:
            return
        if self.mode == "overwrite":
            doomed = self._old
        else:
            written = {self._partition_of(str(f.get("path", ""))) for f in files}
            doomed = [p for p in self._old if p.rpartition("/")[0] in written]
        if not doomed:
            return
        self.fs.rm([f"{self.root}/{p}" for p in doomed])
        gone = set(doomed)
        self._old = [p for p in self._old if p not in gone]

    def _partition_of(self, path: str) -> str:
        """The partition directory (relative to the prefix) of a summary's path."""
        relative = path[len(self.name) + 1:] if path.startswith(self.name + "/") else path
        return relative.rpartition("/")[0]

    def _list(self) -> List[str]:
        """Every object under the prefix, relative to it (none when it does not exist)."""
        try:
            found = self.fs.find(self.root)
        except FileNotFoundError:
            return []
        prefix = self.fs._strip_protocol(self.root).rstrip("/") + "/"
        return sorted(p[len(prefix):] for p in found if p.startswith(prefix))
