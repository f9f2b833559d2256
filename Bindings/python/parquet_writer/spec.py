"""``WriterSpec``: a writer's configuration as a plain picklable value, for engines that fan out.

A :class:`~parquet_writer.Writer` holds a native handle and cannot travel to another process.
Dask, Ray and Spark tasks receive a :class:`WriterSpec` instead: each task writes its share
with :meth:`WriterSpec.write`, which returns the summaries of the files it wrote (plain dicts,
as :attr:`Writer.files` lists them), and the driver commits every task's summaries once::

    spec = WriterSpec("lake/events", schema, partition_by=["country"], compression="zstd")
    futures = client.map(spec.write, chunks, range(len(chunks)))   # Dask: write(data, task)
    spec.commit([f for files in client.gather(futures) for f in files])

Exactly once, whatever the engine retries: tasks write into a job's staging directory beside
the root (``<parent>/.<name>.staging/<job>/``: on the same file system, so files move by rename,
and outside the root, so no reader or glob of the root sees them before the commit; DuckDB's
``**`` globs do not skip ``_temporary``-style directories inside a root).
:meth:`WriterSpec.commit` records the files it was given in ``<root>/_manifests/<job>.json``
(written atomically: that is the commit point), moves exactly those files into place, then
deletes the staging directory with whatever a failed or duplicated task attempt left there. Rerunning ``commit`` after a crash finishes the moves the
manifest lists. Table formats commit the same summaries into their own log instead
(:mod:`parquet_writer.iceberg`, :mod:`parquet_writer.delta`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from .errors import ParquetWriterError
from .writer import RecordsInput, Writer, normalize_schema

#: Writer arguments a spec decides itself: where files go, their names, and what happens to old data.
_RESERVED = ("path", "directory", "file_prefix", "mode", "schema")

#: Modes a job commits with (the tasks themselves only ever add files).
JOB_MODES = ("append", "overwrite")


def _new_job() -> str:
    return uuid.uuid4().hex[:16]


def _invalid(message: str) -> ParquetWriterError:
    return ParquetWriterError({"code": "invalid_options", "message": message})


@dataclass(frozen=True, init=False)
class WriterSpec:
    """Where and how tasks write one dataset: picklable, immutable, cheap to send.

    ``root`` is the dataset directory (a local path). ``schema`` is anything
    :class:`Writer` takes (normalised here to the native ``{"fields": [...]}`` dict);
    ``options`` are the other :class:`Writer` keyword arguments (``partition_by``,
    ``compression``, ``sort_by``, ``max_rows_per_file``, ...), checked when the spec is made.
    ``mode`` is what the commit does to files already visible under ``root``: ``"append"``
    (default) adds beside them, ``"overwrite"`` deletes them once the new files are in place.
    ``job`` names this run's staging directory (beside ``root``, see the module's doc) and
    manifest; ``prefix`` starts every file
    name (``<prefix>-<task>-<sequence>-<run>.parquet``: the run token is random per writer, so
    two attempts of one task never clash either). ``staged=False`` makes tasks write into
    ``root`` itself: for table formats, whose commit is their log, not a rename.
    """

    root: str
    schema: Optional[Dict[str, Any]] = field(default=None, hash=False)
    options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    mode: str = "append"
    job: str = field(default_factory=_new_job)
    prefix: str = "part"
    staged: bool = True

    def __init__(
        self,
        root: "str | os.PathLike[str]",
        schema: Any = None,
        *,
        mode: str = "append",
        job: Optional[str] = None,
        prefix: str = "part",
        staged: bool = True,
        **options: Any,
    ) -> None:
        for key in _RESERVED:
            if key in options:
                raise _invalid(f"WriterSpec sets {key!r} itself; it is not a writer option here")
        unknown = sorted(set(options) - set(_WRITER_OPTIONS))
        if unknown:
            raise _invalid(f"unknown writer option(s) {', '.join(map(repr, unknown))}")
        if mode not in JOB_MODES:
            raise _invalid(f"unknown job mode {mode!r}; expected one of: {', '.join(JOB_MODES)}")
        if "://" in os.fspath(root) and not os.fspath(root).startswith("file://"):
            raise _invalid("WriterSpec writes to a local (or shared, mounted) directory; URLs are not supported yet")
        object.__setattr__(self, "root", os.fspath(root).removeprefix("file://"))
        object.__setattr__(self, "schema", None if schema is None else normalize_schema(schema))
        object.__setattr__(self, "options", dict(options))
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "job", job or _new_job())
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "staged", staged)

    @property
    def staging_directory(self) -> str:
        """Where this job's tasks write: ``<parent>/.<name>.staging/<job>`` beside the root
        (the root itself when not staged)."""
        return os.path.join(self._staging_parent, self.job) if self.staged else self.root

    @property
    def _staging_parent(self) -> str:
        root = Path(os.path.abspath(self.root))
        return str(root.parent / f".{root.name}.staging")

    @property
    def manifest_path(self) -> str:
        """The job's manifest, written by :meth:`commit`: ``<root>/_manifests/<job>.json``."""
        return os.path.join(self.root, "_manifests", f"{self.job}.json")

    def with_job(self, job: Optional[str] = None) -> "WriterSpec":
        """The same spec for a new run (a fresh job id unless one is given)."""
        return WriterSpec(
            self.root, self.schema, mode=self.mode, job=job or _new_job(), prefix=self.prefix, staged=self.staged,
            **self.options,
        )

    def writer(self, task: "int | str" = 0) -> Writer:
        """Opens a :class:`Writer` for one task's files (close it, then send :attr:`Writer.files`)."""
        return Writer(
            directory=self.staging_directory,
            schema=self.schema,
            file_prefix=f"{self.prefix}-{task}",
            mode="append",
            **self.options,
        )

    def write(self, data: RecordsInput, task: "int | str" = 0) -> List[Dict[str, Any]]:
        """Writes one task's records (anything :meth:`Writer.write` takes) and returns the
        summaries of the files written, for the driver to commit.

        On an error nothing of this task is committed: its finished files stay in staging
        until the commit or :meth:`abort` removes them.
        """
        with self.writer(task) as w:
            w.write(data)
        return list(w.files)

    def commit(self, files: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
        """Publishes exactly ``files`` (the summaries tasks returned) in one job commit.

        Returns the manifest: ``{"job", "committed_at", "mode", "files": [...], "replaced":
        [...]}`` with paths relative to ``root``. Committing the same files again finishes an
        interrupted commit and changes nothing after a complete one. Raises
        ``invalid_options`` for a summary that is not in this job's staging directory or a job
        already committed with other files, and ``io_error`` when a listed file is gone from
        both staging and its destination.
        """
        if not self.staged:
            raise _invalid("a spec with staged=False is committed by its table format, not by WriterSpec.commit")
        staging = Path(self.staging_directory)
        entries = [self._relative(summary, staging) for summary in files]
        manifest_path = Path(self.manifest_path)
        if manifest_path.exists():
            # Committed before (perhaps interrupted after its commit point): finish that commit.
            manifest = json.loads(manifest_path.read_text())
            if sorted(e["path"] for e in manifest["files"]) != sorted(e["path"] for e in entries):
                raise _invalid(
                    f"job {self.job} is already committed with other files; use spec.with_job() for a new run"
                )
        else:
            old = self._visible_files() if self.mode == "overwrite" else []
            manifest = {"job": self.job, "committed_at": int(time.time() * 1000), "mode": self.mode,
                        "files": entries, "replaced": old}
            _write_atomically(manifest_path, json.dumps(manifest, indent=1).encode())
        self._publish(manifest)
        return manifest

    def abort(self) -> None:
        """Removes this job's staging directory (every task's files); the dataset is unchanged."""
        if self.staged:
            self._remove_staging()

    def _remove_staging(self) -> None:
        shutil.rmtree(self.staging_directory, ignore_errors=True)
        try:
            os.rmdir(self._staging_parent)  # only when no other job is staging
        except OSError:
            pass

    def _relative(self, summary: Mapping[str, Any], staging: Path) -> Dict[str, Any]:
        path = Path(str(summary["path"]))
        try:
            relative = path.resolve().relative_to(staging.resolve())
        except ValueError:
            raise _invalid(f"{path} is not a file of job {self.job} (expected under {staging})") from None
        entry = dict(summary)
        entry["path"] = relative.as_posix()
        return entry

    def _visible_files(self) -> List[str]:
        root = Path(self.root)
        found: List[str] = []
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = [d for d in subdirectories if not d.startswith(("_", "."))]
            for name in names:
                if not name.startswith(("_", ".")):
                    found.append((Path(directory) / name).relative_to(root).as_posix())
        return sorted(found)

    def _publish(self, manifest: Mapping[str, Any]) -> None:
        root = Path(self.root)
        staging = Path(self.staging_directory)
        touched = set()
        for entry in manifest["files"]:
            source = staging / entry["path"]
            target = root / entry["path"]
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
                touched.add(target.parent)
            elif not target.exists():
                raise ParquetWriterError(
                    {"code": "io_error", "message": f"{entry['path']} of job {self.job} is in neither staging nor the dataset"}
                )
        for directory in touched:
            _fsync_directory(directory)
        new = {entry["path"] for entry in manifest["files"]}
        for relative in manifest.get("replaced", []):
            if relative not in new:
                try:
                    (root / relative).unlink()
                except FileNotFoundError:
                    pass
        self._remove_staging()


def read_manifests(root: "str | os.PathLike[str]") -> List[Dict[str, Any]]:
    """Every job manifest committed under a dataset ``root``, oldest first."""
    directory = Path(root) / "_manifests"
    if not directory.is_dir():
        return []
    manifests = [json.loads(p.read_text()) for p in directory.glob("*.json")]
    return sorted(manifests, key=lambda m: (m["committed_at"], m["job"]))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _writer_options() -> Sequence[str]:
    import inspect

    parameters = inspect.signature(Writer.__init__).parameters
    return tuple(name for name in parameters if name not in ("self", *_RESERVED))


_WRITER_OPTIONS = _writer_options()
