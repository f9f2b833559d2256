"""The core library is Foundation-free: the built shared library links no Foundation and no
source file of the library imports it (only test tooling may)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
LIBRARY = Path(os.environ.get("PARQUET_WRITER_LIB", REPO_ROOT / ".build" / "release" / "libparquet_writer.so"))
FOUNDATION = re.compile(r"Foundation|XCTest", re.IGNORECASE)


def needed_libraries(path: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(path)], check=True, capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def test_shared_library_links_no_foundation() -> None:
    if not LIBRARY.exists():
        pytest.fail(f"{LIBRARY} is missing: `make build` (or `make test`) builds it")
    needed = needed_libraries(LIBRARY)
    assert needed, "readelf found no NEEDED entries: the check itself is broken"
    assert any(name.startswith("libzstd") for name in needed), needed
    assert [name for name in needed if FOUNDATION.search(name)] == [], needed


def test_library_sources_import_no_foundation() -> None:
    sources = sorted((REPO_ROOT / "Sources").rglob("*.swift"))
    assert sources, "no Swift sources found"
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in sources
        if re.search(r"^\s*(@_exported\s+)?import\s+(Foundation\w*)\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []
