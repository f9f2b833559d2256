"""`"threads": N` (or "auto"): each batch's columns are encoded on N threads within the call.

The file must be byte-for-byte the one a single thread writes, for every N (more threads than
cores included), rejections must come back as with one thread, and an I/O failure on any thread
(here: the file size limit, as a full disk would) must come back as an error, leaving nothing
at the path.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.parquet as pq

from abi import ABI, LIBRARY, config, ndjson

FIELDS = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "word", "type": "string"},
    {"name": "when", "type": "timestamp_ms", "utc": True},
]


def batches() -> list[bytes]:
    out = []
    for b in range(30):
        records = [{"id": b * 10_000 + i, "word": f"w{i % 40}", "when": f"2024-03-{1 + i % 28:02d}T10:00:00Z"}
                   for i in range(500 + 37 * b)]
        if b % 6 == 2:
            records.insert(100, {"id": "not a number"})
        out.append(ndjson(records))
    return out


def run(abi: ABI, path: Path, threads: int, on_invalid: str) -> list[str]:
    writer = abi.create(config(path, FIELDS, compression="zstd", row_group_rows=5_000,
                               on_invalid=on_invalid, threads=threads))
    assert writer, abi.last_error()
    seen = []
    for data in batches():
        result = abi.write_n(writer, data)
        seen.append(json.dumps(result, sort_keys=True) if result["ok"] else abi.last_error()["code"])
    seen.append(json.dumps(abi.close(writer)["files"][0]["rows"]))
    return seen


def test_every_thread_count_writes_the_same_file_and_reports_the_same(abi: ABI, out_dir: Path) -> None:
    counts = (1, 2, 3, 8, "auto")
    for policy in ("skip", "fail"):
        one = run(abi, out_dir / f"t1-{policy}.parquet", 1, policy)
        for threads in counts[1:]:
            assert run(abi, out_dir / f"t{threads}-{policy}.parquet", threads, policy) == one
            assert (out_dir / f"t1-{policy}.parquet").read_bytes() == (out_dir / f"t{threads}-{policy}.parquet").read_bytes()
    table = pq.read_table(out_dir / "t8-skip.parquet")
    assert table.num_rows == sum(500 + 37 * b for b in range(30))
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        f"t{threads}-{policy}.parquet" for threads in counts for policy in ("skip", "fail"))


def test_abort_with_batches_in_flight_leaves_nothing(abi: ABI, out_dir: Path) -> None:
    writer = abi.create(config(out_dir / "gone.parquet", FIELDS, threads=2))
    assert writer, abi.last_error()
    for data in batches()[:10]:
        assert abi.write_n(writer, data)["ok"] or abi.last_error()["code"] == "type_mismatch"
    abi.abort(writer)
    assert list(out_dir.iterdir()) == []


def test_bad_thread_counts_are_refused(abi: ABI, out_dir: Path) -> None:
    for bad in (0, -1, 1025, "2", "all", 1.5, None, True):
        assert not abi.create(config(out_dir / "x.parquet", FIELDS, threads=bad))
        error = abi.last_error()
        assert error["code"] == "invalid_options" and "'threads'" in error["message"], error
    assert list(out_dir.iterdir()) == []


CHILD = textwrap.dedent("""
    import json, resource, signal, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI, config, ndjson
    # Writes past 300 kB fail with EFBIG instead of killing the process (as a full disk would fail).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
    abi = ABI(sys.argv[2])
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "text", "type": "string"}]
    writer = abi.create(config(sys.argv[3], fields, compression="none", dictionary=False,
                               row_group_rows=2_000, threads=int(sys.argv[4])))
    assert writer, abi.last_error()
    calls = []
    for b in range(40):
        records = [{"id": b * 1000 + i, "text": f"text {b} {i} " + "x" * 40} for i in range(1000)]
        result = abi.write_n(writer, ndjson(records))
        calls.append("ok" if result["ok"] else abi.last_error()["code"])
        if not result["ok"]:
            break
    result = abi.close(writer)
    calls.append("closed" if result["ok"] else abi.last_error()["code"])
    print(json.dumps(calls))
""")


def test_a_background_failure_surfaces_and_leaves_nothing(out_dir: Path) -> None:
    for threads in (1, 2, 4):
        path = out_dir / f"full-{threads}.parquet"
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(Path(__file__).parent), str(LIBRARY), str(path), str(threads)],
            capture_output=True, text=True, timeout=120)
        assert child.returncode == 0, child.stderr
        calls = json.loads(child.stdout.strip().splitlines()[-1])
        # Some batches land, then a call reports the I/O error; close reports the failed writer.
        assert calls[0] == "ok" and "io_error" in calls, calls
        assert calls[-1] != "closed", calls
        assert list(out_dir.iterdir()) == [], calls


MEMORY_CHILD = textwrap.dedent("""
    import json, resource, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI, config, ndjson
    abi = ABI(sys.argv[2])
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "text", "type": "string"},
              {"name": "x", "type": "float64"}]
    writer = abi.create(config(sys.argv[3], fields, compression="zstd", threads=int(sys.argv[4])))
    assert writer, abi.last_error()
    for b in range(12):
        data = ndjson([{"id": b * 40_000 + i, "text": f"text {i % 5000} " + "y" * (i % 60), "x": i / 3}
                       for i in range(40_000)])
        assert abi.write_n(writer, data)["ok"], abi.last_error()
    assert abi.close(writer)["ok"]
    print(json.dumps({"batch": len(data), "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
""")


def test_memory_per_thread_stays_within_the_documented_bound(out_dir: Path) -> None:
    # README "Threads": each thread beyond the first adds a page workspace (a codec context and
    # two pages of scratch, under 4 MiB at zstd level 3 and the default 1 MiB pages), and the
    # pieces of a batch parsed apart are joined into one set of builders (at most one more
    # batch's staged rows, which are no larger than the batch's JSON).
    peaks = {}
    for threads in (1, 8):
        child = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD, str(Path(__file__).parent), str(LIBRARY),
             str(out_dir / f"m{threads}.parquet"), str(threads)],
            capture_output=True, text=True, timeout=300)
        assert child.returncode == 0, child.stderr
        peaks[threads] = json.loads(child.stdout.strip().splitlines()[-1])
    batch = peaks[1]["batch"]
    bound = 7 * 4 * 2**20 + batch
    assert peaks[8]["peak"] - peaks[1]["peak"] <= bound, (peaks, bound)
    assert (out_dir / "m1.parquet").read_bytes() == (out_dir / "m8.parquet").read_bytes()
