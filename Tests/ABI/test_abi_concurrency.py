"""The C ABI from many threads at once (ctypes releases the GIL for every call, so the library
really runs on several threads together): many writers on many threads, last_error() per
thread, one writer handed between threads, close racing writes, stale handles after many
cycles. Every closed file is read back with pyarrow and compared with the rows written.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

from abi import ABI, config

FIELDS = [{"name": "id", "type": "int64", "nullable": False}, {"name": "s", "type": "string"}]


def rows(writer: int, batch: int) -> list[dict]:
    """Batch `batch` of writer `writer`: ids unique across the test, every fifth s null."""
    count = 20 + (writer * 7 + batch * 13) % 45
    return [{"id": writer * 100_000 + batch * 100 + r, "s": None if r % 5 == 3 else f"w{writer} b{batch} r{r % 7}"}
            for r in range(count)]


def ndjson_bytes(records: list[dict]) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def bad_batch(writer: int, batch: int, row: int) -> bytes:
    """A batch rejected whole under on_invalid "fail": a string id at `row`."""
    records = [{"id": writer * 100_000 + batch * 100 + r, "s": "ok"} for r in range(row + 3)]
    records.insert(row, {"id": "bad", "s": "x"})
    return json.dumps(records).encode()


def run_threads(count: int, body) -> list:
    """Runs body(index) on `count` threads released together; returns each one's result
    (an exception raised on a thread is re-raised here)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def enter(index: int) -> None:
        barrier.wait()
        try:
            results[index] = body(index)
        except BaseException as error:  # noqa: BLE001 - reported on the main thread
            errors.append(error)

    threads = [threading.Thread(target=enter, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def write(abi: ABI, writer: int | None, data: bytes) -> dict:
    return abi.take(abi.lib.write_batch(writer, data))


def read_back(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def test_many_writers_on_many_threads(abi: ABI, out_dir: Path) -> None:
    threads, writers_per_thread, open_at_once, batches = 8, 12, 3, 4

    def body(thread: int) -> list[str]:
        problems = []
        for first in range(0, writers_per_thread, open_at_once):
            live = []
            for writer in range(thread * 100 + first, thread * 100 + first + open_at_once):
                handle = abi.create(config(out_dir / f"{writer}.parquet", FIELDS, threads=2 if writer % 3 == 2 else 1,
                                           compression=["snappy", "zstd", "none", "gzip"][writer % 4],
                                           row_group_rows=50))
                if not handle:
                    problems.append(f"create {writer}: {abi.last_error()}")
                    continue
                live.append((writer, handle))
            for batch in range(batches):
                for writer, handle in live:
                    mix = writer + batch
                    if mix % 4 == 1:
                        result = write(abi, handle, bad_batch(writer, batch, mix % 10))
                        if result["ok"] or result["error"]["code"] != "type_mismatch" or result["error"]["row"] != mix % 10:
                            problems.append(f"{writer}/{batch}: type_mismatch expected: {result}")
                    if mix % 5 == 2:
                        result = write(abi, handle, b" " * mix + b"x")
                        if result["ok"] or result["error"]["code"] != "malformed_json" or result["error"]["offset"] != mix:
                            problems.append(f"{writer}/{batch}: malformed_json expected: {result}")
                    result = write(abi, handle, ndjson_bytes(rows(writer, batch)))
                    if not result["ok"] or result["rows_written"] != len(rows(writer, batch)) or abi.last_error() is not None:
                        problems.append(f"{writer}/{batch}: {result}")
            for writer, handle in live:
                if writer % 5 == 4:
                    abi.abort(handle)
                    if abi.last_error() is not None:
                        problems.append(f"abort {writer}: {abi.last_error()}")
                else:
                    summary = abi.close(handle)
                    expected = sum(len(rows(writer, b)) for b in range(batches))
                    if not summary["ok"] or summary["files"][0]["rows"] != expected:
                        problems.append(f"close {writer}: {summary}")
                # Dead now, whatever the other threads have created since.
                for result in (write(abi, handle, b"[]"), abi.close(handle)):
                    if result["ok"] or result["error"]["code"] != "invalid_handle":
                        problems.append(f"dead {writer}: {result}")
        return problems

    assert [p for problems in run_threads(threads, body) for p in problems] == []
    closed = [t * 100 + i for t in range(threads) for i in range(writers_per_thread) if (t * 100 + i) % 5 != 4]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{w}.parquet" for w in closed)
    for writer in closed:
        assert read_back(out_dir / f"{writer}.parquet") == [r for b in range(batches) for r in rows(writer, b)], writer


def test_last_error_stays_with_its_thread(abi: ABI, out_dir: Path) -> None:
    def body(thread: int) -> list[str]:
        handle = abi.create(config(out_dir / f"{thread}.parquet", FIELDS))
        assert handle, abi.last_error()
        problems = []
        try:
            for step in range(120):
                kind = (thread + step) % 4
                if kind == 0:
                    key = f"unknown_{thread}_{step}"
                    assert not abi.create({**config("x.parquet", FIELDS), key: 1})
                    error = abi.last_error()
                    if error is None or error["code"] != "invalid_options" or key not in error["message"]:
                        problems.append(f"{step}: invalid_options naming {key} expected: {error}")
                elif kind == 1:
                    row = thread * 16 + step % 16
                    write(abi, handle, bad_batch(thread, step, row))  # free_string leaves last_error alone
                    error = abi.last_error()
                    if error is None or (error["code"], error["row"]) != ("type_mismatch", row):
                        problems.append(f"{step}: type_mismatch at row {row} expected: {error}")
                elif kind == 2:
                    offset = thread * 100 + step % 50
                    write(abi, handle, b" " * offset + b"x")
                    error = abi.last_error()
                    if error is None or (error["code"], error["offset"]) != ("malformed_json", offset):
                        problems.append(f"{step}: malformed_json at {offset} expected: {error}")
                else:
                    assert write(abi, handle, ndjson_bytes(rows(thread, step)))["ok"]
                    if abi.last_error() is not None:
                        problems.append(f"{step}: null expected: {abi.last_error()}")
        finally:
            abi.abort(handle)
        return problems

    assert [p for problems in run_threads(8, body) for p in problems] == []


def test_a_writer_handed_between_threads_writes_the_exact_file(abi: ABI, out_dir: Path) -> None:
    for threads in (1, 2):
        path = out_dir / f"handed-{threads}.parquet"
        handle = abi.create(config(path, FIELDS, threads=threads, compression="zstd", row_group_rows=100))
        assert handle, abi.last_error()
        batches, count = 40, 4
        turn = threading.Condition()
        state = {"next": 0}

        def body(thread: int) -> list[str]:
            problems = []
            for batch in range(thread, batches + 1, count):
                with turn:
                    turn.wait_for(lambda: state["next"] == batch)
                if batch == batches:
                    summary = abi.close(handle)
                    if not summary["ok"]:
                        problems.append(f"close: {summary}")
                else:
                    if batch % 5 == 1 and write(abi, handle, bad_batch(7, batch, 2))["ok"]:
                        problems.append(f"{batch}: the bad batch was accepted")
                    result = write(abi, handle, ndjson_bytes(rows(7, batch)))
                    if not result["ok"]:
                        problems.append(f"{batch}: {result}")
                with turn:
                    state["next"] = batch + 1
                    turn.notify_all()
            return problems

        assert [p for problems in run_threads(count, body) for p in problems] == []
        assert read_back(path) == [r for b in range(batches) for r in rows(7, b)]


def test_close_racing_writes_leaves_a_consistent_file(abi: ABI, out_dir: Path) -> None:
    base, extra = ndjson_bytes(rows(5, 0) + rows(5, 1)), ndjson_bytes(rows(5, 2))
    for round_ in range(24):
        path = out_dir / f"race-{round_}.parquet"
        handle = abi.create(config(path, FIELDS, threads=round_ % 2 + 1))
        assert handle, abi.last_error()
        assert write(abi, handle, base)["ok"]
        ending = ["close", "close", "abort"][round_ % 3]

        def body(thread: int):
            if thread == 0:
                written = 0
                while written < 10_000:
                    result = write(abi, handle, extra)
                    if not result["ok"]:
                        return written, result["error"]["code"]
                    written += 1
                return written, "never refused"
            time.sleep([0, 0.0005, 0.002][round_ % 3])
            if ending == "abort":
                abi.abort(handle)
                return abi.last_error()
            return abi.close(handle)

        (written, refusal), ended = run_threads(2, body)
        assert refusal in ("writer_closed", "invalid_handle"), (round_, refusal)
        expected = rows(5, 0) + rows(5, 1) + rows(5, 2) * written
        if ending == "abort":
            assert ended is None and not path.exists(), (round_, ended)
        else:
            assert ended["ok"] and ended["rows_written"] == len(expected), (round_, written, ended)
            assert read_back(path) == expected, (round_, written)


def test_stale_handles_stay_invalid_after_many_cycles(abi: ABI, out_dir: Path) -> None:
    keeper = abi.create(config(out_dir / "keeper.parquet", FIELDS))
    assert keeper, abi.last_error()
    stale: list[int] = []

    def cycle(thread: int) -> list[int]:
        tokens = []
        for step in range(60):
            handle = abi.create(config(out_dir / f"c{thread}.parquet", FIELDS))
            assert handle, abi.last_error()
            tokens.append(handle)
            # The previous handle of this thread, its slot most likely reused by now.
            if len(tokens) > 1:
                result = write(abi, tokens[-2], b"[]")
                assert not result["ok"] and result["error"]["code"] == "invalid_handle", result
            if step % 2:
                abi.abort(handle)
            else:
                assert abi.close(handle)["ok"]
        return tokens

    for tokens in run_threads(4, cycle):
        stale += tokens
    assert len(set(stale)) == len(stale), "a handle was handed out twice"
    assert keeper not in stale
    fresh = abi.create(config(out_dir / "fresh.parquet", FIELDS))
    assert fresh and fresh not in stale
    for handle in stale:
        for result in (write(abi, handle, ndjson_bytes(rows(1, 0))), abi.commit(handle), abi.close(handle)):
            assert not result["ok"] and result["error"]["code"] == "invalid_handle", result
        abi.abort(handle)
        assert abi.last_error()["code"] == "invalid_handle"
    # The live writers were not touched by any stale call.
    assert write(abi, keeper, ndjson_bytes(rows(2, 0)))["ok"] and write(abi, fresh, ndjson_bytes(rows(3, 0)))["ok"]
    assert abi.close(keeper)["ok"] and abi.close(fresh)["ok"]
    assert read_back(out_dir / "keeper.parquet") == rows(2, 0)
    assert read_back(out_dir / "fresh.parquet") == rows(3, 0)
