"""The generator under test: how it is located, built and run (used by conftest.py).

`PARQUET_INTEROP_GEN` (a command line; a leading `python`/`python3` or a bare `*.py` script runs
with this interpreter, i.e. the venv's) overrides the default `.build/release/parquet-interop-gen`,
which is built with `swift build -c release --product parquet-interop-gen` when missing.
The pyarrow reference writer (`reference_writer.py`, or any generator when
PARQUET_INTEROP_REFERENCE=1) makes IS_REFERENCE true.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from interop_spec import FileSpec

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCT = "parquet-interop-gen"
DEFAULT_GEN = REPO_ROOT / ".build" / "release" / PRODUCT


def _generator_argv() -> tuple[list[str], bool]:
    """(argv prefix, is_reference) from the environment; no building here."""
    env = os.environ.get("PARQUET_INTEROP_GEN", "").strip()
    if not env:
        return [str(DEFAULT_GEN)], os.environ.get("PARQUET_INTEROP_REFERENCE") == "1"
    argv = shlex.split(env)
    if re.fullmatch(r"python(3(\.\d+)?)?", Path(argv[0]).name):
        argv[0] = sys.executable
    elif argv[0].endswith(".py"):
        argv.insert(0, sys.executable)
    # Relative paths are taken relative to where pytest was started, then to the repo root.
    for i, a in enumerate(argv):
        if not os.path.isabs(a) and ("/" in a or a.endswith(".py")):
            for base in (Path.cwd(), REPO_ROOT):
                if (base / a).exists():
                    argv[i] = str((base / a).resolve())
                    break
    reference = any(Path(a).name == "reference_writer.py" for a in argv) or (
        os.environ.get("PARQUET_INTEROP_REFERENCE") == "1"
    )
    return argv, reference


GEN_ARGV, IS_REFERENCE = _generator_argv()
FORCE_OURS_ONLY = os.environ.get("PARQUET_INTEROP_FORCE_OURS_ONLY") == "1"


@dataclass
class Generator:
    argv: list[str]
    is_reference: bool

    def run(self, args: list[str], timeout: float = 1800) -> list[dict[str, Any]]:
        try:
            proc = subprocess.run(
                self.argv + args, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except OSError as e:
            pytest.fail(f"cannot run the generator {shlex.join(self.argv)}: {e}", pytrace=False)
        if proc.returncode != 0:
            pytest.fail(
                f"generator failed ({proc.returncode}): {shlex.join(self.argv + args)}\n"
                f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}",
                pytrace=False,
            )
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
        try:
            return [orjson.loads(ln) for ln in lines]
        except orjson.JSONDecodeError as e:
            pytest.fail(f"generator printed a non-JSON line ({e}):\n{proc.stdout[-4000:]}", pytrace=False)

    def write(self, files: list[FileSpec], directory: Path) -> dict[str, dict[str, Any]]:
        """Write all `files` in ONE invocation; returns the generator's report per file name."""
        directory.mkdir(parents=True, exist_ok=True)
        for f in files:
            f.path = directory / f"{f.name}.parquet"
        spec_path = directory / "spec.json"
        spec_path.write_bytes(orjson.dumps({"files": [f.to_json(f.path) for f in files]}))
        reports = self.run(["write", str(spec_path)])
        by_path = {r.get("path"): r for r in reports}
        missing = [f.name for f in files if str(f.path) not in by_path]
        assert not missing, f"generator reported no line for {missing}; got {reports}"
        return {f.name: by_path[str(f.path)] for f in files}

    def synth(self, rows: int, out: Path, compression: str | None = None) -> dict[str, Any]:
        args = ["synth", "--rows", str(rows), "--out", str(out)]
        if compression:
            args += ["--compression", compression]
        (report,) = self.run(args)
        return report


def ensure_built(argv: list[str]) -> None:
    if Path(argv[0]).resolve() != DEFAULT_GEN.resolve() or DEFAULT_GEN.exists():
        return
    cmd = ["swift", "build", "-c", "release", "--product", PRODUCT]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or not DEFAULT_GEN.exists():
        pytest.fail(f"{shlex.join(cmd)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}", pytrace=False)


@dataclass
class Written:
    spec: FileSpec
    report: dict[str, Any]

    @property
    def path(self) -> Path:
        assert self.spec.path is not None
        return self.spec.path
