"""``threads=N``: the dicts path serialises batch k+1 while the library writes batch k.

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


def write_all(path: Path, threads: Any, on_invalid: str) -> list[Any]:
    seen: list[Any] = []
    with Writer(path, SCHEMA, threads=threads, on_invalid=on_invalid, compression="zstd") as w:
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
    for threads in (2, 3, "auto"):
        assert write_all(out_dir / f"t{threads}.parquet", threads, on_invalid) == one, threads
        assert (out_dir / f"t{threads}.parquet").read_bytes() == (out_dir / "t1.parquet").read_bytes(), threads
    table = pq.read_table(out_dir / "t2.parquet")
    assert table.num_rows == one[-1]
    if on_invalid == "skip":
        assert one[1][1][:2] == [2_033, 5_034]  # rows of the call, across its native batches of 4,096


def test_an_unserialisable_record_and_a_raising_iterator(out_dir: Path) -> None:
    class Odd:
        pass

    for threads in (1, 2):
        path = out_dir / f"odd{threads}.parquet"
        with Writer(path, SCHEMA, threads=threads) as w:
            batch = records(9_000)
            batch[8_500]["name"] = Odd()
            with pytest.raises(parquet_writer.ParquetWriterError) as error:
                w.write(batch)
            assert error.value.row == 8_500
            # The batches before the bad one were written (4,096 records each).
            assert w.write(records(10, 100_000)).rows_written == 10

            def failing() -> Iterator[dict[str, Any]]:
                yield from records(9_000, 200_000)
                raise RuntimeError("source went away")

            with pytest.raises(RuntimeError):
                w.write(failing())
            assert w.write(records(5, 300_000)).rows_written == 5
        ids = pq.read_table(path).column("id").to_pylist()
        assert ids[:8_192] == list(range(8_192))
        assert ids[-5:] == list(range(300_000, 300_005))
        assert len(ids) == 8_192 + 10 + 8_192 + 5, len(ids)
