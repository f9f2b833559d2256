"""What libparquet_writer.so needs and shows: no Swift runtime library and no Foundation among
its NEEDED entries (the runtime is linked in statically), exactly the entry points of
parquet_writer.h exported, no library source importing Foundation (only test tooling may),
and it still works in a process that has a Swift runtime of its own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from abi import ENTRY_POINTS, LIBRARY, REPO_ROOT

FOUNDATION = re.compile(r"Foundation|XCTest", re.IGNORECASE)
# What the library may need at run time: libc and friends, the C++ runtime, the codecs.
ALLOWED_NEEDED = re.compile(
    r"(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|ld-linux-x86-64|ld-linux-aarch64"
    r"|libzstd|libsnappy|libz|liblz4|libbrotlienc)\.so(\.\d+)*"
)


def needed_libraries(path: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(path)], check=True, capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def exported_symbols(path: Path) -> list[str]:
    """Defined symbols of the dynamic symbol table with global or weak binding (nm's
    upper-case types; lower-case ones are local and cannot be bound to from outside)."""
    out = subprocess.run(["nm", "-D", "--defined-only", str(path)], check=True, capture_output=True, text=True).stdout
    symbols = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and (parts[1].isupper() or parts[1] in ("u", "v", "w")):
            symbols.append(parts[2].split("@")[0])
    return sorted(symbols)


@pytest.fixture(scope="module")
def library() -> Path:
    if not LIBRARY.exists():
        pytest.fail(f"{LIBRARY} is missing: `make build` (or `make test`) builds it", pytrace=False)
    return LIBRARY


def test_shared_library_links_no_foundation(library: Path) -> None:
    needed = needed_libraries(library)
    assert needed, "readelf found no NEEDED entries: the check itself is broken"
    assert any(name.startswith("libzstd") for name in needed), needed
    assert [name for name in needed if FOUNDATION.search(name)] == [], needed


def test_shared_library_links_no_swift_runtime(library: Path) -> None:
    needed = needed_libraries(library)
    assert [name for name in needed if "swift" in name.lower() or "dispatch" in name.lower() or "Blocks" in name] == [], needed
    assert [name for name in needed if not ALLOWED_NEEDED.fullmatch(name)] == [], needed
    assert {"libzstd", "libsnappy", "libz", "liblz4", "libbrotlienc"} <= {name.split(".so")[0] for name in needed}, needed
    # The library only compresses: the brotli decoder (ParquetDecompression, for tests) stays out.
    assert not [name for name in needed if name.startswith("libbrotlidec")], needed


def test_shared_library_resolves_with_system_libraries_only(library: Path) -> None:
    # ldd lists what LD_PRELOAD loads too (under `make test-asan`, the toolchain's ASan
    # runtime): leave it out, so only the library's own dependencies are listed.
    environment = {name: value for name, value in os.environ.items() if name != "LD_PRELOAD"}
    out = subprocess.run(["ldd", str(library)], check=True, capture_output=True, text=True, env=environment).stdout
    assert "not found" not in out, out
    assert "swift" not in out.lower(), out


def test_exports_exactly_the_c_entry_points(library: Path) -> None:
    assert exported_symbols(library) == sorted(ENTRY_POINTS)


def test_header_declares_exactly_the_exported_entry_points() -> None:
    header = re.sub(r"/\*.*?\*/", "", (REPO_ROOT / "Include" / "parquet_writer.h").read_text(), flags=re.DOTALL)
    declared = re.findall(r"\b(\w+)\s*\([^()]*\)\s*;", header)
    assert sorted(declared) == sorted(ENTRY_POINTS)
    version_script = (REPO_ROOT / "Include" / "parquet_writer.map").read_text()
    assert sorted(re.findall(r"^\s+(\w+);", version_script, re.MULTILINE)) == sorted(ENTRY_POINTS)


def test_library_sources_import_no_foundation() -> None:
    """Only ParquetFoundation (the opt-in module for Swift programs that have Foundation) may
    import Foundation, and no other module may import it."""
    opt_in = REPO_ROOT / "Sources" / "ParquetFoundation"
    sources = sorted((REPO_ROOT / "Sources").rglob("*.swift"))
    assert sources, "no Swift sources found"
    assert any(path.is_relative_to(opt_in) for path in sources)
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in sources
        if not path.is_relative_to(opt_in)
        and re.search(r"^\s*(@_exported\s+)?import\s+(Foundation\w*|ParquetFoundation)\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def _swift_runtime() -> Path | None:
    swift = shutil.which("swift")
    if swift is None:
        return None
    candidate = Path(swift).resolve().parent.parent / "lib" / "swift" / "linux" / "libswiftCore.so"
    return candidate if candidate.is_file() else None


def test_works_beside_another_swift_runtime(library: Path, tmp_path: Path) -> None:
    """A process that already has the toolchain's libswiftCore.so loaded globally (as a Swift
    host would) loads the library and writes a file: the hidden static runtime cannot clash."""
    runtime = _swift_runtime()
    if runtime is None:
        pytest.skip("no Swift toolchain runtime (libswiftCore.so) to load beside the library")
    script = f"""
import ctypes, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
ctypes.CDLL({str(runtime)!r}, mode=ctypes.RTLD_GLOBAL)
from abi import ABI, config
abi = ABI({str(library)!r}, mode=ctypes.RTLD_GLOBAL)
w = abi.create(config({str(tmp_path / "beside.parquet")!r}))
assert w, abi.last_error()
assert abi.write(w, [{{"id": 1, "name": "x"}}])["ok"]
assert abi.close(w)["ok"]
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "beside.parquet").to_pylist() == [{"id": 1, "name": "x"}]


def test_version_format(library: Path) -> None:
    from abi import ABI

    abi = ABI(library)
    version = abi.version()
    assert re.fullmatch(r"\d+\.\d+\.\d+ \(build [0-9a-f]{7,12}\)", version), version
    # Static: the same pointer every time.
    assert abi.lib.parquet_writer_version() == abi.lib.parquet_writer_version()


SIGNAL_PROBE = r"""
import ctypes, sys
libc = ctypes.CDLL(None)
class Sigaction(ctypes.Structure):
    _fields_ = [("handler", ctypes.c_void_p), ("mask", ctypes.c_ulong * 16), ("flags", ctypes.c_int),
                ("restorer", ctypes.c_void_p)]
def handlers():
    result = []
    for number in (4, 5, 6, 7, 8, 11):  # SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGSEGV
        action = Sigaction()
        assert libc.sigaction(number, None, ctypes.byref(action)) == 0
        result.append(action.handler)
    return result
before = handlers()
sys.path.insert(0, sys.argv[1])
from abi import ABI
abi = ABI(sys.argv[2])
assert abi.create("{}") is None and abi.last_error()["code"] == "invalid_options"
print(before == handlers())
"""


def test_loading_installs_no_signal_handlers(library: Path) -> None:
    """The embedded Swift runtime must not take over the host's crash handling (backtracer)."""
    proc = subprocess.run(
        [sys.executable, "-c", SIGNAL_PROBE, str(Path(__file__).parent), str(library)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"


def test_header_documents_every_error_code() -> None:
    source = (REPO_ROOT / "Sources" / "Parquet" / "Errors" / "ParquetError.swift").read_text()
    codes = re.findall(r'^\s*case \w+ = "(\w+)"', source, re.MULTILINE)
    assert len(codes) >= 14, codes
    header = (REPO_ROOT / "Include" / "parquet_writer.h").read_text()
    documented = set(re.findall(r"^ \*     (\w+)\s", header, re.MULTILINE))
    assert documented == set(codes) | {"invalid_argument", "invalid_handle"}
