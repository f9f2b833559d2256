"""Memory is bounded by the batch, not by the row group: finished pages beyond
`column_buffer_bytes` per column wait in the nameless scratch file. A partitioned dataset is
bounded by its `memory_limit_bytes`.

A child process writes a 10,000-record NDJSON batch (pseudo-random text, so pages do not
compress away; each copy numbered, so no batch repeats) 10 times and 80 times into one row group, and reports its peak RSS (VmHWM).
With the defaults the two peaks must be within 8 MiB. The control run keeps every page in
memory (`"column_buffer_bytes": null`): there the 80-batch peak must grow by more than 8 MiB,
which shows the test can tell the difference.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from abi import LIBRARY, SANITIZER

MiB = 1 << 20

# Peak RSS is what these tests measure, and under AddressSanitizer it measures the sanitizer:
# shadow memory, redzones around every allocation and the quarantine of freed blocks (256 MiB
# by default) swamp the 8 MiB margins. `make test-asan` still runs these writers elsewhere.
pytestmark = pytest.mark.skipif(SANITIZER == "address", reason="peak RSS is not meaningful under AddressSanitizer")

CHILD = textwrap.dedent("""
    import json, random, sys
    sys.path.insert(0, sys.argv[1])
    from abi import ABI
    abi = ABI(sys.argv[2])
    batches, path, buffer = int(sys.argv[3]), sys.argv[4], json.loads(sys.argv[5])
    rng = random.Random(7)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    # "@@@@" becomes the batch number, so no batch repeats another (a repeat would make a
    # dictionary pay and shrink the pages).
    records = [{"id": i, "amount": rng.random() * 1000, "note": "@@@@ " + " ".join(rng.choice(words) + str(rng.randrange(10**6))
               for _ in range(8)), "code": rng.randrange(50)} for i in range(10_000)]
    data = ("\\n".join(json.dumps(r) for r in records) + "\\n").encode()
    del records
    fields = [{"name": "id", "type": "int64", "nullable": False}, {"name": "amount", "type": "float64"},
              {"name": "note", "type": "string"}, {"name": "code", "type": "int32"}]
    config = {"path": path, "schema": {"fields": fields}, "compression": "zstd", "row_group_rows": 10**7}
    if buffer != "default":
        config["column_buffer_bytes"] = buffer
    dataset = len(sys.argv) > 6
    if dataset:
        # A dataset partitioned 8 ways by `code % 8` (as `part`), at most `open` files at once.
        del config["path"]
        config.update(directory=path, partition_by=["part"], max_open_files=int(sys.argv[6]),
                      memory_limit_bytes=int(sys.argv[7]))
        fields.append({"name": "part", "type": "int32"})
        data = b"\\n".join(line[:-1] + b', "part": %d}' % (i % 8) for i, line in enumerate(data.splitlines())) + b"\\n"
    writer = abi.create(config)
    assert writer, abi.last_error()
    for batch in range(batches):
        assert abi.write_n(writer, data.replace(b"@@@@", b"%04d" % batch))["ok"]
    summary = abi.close(writer)
    assert summary["ok"] and (dataset or summary["files"][0]["row_groups"] == 1), summary
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print(int(line.split()[1]) * 1024)
""")


def peak(batches: int, path: Path, buffer: object, open_files: int | None = None, budget: int = 0) -> int:
    extra = [] if open_files is None else [str(open_files), str(budget)]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(Path(__file__).parent), str(LIBRARY), str(batches), str(path),
         json.dumps(buffer), *extra],
        capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    return int(child.stdout.split()[-1])


def test_peak_memory_does_not_follow_the_row_group(out_dir: Path) -> None:
    small, big = peak(10, out_dir / "small.parquet", "default"), peak(80, out_dir / "big.parquet", "default")
    assert big <= small + 8 * MiB, (small / MiB, big / MiB)
    kept_small = peak(10, out_dir / "kept-small.parquet", None)
    kept_big = peak(80, out_dir / "kept-big.parquet", None)
    assert kept_big > kept_small + 8 * MiB, (kept_small / MiB, kept_big / MiB)
    assert list(out_dir.iterdir()) == []


def test_a_partitioned_dataset_is_bounded_by_its_memory_budget(out_dir: Path) -> None:
    """Eight partitions, two files open at a time, a 16 MiB budget: the peak does not follow
    the input (8 then 40 batches of 10,000 rows, about 6 and 30 MiB staged in all). The
    control has a 1 GiB budget, stages everything until close, and grows."""
    small = peak(8, out_dir / "small", "default", 2, 16 * MiB)
    big = peak(40, out_dir / "big", "default", 2, 16 * MiB)
    assert big <= small + 8 * MiB, (small / MiB, big / MiB)
    kept_small = peak(8, out_dir / "kept-small", "default", 2, 1024 * MiB)
    kept_big = peak(40, out_dir / "kept-big", "default", 2, 1024 * MiB)
    assert kept_big > kept_small + 8 * MiB, (kept_small / MiB, kept_big / MiB)
    assert list(out_dir.iterdir()) == []
