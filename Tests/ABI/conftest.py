"""Fixtures of the C ABI suite: the library loaded with ctypes (PARQUET_WRITER_LIB, else
.build/release/libparquet_writer.so; `make build` builds it) and an empty output directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from abi import ABI, LIBRARY


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"libparquet_writer: {LIBRARY}"]


@pytest.fixture(scope="session")
def abi() -> ABI:
    if not LIBRARY.is_file():
        pytest.fail(f"{LIBRARY} is missing: `make build` (or `make test`) builds it", pytrace=False)
    return ABI(LIBRARY)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty directory of its own, so leftover temporary files can be seen."""
    directory = tmp_path / "out"
    directory.mkdir()
    return directory
