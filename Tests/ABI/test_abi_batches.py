"""Batches through the C ABI: the skip policy's report, write_batch_n on buffers that are not
NUL-terminated, abort and SIGKILL leaving nothing behind, several writers in several threads,
and last_error being per thread."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

from abi import ABI, LIBRARY, config, ndjson

HERE = Path(__file__).resolve().parent


def test_skip_lists_rejected_rows_and_writes_the_rest(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "skip.parquet"
    fields = [
        {"name": "id", "type": "int64", "nullable": False},
        {"name": "small", "type": "int8"},
        {"name": "name", "type": "string"},
    ]
    writer = abi.create(config(path, fields, on_invalid="skip"))
    assert writer, abi.last_error()
    lines = [
        b'{"id": 0, "small": 1, "name": "a"}',
        b'{"id": 1, "small": 300}',
        b'{"id": 2, "name": "c"}',
        b'[1, 2]',
        b'{"small": 5}',
        b'{"id": 5, "name": 42}',
        b'{"id": 6, "small": -128, "name": null}',
        b'{"id": 7, "id": 8}',
    ]
    data = b"\n".join(lines)
    result = abi.take(abi.lib.write_batch_n(writer, data, len(data)))
    assert result["ok"] is True, result
    assert result["rows_written"] == 3
    assert result["rows_rejected"] == 5
    assert result["files"] == []
    errors = result["errors"]
    assert [e["row"] for e in errors] == [1, 3, 4, 5, 7]
    assert [e["code"] for e in errors] == ["value_out_of_range", "invalid_record", "missing_value", "type_mismatch", "invalid_record"]
    assert [e["column"] for e in errors[:4]] == ["small", None, "id", "name"]
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    for error in errors:
        row = error["row"]
        assert isinstance(error["offset"], int), error
        # The offset points into the rejected record.
        assert starts[row] <= error["offset"] <= starts[row] + len(lines[row]), (error, starts[row])
        assert error["message"]
    assert abi.last_error() is None, "a batch that was written is not an error"

    # The same under the array form, then close.
    array = b"[" + b",".join(lines) + b"]"
    result = abi.take(abi.lib.write_batch_n(writer, array, len(array)))
    assert result["rows_written"] == 3 and [e["row"] for e in result["errors"]] == [1, 3, 4, 5, 7]
    summary = abi.close(writer)
    assert summary["ok"] and summary["rows_written"] == 6 and summary["rows_rejected"] == 10, summary
    table = pq.read_table(path)
    assert table.to_pylist() == [
        {"id": 0, "small": 1, "name": "a"}, {"id": 2, "small": None, "name": "c"}, {"id": 6, "small": -128, "name": None},
    ] * 2


def test_fail_policy_reports_the_first_invalid_record(abi: ABI, out_dir: Path) -> None:
    writer = abi.create(config(out_dir / "fail.parquet"))
    data = ndjson([{"id": 1}, {"id": 2}, {"id": "three"}, {"id": 4.5}])
    result = abi.take(abi.lib.write_batch_n(writer, data, len(data)))
    assert result["ok"] is False
    error = result["error"]
    assert (error["code"], error["row"], error["column"]) == ("type_mismatch", 2, "id")
    record = data.index(b'{"id": "three"}')
    assert record <= error["offset"] < record + len(b'{"id": "three"}'), error
    assert abi.last_error() == error
    summary = abi.close(writer)
    assert summary["ok"] and summary["rows_written"] == 0


def test_write_batch_n_reads_only_length_bytes(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "slice.parquet"
    writer = abi.create(config(path))
    # A slice in the middle of a larger buffer: what follows would be malformed if read.
    big = b'XXXX[{"id": 1, "name": "one"}, {"id": 2}]{"id": "garbage'
    import ctypes

    buffer = ctypes.create_string_buffer(big, len(big))
    start = ctypes.addressof(buffer) + 4
    length = big.index(b"]") + 1 - 4
    result = abi.take(abi.lib.write_batch_n(writer, start, length))
    assert result["ok"] and result["rows_written"] == 2, result
    # NDJSON cut mid-buffer, and a zero-length batch (0 rows).
    result = abi.write_n(writer, b'{"id": 3}\n{"id": 4}')
    assert result["ok"] and result["rows_written"] == 2, result
    result = abi.take(abi.lib.write_batch_n(writer, start, 0))
    assert result["ok"] and result["rows_written"] == 0, result
    assert abi.close(writer)["ok"]
    assert pq.read_table(path).column("id").to_pylist() == [1, 2, 3, 4]


GUARD_PAGE_SCRIPT = r"""
import ctypes, mmap, sys
sys.path.insert(0, sys.argv[1])
from abi import ABI, config
abi = ABI(sys.argv[2])
libc = ctypes.CDLL(None, use_errno=True)
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
page = mmap.PAGESIZE
region = mmap.mmap(-1, 2 * page, prot=mmap.PROT_READ | mmap.PROT_WRITE)
base = ctypes.addressof(ctypes.c_char.from_buffer(region))
assert libc.mprotect(base + page, page, 0) == 0  # the second page: no access at all
writer = abi.create(config(sys.argv[3]))
for data in (b'[{"id": 1}, {"id": 2}]', b'{"id": 3}\n{"id": 4}', b'{"id": 5}', b'[{"id": 6', b'{"id": 7'):
    start = page - len(data)  # the last byte of the batch is the last readable byte
    region[start:page] = data
    result = abi.take(abi.lib.write_batch_n(writer, base + start, len(data)))
    print(result["ok"], result.get("rows_written"), result.get("error", {}).get("code"))
print(abi.close(writer)["ok"])
"""


def test_write_batch_n_never_reads_past_the_end(abi: ABI, out_dir: Path) -> None:
    """Each batch ends exactly at a page the process cannot read: one byte too far would
    crash (SIGSEGV) the subprocess."""
    path = out_dir / "guard.parquet"
    proc = subprocess.run(
        [sys.executable, "-c", GUARD_PAGE_SCRIPT, str(HERE), str(LIBRARY), str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    assert proc.stdout.split("\n")[:6] == [
        "True 2 None", "True 2 None", "True 1 None", "False None malformed_json", "False None malformed_json", "True",
    ], proc.stdout
    assert pq.read_table(path).column("id").to_pylist() == [1, 2, 3, 4, 5]


def test_abort_leaves_no_file_and_no_temporary_file(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "aborted.parquet"
    writer = abi.create(config(path, row_group_rows=10))
    assert writer
    assert len(list(out_dir.iterdir())) == 1, "the temporary file exists while writing"
    assert not path.exists(), "nothing at the path before close"
    for start in range(0, 100, 20):
        assert abi.write(writer, [{"id": i} for i in range(start, start + 20)])["ok"]
    abi.abort(writer)
    assert abi.last_error() is None
    assert list(out_dir.iterdir()) == []


def test_abort_keeps_an_existing_file(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "existing.parquet"
    path.write_bytes(b"older content")
    writer = abi.create(config(path))
    assert abi.write(writer, [{"id": 1}])["ok"]
    abi.abort(writer)
    assert path.read_bytes() == b"older content"
    assert [p.name for p in out_dir.iterdir()] == ["existing.parquet"]


KILL_SCRIPT = r"""
import sys
sys.path.insert(0, sys.argv[1])
from abi import ABI, config
abi = ABI(sys.argv[2])
writer = abi.create(config(sys.argv[3], row_group_rows=1000))
assert writer, abi.last_error()
batch = b"[" + b",".join(b'{"id": %d, "name": "row %d"}' % (i, i) for i in range(1000)) + b"]"
n = 0
while True:
    result = abi.take(abi.lib.write_batch_n(writer, batch, len(batch)))
    assert result["ok"], result
    n += 1
    if n == 5:
        print("ready", flush=True)
"""


def test_sigkill_mid_write_leaves_nothing_at_the_path(out_dir: Path) -> None:
    path = out_dir / "killed.parquet"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(HERE), str(LIBRARY), str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read()
        time.sleep(0.2)  # keep writing a little longer
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not path.exists(), "a killed writer must leave nothing at the target path"
    # Only its hidden temporary file can remain (the process had no chance to remove it).
    leftovers = [p.name for p in out_dir.iterdir()]
    assert all(name.startswith(".parquet-") and name.endswith(".tmp") for name in leftovers), leftovers


def test_writers_in_threads_at_once(abi: ABI, out_dir: Path) -> None:
    threads = 8
    batches = 20
    rows = 500
    barrier = threading.Barrier(threads)
    failures: list[str] = []
    summaries: dict[int, dict] = {}

    def work(t: int) -> None:
        try:
            writer = abi.create(config(out_dir / f"t{t}.parquet", row_group_rows=3000, compression="zstd"))
            assert writer, abi.last_error()
            barrier.wait()
            for b in range(batches):
                records = [{"id": t * 1_000_000 + b * rows + i, "name": f"t{t}-{b}-{i}"} for i in range(rows)]
                result = abi.write(writer, records)
                assert result["ok"] and result["rows_written"] == rows, result
                if b % 5 == 0:
                    bad = abi.write(writer, [{"id": "bad"}])
                    assert bad["ok"] is False and abi.last_error() == bad["error"]
            summaries[t] = abi.close(writer)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"thread {t}: {error!r}")

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert failures == []
    for t in range(threads):
        summary = summaries[t]
        assert summary["ok"] and summary["rows_written"] == batches * rows, summary
        file = summary["files"][0]
        assert file["row_groups"] == 4
        assert file["columns"]["id"]["min"] == t * 1_000_000
        assert file["columns"]["id"]["max"] == t * 1_000_000 + batches * rows - 1
        table = pq.read_table(out_dir / f"t{t}.parquet")
        assert table.column("id").to_pylist() == [t * 1_000_000 + i for i in range(batches * rows)]
        assert table.column("name").to_pylist()[-1] == f"t{t}-{batches - 1}-{rows - 1}"


def test_one_writer_from_two_threads_is_serialised(abi: ABI, out_dir: Path) -> None:
    """Not the documented use (one thread at a time per writer), but it must not corrupt:
    the handle's lock serialises the calls, so every batch lands whole."""
    path = out_dir / "shared.parquet"
    writer = abi.create(config(path))
    errors: list[str] = []

    def work(t: int) -> None:
        for b in range(50):
            result = abi.write(writer, [{"id": t * 10_000 + b * 100 + i} for i in range(100)])
            if not result["ok"]:
                errors.append(json.dumps(result))

    workers = [threading.Thread(target=work, args=(t,)) for t in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert abi.close(writer)["rows_written"] == 10_000
    ids = pq.read_table(path).column("id").to_pylist()
    assert sorted(ids) == sorted(t * 10_000 + i for t in range(2) for i in range(5000))
    # Batches are contiguous runs of 100.
    assert all(ids[i] + 1 == ids[i + 1] for start in range(0, 10_000, 100) for i in range(start, start + 99))


def test_last_error_is_per_thread(abi: ABI, out_dir: Path) -> None:
    barrier = threading.Barrier(3)
    seen: dict[str, object] = {}

    def bad_config() -> None:
        assert abi.create('{"path": "x", "schema": {"fields": []}}') is None
        barrier.wait()  # every thread has made its call
        barrier.wait()  # ... and the main thread has too
        seen["config"] = abi.last_error()

    def bad_batch() -> None:
        writer = abi.create(config(out_dir / "per-thread.parquet"))
        result = abi.write(writer, b"[{")
        assert result["ok"] is False
        barrier.wait()
        barrier.wait()
        seen["batch"] = abi.last_error()
        abi.abort(writer)

    workers = [threading.Thread(target=bad_config), threading.Thread(target=bad_batch)]
    for worker in workers:
        worker.start()
    abi.lib.abort_writer(None)
    barrier.wait()
    barrier.wait()
    seen["main"] = abi.last_error()
    for worker in workers:
        worker.join()
    assert seen["config"]["code"] == "invalid_schema"
    assert seen["batch"]["code"] == "malformed_json"
    assert seen["main"]["code"] == "invalid_argument"

    # A fresh thread has no error; a successful call clears the thread's last error.
    fresh: list[object] = []
    thread = threading.Thread(target=lambda: fresh.append(abi.last_error()))
    thread.start()
    thread.join()
    assert fresh == [None]
    writer = abi.create(config(out_dir / "clear.parquet"))
    assert writer and abi.last_error() is None
    abi.abort(writer)


def test_many_threads_come_and_go(abi: ABI) -> None:
    """Each thread's last error is freed when it exits; many short threads must not leak or crash."""
    def once() -> None:
        abi.lib.abort_writer(None)
        assert abi.last_error()["code"] == "invalid_argument"

    for _ in range(200):
        thread = threading.Thread(target=once)
        thread.start()
        thread.join()
