"""Fixtures of the binding's tests. They run against the REAL libparquet_writer.so, found as:

PARQUET_WRITER_LIBRARY, else PARQUET_WRITER_LIB (the variable the Makefile passes the interop
suite), else <repo>/.build/release/libparquet_writer.so, else .build-python/release/. The
choice is exported as PARQUET_WRITER_LIBRARY so subprocesses see the same library. The package
is imported from this source tree (Bindings/python), installed or not.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

BINDING_ROOT = Path(__file__).resolve().parents[1]
REPO_ROOT = BINDING_ROOT.parents[1]
sys.path.insert(0, str(BINDING_ROOT))


def _find_library() -> Path | None:
    for var in ("PARQUET_WRITER_LIBRARY", "PARQUET_WRITER_LIB"):
        value = os.environ.get(var)
        if value:
            return Path(value)
    for scratch in (".build", ".build-python"):
        candidate = REPO_ROOT / scratch / "release" / "libparquet_writer.so"
        if candidate.is_file():
            return candidate
    return None


LIBRARY = _find_library()
if LIBRARY is not None:
    os.environ["PARQUET_WRITER_LIBRARY"] = str(LIBRARY.resolve())


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"libparquet_writer: {LIBRARY if LIBRARY else 'NOT FOUND (make build)'}"]


@pytest.fixture(autouse=True)
def _library_present() -> None:
    if LIBRARY is None or not LIBRARY.is_file():
        pytest.fail(
            f"libparquet_writer.so not found ({LIBRARY or 'no PARQUET_WRITER_LIBRARY'}): "
            "`make build` builds it, or set PARQUET_WRITER_LIBRARY"
        )


@pytest.fixture
def out_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty directory of its own, so that leftover temporary files can be seen."""
    d = tmp_path / "out"
    d.mkdir()
    yield d


@pytest.fixture
def memory_fs() -> Iterator[Any]:
    """fsspec's in-memory filesystem, emptied before and after the test."""
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.store.clear()
    fs.pseudo_dirs[:] = [""]
    yield fs
    fs.store.clear()
    fs.pseudo_dirs[:] = [""]
