"""One version number (issue 12): the repository's VERSION file, and every copy of it -- the
C header's macros, the library's parquet_writer_version(), `created_by` in the files, the CLI's
--version, the Python package -- says the same. `make set-version VERSION=x.y.z` writes them."""

from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

import pyarrow.parquet as pq

from abi import ABI, REPO_ROOT, config

VERSION = (REPO_ROOT / "VERSION").read_text().strip()
CLI = os.environ.get("PARQUET_WRITER_CLI") or str(REPO_ROOT / ".build" / "release" / "parquet-writer")


def test_version_is_major_minor_patch() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION), VERSION


def test_header_macros() -> None:
    header = (REPO_ROOT / "Include" / "parquet_writer.h").read_text()
    macros = dict(re.findall(r"#define PARQUET_WRITER_VERSION(_MAJOR|_MINOR|_PATCH|) (\S+)", header))
    major, minor, patch = VERSION.split(".")
    assert macros == {"_MAJOR": major, "_MINOR": minor, "_PATCH": patch, "": f'"{VERSION}"'}


def test_library_and_files(abi: ABI, out_dir: Path) -> None:
    assert re.fullmatch(rf"{re.escape(VERSION)} \(build [0-9a-f]{{7,12}}\)", abi.version()), abi.version()
    path = out_dir / "v.parquet"
    writer = abi.create(config(path))
    assert abi.write(writer, [{"id": 1}])["ok"]
    assert abi.close(writer)["ok"]
    assert pq.ParquetFile(path).metadata.created_by.startswith(f"parquet-writer version {VERSION} (build ")


def test_cli() -> None:
    out = subprocess.run([CLI, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.startswith(f"parquet-writer version {VERSION} (build "), out


def test_python_package() -> None:
    source = (REPO_ROOT / "Bindings" / "python" / "parquet_writer" / "_version.py").read_text()
    assigned = {node.targets[0].id: node.value.value for node in ast.parse(source).body
                if isinstance(node, ast.Assign)}
    assert assigned == {"__version__": VERSION}
    pyproject = (REPO_ROOT / "Bindings" / "python" / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and "parquet_writer._version.__version__" in pyproject


def test_results_are_compact_json_as_the_header_shows(abi: ABI, out_dir: Path) -> None:
    """The header promises compact results ({"ok":true,...}); a C caller matching the text it
    reads there finds it."""
    import ctypes

    def raw(pointer: int | None) -> str:
        assert pointer
        try:
            return ctypes.string_at(pointer).decode()
        finally:
            abi.lib.free_string(pointer)

    writer = abi.create(config(out_dir / "compact.parquet"))
    written = raw(abi.lib.write_batch(writer, b'[{"id": 1, "name": "a"}]'))
    assert written.startswith('{"ok":true,"rows_written":1,"rows_rejected":0,'), written
    refused = raw(abi.lib.write_batch(writer, b'[{"id": "x"}]'))
    assert refused.startswith('{"ok":false,"error":{"code":"type_mismatch",'), refused
    closed = raw(abi.lib.close_writer(writer))
    assert closed.startswith('{"ok":true,"rows_written":1,'), closed
    for text in (written, refused, closed):
        assert '": ' not in text and '", "' not in text, text
