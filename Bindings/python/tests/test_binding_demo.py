"""The demo pipeline (examples/demo_pipeline.py), small: both approaches, verification, failure exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEMO = EXAMPLES / "demo_pipeline.py"


def test_demo_compare_small(out_dir: Path) -> None:
    out = out_dir / "tx.parquet"
    proc = subprocess.run(
        [sys.executable, str(DEMO), "--rows", "12345", "--out", str(out), "--compare", "--compression", "zstd", "--row-group-rows", "5000"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified with pyarrow: 12,345 rows" in proc.stdout
    assert "stream (parquet_writer)" in proc.stdout and "in-memory (pyarrow)" in proc.stdout
    assert out.exists() and (out_dir / "tx.inmemory.parquet").exists()


def test_demo_verification_catches_a_wrong_file(out_dir: Path) -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import demo_pipeline as demo
    finally:
        sys.path.remove(str(EXAMPLES))
    out = out_dir / "tx.parquet"
    stats = demo.run_stream(3000, out, "snappy")
    assert demo.verify(out, stats["aggregates"]) == []
    wrong = dict(stats["aggregates"], rows=2999, amount="0.01")
    problems = demo.verify(out, wrong)
    assert len(problems) == 2 and any("sum(amount)" in p for p in problems)


def test_api_pages_are_deterministic() -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import demo_pipeline as demo
    finally:
        sys.path.remove(str(EXAMPLES))
    a = demo.SimulatedTransactionsAPI(2500, page_size=1000)
    b = demo.SimulatedTransactionsAPI(2500, page_size=1000)
    pages = list(demo.pages(a))
    assert [len(p) for p in pages] == [1000, 1000, 500]
    assert b.get_page("1")["data"] == pages[1]  # a page does not depend on the ones fetched before
    assert b.get_page("2")["next_cursor"] is None
