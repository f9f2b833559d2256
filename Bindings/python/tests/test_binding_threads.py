"""``threads=N``: the library parses a batch of 2 MiB or more on several threads, and with a
core left over the dicts path serialises batch k+1 while the library writes batch k.

Whatever N, the same records give the same file bytes and the same results: rows written,
rejected rows numbered from the start of the call, an unserialisable record located, a
failing batch raised from the ``write`` that gave it with earlier batches kept, and an iterator
that raises leaves the writer usable with the batches before it written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator

import pyarrow.parquet as pq
import pytest

import parquet_writer
from parquet_writer import Writer

SCHEMA = [("id", "int64", False), ("name", "string"), {"name": "tags", "type": "list", "items": {"type": "int32"}},
          ("at", "timestamp_ms")]


def records(n: int, start: int = 0, bad_every: int = 0) -> list[dict[str, Any]]:
    out = []
    for i in range(start, start + n):
        if bad_every and i % bad_every == bad_every - 1:
            out.append({"id": "not a number", "name": "bad"})
        else:
            out.append({"id": i, "name": f"n{i % 977}", "tags": [i % 7, i % 3],
                        "at": dt.datetime(2024, 1, 1) + dt.timedelta(seconds=i)})
    return out


def write_all(path: Path, threads: Any, on_invalid: str, pipelined: bool | None = None) -> list[Any]:
    seen: list[Any] = []
    with Writer(path, SCHEMA, threads=threads, on_invalid=on_invalid, compression="zstd") as w:
        if pipelined is not None:
            # Overlapping is chosen by the cores (a core left to Python): forced here so the
            # path is tested on any machine.
            w._pipelined = pipelined
        for call in range(6):
            try:
                result = w.write(records(10_000 + 1_000 * call, call * 100_000, bad_every=3_001 if call % 2 else 0))
                seen.append((result.rows_written, [r["row"] for r in result.errors]))
            except parquet_writer.ParquetWriterError as error:
                seen.append((error.code, error.row))
    seen.append(w.summary["rows_written"])
    return seen


@pytest.mark.parametrize("on_invalid", ["skip", "fail"])
def test_every_thread_count_writes_the_same_file_and_results(out_dir: Path, on_invalid: str) -> None:
    one = write_all(out_dir / "t1.parquet", 1, on_invalid)
    for threads, pipelined in ((2, None), (3, None), ("auto", None), (2, True), (3, True), (2, False)):
        name = f"t{threads}-{pipelined}.parquet"
        assert write_all(out_dir / name, threads, on_invalid, pipelined) == one, (threads, pipelined)
        assert (out_dir / name).read_bytes() == (out_dir / "t1.parquet").read_bytes(), (threads, pipelined)
    table = pq.read_table(out_dir / "t2-True.parquet")
    assert table.num_rows == one[-1]
    if on_invalid == "skip":
        assert one[1][1][:2] == [2_033, 5_034]  # rows of the call, across its native batches


def test_an_unserialisable_record_and_a_raising_iterator(out_dir: Path) -> None:
    class Odd:
        pass

    for threads, pipelined in ((1, False), (2, False), (2, True)):
        path = out_dir / f"odd{threads}-{pipelined}.parquet"
        with Writer(path, SCHEMA, threads=threads) as w:
            w._pipelined = pipelined
            batch = records(9_000)
            batch[8_500]["name"] = Odd()
            with pytest.raises(parquet_writer.ParquetWriterError) as error:
                w.write(batch)
            assert error.value.row == 8_500
            # The batch before the bad one was written: the writer's first, DEFAULT_BATCH_ROWS
            # records; the next holds the rest of the call (records of under 100 bytes: 4 MiB
            # is more).
            assert w.write(records(10, 100_000)).rows_written == 10

            def failing() -> Iterator[dict[str, Any]]:
                yield from records(9_000, 200_000)
                raise RuntimeError("source went away")

            with pytest.raises(RuntimeError):
                w.write(failing(), batch_size=4_096)
            assert w.write(records(5, 300_000)).rows_written == 5
        ids = pq.read_table(path).column("id").to_pylist()
        first = parquet_writer.DEFAULT_BATCH_ROWS
        assert ids[:first] == list(range(first))
        assert ids[first : first + 10] == list(range(100_000, 100_010))
        assert ids[first + 10 : first + 10 + 8_192] == list(range(200_000, 208_192))
        assert ids[-5:] == list(range(300_000, 300_005))
        assert len(ids) == first + 10 + 8_192 + 5, len(ids)


def test_serialising_overlaps_only_with_a_core_left() -> None:
    """The dicts path overlaps serialising with the library only when the library's threads
    leave a core to Python (with every core taken it measured slower)."""
    import os

    from parquet_writer.writer import _pipelines

    cores = len(os.sched_getaffinity(0))
    assert not _pipelines(None) and not _pipelines(1) and not _pipelines("auto") and not _pipelines("many")
    assert not _pipelines(True) and not _pipelines(-3)
    assert not _pipelines(cores) and not _pipelines(cores + 1)
    assert _pipelines(2) == (cores > 2)
