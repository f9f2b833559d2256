"""create_writer_with_sink: the Parquet bytes go to the caller's callbacks (Include/parquet_writer.h,
section SINKS). A sink of Python callbacks keeps files in memory and logs every call; the files
are read back by pyarrow, and the callbacks' contract is checked: one finish or one abort per
file, release once after everything, every failure an error result, never a crash."""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI, SINK_ABORT, SINK_FINISH, SINK_OPEN, SINK_RELEASE, SINK_WRITE, SinkStruct, config, ndjson

CONTEXT = 0x5EED


class MemorySink:
    """Outputs in memory. Options make a callback fail: `fail_open` refuses every open,
    `fail_write_at` fails the write with that index (0-based, over all files), `fail_finish`
    fails every finish."""

    def __init__(self, *, fail_open: bool = False, fail_write_at: int | None = None, fail_finish: bool = False) -> None:
        self.fail_open = fail_open
        self.fail_write_at = fail_write_at
        self.fail_finish = fail_finish
        self.open_files: dict[int, tuple[str, bytearray]] = {}
        self.finished: dict[str, bytes] = {}
        self.aborted: list[str] = []
        self.log: list[tuple[str, str]] = []
        self.writes = 0
        self.releases = 0
        self.contexts: set[int | None] = set()
        self.threads: set[int] = set()
        self._next = 1
        # Kept here so ctypes keeps the function pointers alive as long as the sink.
        self.callbacks = (
            SINK_OPEN(self._open), SINK_WRITE(self._write), SINK_FINISH(self._finish),
            SINK_ABORT(self._abort), SINK_RELEASE(self._release),
        )

    def struct(self, *, missing: tuple[str, ...] = ()) -> SinkStruct:
        sink = SinkStruct()
        sink.context = CONTEXT
        for name, callback in zip(("open", "write", "finish", "abort", "release"), self.callbacks):
            if name not in missing:
                setattr(sink, name, callback)
        return sink

    def _open(self, context: int | None, path: bytes, file: Any) -> int:
        self.contexts.add(context)
        name = path.decode()
        self.log.append(("open", name))
        if self.fail_open:
            return 7
        handle = self._next
        self._next += 1
        self.open_files[handle] = (name, bytearray())
        file[0] = handle
        return 0

    def _write(self, context: int | None, file: int | None, data: int, length: int) -> int:
        self.contexts.add(context)
        self.threads.add(threading.get_ident())
        assert file in self.open_files and length > 0
        index = self.writes
        self.writes += 1
        if index == self.fail_write_at:
            return 5
        self.open_files[file][1].extend(ctypes.string_at(data, length))
        return 0

    def _finish(self, context: int | None, file: int | None) -> int:
        self.contexts.add(context)
        name, data = self.open_files[file]
        self.log.append(("finish", name))
        if self.fail_finish:
            return 3
        del self.open_files[file]
        self.finished[name] = bytes(data)
        return 0

    def _abort(self, context: int | None, file: int | None) -> None:
        self.contexts.add(context)
        name, _ = self.open_files.pop(file)
        self.log.append(("abort", name))
        self.aborted.append(name)

    def _release(self, context: int | None) -> None:
        self.contexts.add(context)
        self.releases += 1
        self.log.append(("release", ""))

    def check_contract(self) -> None:
        """Every file ended (finished or aborted), nothing called after release, the context kept."""
        assert not self.open_files, f"files neither finished nor aborted: {self.open_files}"
        assert self.releases == 1
        assert self.log[-1] == ("release", "")
        assert self.contexts == {CONTEXT}


FIELDS = [{"name": "id", "type": "int64", "nullable": False}, {"name": "name", "type": "string"}]


def rows(start: int, count: int) -> list[dict[str, Any]]:
    return [{"id": i, "name": None if i % 4 == 0 else f"n{i}"} for i in range(start, start + count)]


def sink_config(**options: Any) -> dict[str, Any]:
    return config("mem/out.parquet", FIELDS, **options)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_file_in_memory_reads_back_with_pyarrow(abi: ABI, threads: int, tmp_path: Path) -> None:
    sink = MemorySink()
    writer = abi.create_with_sink(sink_config(row_group_rows=1000, threads=threads, compression="zstd"), sink.struct())
    assert writer, abi.last_error()
    assert sink.log == [("open", "mem/out.parquet")]
    for start in range(0, 5000, 1000):
        result = abi.write_n(writer, ndjson(rows(start, 1000)))
        assert result["ok"] and result["rows_written"] == 1000, result
    # Row groups went out while writing: the sink does not wait for close.
    assert sink.writes > 1 and not sink.finished
    summary = abi.close(writer)
    assert summary["ok"], summary
    assert summary["files"][0]["path"] == "mem/out.parquet"
    assert summary["files"][0]["rows"] == 5000
    data = sink.finished["mem/out.parquet"]
    assert summary["files"][0]["bytes"] == len(data)
    table = pq.read_table(pa.BufferReader(data))
    assert table.to_pylist() == rows(0, 5000)
    assert pq.ParquetFile(pa.BufferReader(data)).metadata.num_row_groups == 5
    sink.check_contract()
    assert sink.log.count(("finish", "mem/out.parquet")) == 1 and not sink.aborted
    # Nothing was created locally under the configured name.
    assert not (tmp_path / "mem").exists() and not Path("mem").exists()


def test_a_partitioned_dataset_goes_through_the_sink(abi: ABI) -> None:
    sink = MemorySink()
    fields = [*FIELDS, {"name": "country", "type": "string"}]
    cfg = {
        "directory": "s3://bucket/ds", "schema": {"fields": fields}, "partition_by": ["country"],
        "max_rows_per_file": 30,
    }
    writer = abi.create_with_sink(cfg, sink.struct())
    assert writer, abi.last_error()
    assert sink.log == []  # a dataset opens files as it starts them
    records = [{**r, "country": ["DE", "FR", None][r["id"] % 3]} for r in rows(0, 120)]
    first = abi.write(writer, records[:60])
    assert first["ok"], first
    committed = abi.commit(writer)
    assert committed["ok"], committed
    last = abi.write(writer, records[60:])
    closed = abi.close(writer)
    assert closed["ok"], closed
    files = first["files"] + committed["files"] + last["files"] + closed["files"]
    opened = [name for call, name in sink.log if call == "open"]
    assert sorted(opened) == sorted(sink.finished)
    assert sorted(f["path"] for f in files) == sorted("s3://bucket/ds/" + name for name in opened)
    for name in opened:
        directory, file = name.split("/")
        assert directory in ("country=DE", "country=FR", "country=__HIVE_DEFAULT_PARTITION__")
        assert file.startswith("part-") and file.endswith(".parquet")
    # Each file read back, its partition value taken from its path.
    back = []
    for name, data in sink.finished.items():
        table = pq.read_table(pa.BufferReader(data))
        country = name.split("/")[0].split("=")[1]
        back += [{**row, "country": None if country == "__HIVE_DEFAULT_PARTITION__" else country} for row in table.to_pylist()]
    assert sorted(back, key=lambda r: r["id"]) == records
    assert sum(f["rows"] for f in files) == 120
    sink.check_contract()
    assert not sink.aborted


def test_a_failing_write_is_an_io_error_and_aborts_the_output(abi: ABI) -> None:
    sink = MemorySink(fail_write_at=3)
    writer = abi.create_with_sink(sink_config(row_group_rows=100), sink.struct())
    assert writer, abi.last_error()
    good = abi.write(writer, rows(0, 50))
    assert good["ok"] and good["rows_written"] == 50
    failed = abi.write(writer, rows(50, 500))
    assert failed["ok"] is False
    assert failed["error"]["code"] == "io_error"
    assert "write callback failed" in failed["error"]["message"] and "returned 5" in failed["error"]["message"]
    assert abi.last_error()["code"] == "io_error"
    assert sink.aborted == ["mem/out.parquet"] and not sink.finished
    # The writer is unusable; closing reports it, and nothing is ever finished.
    later = abi.write(writer, rows(600, 1))
    assert later["ok"] is False and later["error"]["code"] == "writer_closed"
    closed = abi.close(writer)
    assert closed["ok"] is False
    assert not sink.finished and sink.aborted == ["mem/out.parquet"]
    assert ("finish", "mem/out.parquet") not in sink.log
    sink.check_contract()


def test_a_failing_write_with_threads_comes_back_from_the_call(abi: ABI) -> None:
    sink = MemorySink(fail_write_at=2)
    writer = abi.create_with_sink(sink_config(row_group_rows=100, threads=2), sink.struct())
    assert writer
    first = abi.write(writer, rows(0, 300))
    # Encoded on two threads within the call: the row group the sink refuses fails this call.
    assert first["ok"] is False and first["error"]["code"] == "io_error", first
    second = abi.write(writer, rows(300, 10))
    assert second["ok"] is False and second["error"]["code"] == "writer_closed", second
    abi.abort(writer)
    assert sink.aborted == ["mem/out.parquet"] and not sink.finished
    sink.check_contract()


def test_a_failing_finish_is_an_io_error_followed_by_abort(abi: ABI) -> None:
    sink = MemorySink(fail_finish=True)
    writer = abi.create_with_sink(sink_config(), sink.struct())
    assert abi.write(writer, rows(0, 10))["ok"]
    closed = abi.close(writer)
    assert closed["ok"] is False and closed["error"]["code"] == "io_error"
    assert "finish callback failed" in closed["error"]["message"]
    assert sink.log[-3:] == [("finish", "mem/out.parquet"), ("abort", "mem/out.parquet"), ("release", "")]
    sink.check_contract()


def test_an_open_that_refuses_fails_creation_and_releases(abi: ABI) -> None:
    sink = MemorySink(fail_open=True)
    writer = abi.create_with_sink(sink_config(), sink.struct())
    assert writer is None
    error = abi.last_error()
    assert error["code"] == "io_error" and "open callback refused 'mem/out.parquet'" in error["message"]
    assert sink.log == [("open", "mem/out.parquet"), ("release", "")]
    # A dataset's open fails at the write that starts a file; the dataset is then failed.
    dataset = MemorySink(fail_open=True)
    writer = abi.create_with_sink({"directory": "ds", "schema": {"fields": FIELDS}}, dataset.struct())
    assert writer, abi.last_error()
    failed = abi.write(writer, rows(0, 3))
    assert failed["ok"] is False and failed["error"]["code"] == "io_error"
    abi.abort(writer)
    assert dataset.releases == 1 and not dataset.finished


def test_abort_discards_and_releases(abi: ABI) -> None:
    sink = MemorySink()
    writer = abi.create_with_sink(sink_config(), sink.struct())
    assert abi.write(writer, rows(0, 10))["ok"]
    abi.abort(writer)
    assert sink.log == [("open", "mem/out.parquet"), ("abort", "mem/out.parquet"), ("release", "")]
    sink.check_contract()


def test_an_inferred_schema_opens_at_creation_and_writes_from_the_first_batch(abi: ABI) -> None:
    sink = MemorySink()
    writer = abi.create_with_sink({"path": "inferred.parquet"}, sink.struct())
    assert writer and sink.log == [("open", "inferred.parquet")] and sink.writes == 0
    assert abi.write(writer, [{"a": 1, "b": "x"}, {"a": 2}])["ok"]
    assert abi.close(writer)["ok"]
    assert pq.read_table(pa.BufferReader(sink.finished["inferred.parquet"])).to_pylist() == [
        {"a": 1, "b": "x"}, {"a": 2, "b": None}]
    sink.check_contract()
    # Closed before any record: no schema, the output is aborted.
    empty = MemorySink()
    writer = abi.create_with_sink({"path": "empty.parquet"}, empty.struct())
    closed = abi.close(writer)
    assert closed["ok"] is False and closed["error"]["code"] == "invalid_schema"
    assert empty.aborted == ["empty.parquet"] and empty.writes == 0
    empty.check_contract()


def test_null_sink_and_null_callbacks_are_invalid_arguments(abi: ABI) -> None:
    assert abi.create_with_sink(sink_config(), None) is None
    assert abi.last_error()["code"] == "invalid_argument"
    assert "sink is NULL" in abi.last_error()["message"]
    for missing in ("open", "write", "finish", "abort"):
        sink = MemorySink()
        assert abi.create_with_sink(sink_config(), sink.struct(missing=(missing,))) is None
        error = abi.last_error()
        assert error["code"] == "invalid_argument" and f"sink's {missing} callback is NULL" in error["message"]
        # The context was handed over with the call: released once, nothing else called.
        assert sink.log == [("release", "")]
    # release may be NULL.
    sink = MemorySink()
    writer = abi.create_with_sink(sink_config(), sink.struct(missing=("release",)))
    assert writer, abi.last_error()
    assert abi.close(writer)["ok"]
    assert sink.releases == 0 and "mem/out.parquet" in sink.finished
    # A NULL or bad configuration with a good sink: the usual errors, and release.
    sink = MemorySink()
    assert abi.lib.create_writer_with_sink(None, ctypes.byref(sink.struct())) is None
    assert abi.last_error()["code"] == "invalid_argument" and sink.log == [("release", "")]
    sink = MemorySink()
    assert abi.create_with_sink({"path": "x.parquet", "colour": 1}, sink.struct()) is None
    assert abi.last_error()["code"] == "invalid_options" and sink.log == [("release", "")]


def test_spooled_pages_go_through_a_nameless_file_in_tmpdir(abi: ABI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool_dir))
    seen: list[str] = []
    sink = MemorySink()
    original = sink._write

    def write(context: int | None, file: int | None, data: int, length: int) -> int:
        # While writing, the writer holds its scratch file open: nameless, in TMPDIR.
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(spool_dir)):
                seen.append(target)
        return original(context, file, data, length)

    sink.callbacks = (sink.callbacks[0], SINK_WRITE(write), *sink.callbacks[2:])
    writer = abi.create_with_sink(
        sink_config(column_buffer_bytes=1024, page_bytes=1024, compression="none"), sink.struct())
    assert writer, abi.last_error()
    assert abi.write_n(writer, ndjson(rows(0, 20000)))["ok"]
    assert abi.close(writer)["ok"]
    assert pq.read_table(pa.BufferReader(sink.finished["mem/out.parquet"])).num_rows == 20000
    assert seen and all(target.endswith("(deleted)") for target in seen), seen
    assert list(spool_dir.iterdir()) == []
