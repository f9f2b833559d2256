"""Bindings/c/example.c: compiles warning-free against the header, runs against the .so, and
the file it writes reads back with pyarrow and DuckDB."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from abi import LIBRARY, REPO_ROOT, SANITIZER

# An AddressSanitizer build of the library refers to the __asan_* functions of the runtime that
# LD_PRELOAD provides at run time; the linker must let those references through.
SANITIZER_LDFLAGS = ["-Wl,--allow-shlib-undefined"] if SANITIZER == "address" else []


def compiler() -> str:
    for name in (os.environ.get("CC"), "cc", "clang", "gcc"):
        if name and shutil.which(name):
            return name
    pytest.fail("no C compiler (cc, clang or gcc) found", pytrace=False)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LIBRARY.is_file():
        pytest.fail(f"{LIBRARY} is missing: `make build` builds it", pytrace=False)
    binary = tmp_path_factory.mktemp("c-example") / "example"
    proc = subprocess.run(
        [compiler(), "-Wall", "-Wextra", "-Werror", "-std=c11", "-pedantic", "-I", str(REPO_ROOT / "Include"),
         str(REPO_ROOT / "Bindings" / "c" / "example.c"), "-o", str(binary),
         "-L", str(LIBRARY.parent), "-lparquet_writer", f"-Wl,-rpath,{LIBRARY.parent}", *SANITIZER_LDFLAGS],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return binary


def test_header_compiles_as_cxx(tmp_path: Path) -> None:
    cxx = next((c for c in ("c++", "clang++", "g++") if shutil.which(c)), None)
    if cxx is None:
        pytest.skip("no C++ compiler")
    source = tmp_path / "use.cpp"
    source.write_text('#include "parquet_writer.h"\nint main() { return parquet_writer_version() == nullptr; }\n')
    proc = subprocess.run(
        [cxx, "-Wall", "-Wextra", "-Werror", "-I", str(REPO_ROOT / "Include"), str(source), "-o", str(tmp_path / "use"),
         "-L", str(LIBRARY.parent), "-lparquet_writer", f"-Wl,-rpath,{LIBRARY.parent}", *SANITIZER_LDFLAGS],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert subprocess.run([str(tmp_path / "use")]).returncode == 0


def test_example_runs_and_its_file_reads_back(example: Path, tmp_path: Path) -> None:
    output = tmp_path / "example.parquet"
    proc = subprocess.run([str(example), str(output)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all steps behaved as expected" in proc.stdout
    assert '"rows_rejected":1' in proc.stdout and '"invalid_argument"' in proc.stdout
    assert "unknown key 'colour'" in proc.stdout
    # The memory sink got a whole file (checked in C: PAR1 at both ends, finish and release ran).
    assert "sink close: {\"ok\":true" in proc.stdout and "bytes in memory" in proc.stdout
    rows = pq.read_table(output).to_pylist()
    assert [r["id"] for r in rows] == [1, 2, 3, 5]
    assert [r["name"] for r in rows] == ["apple", None, "cherry", "elderberry"]
    assert str(rows[0]["price"]) == "1.25" and str(rows[2]["price"]) == "-0.01"
    assert pq.ParquetFile(output).metadata.metadata[b"written_by"] == b"example.c"
    assert duckdb.sql(f"SELECT count(*), sum(id) FROM read_parquet('{output}')").fetchall() == [(4, 11)]
    # The aborted scratch writer left nothing.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.parquet"]
