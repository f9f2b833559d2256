"""Streaming memory: `parquet-interop-gen synth` writes N synthetic rows through the Swift API in
batches of 10,000. Peak RSS must be bounded by the row group, not by the input: the 10M-row run
may use at most 1.15 x the 1M-row peak + 8 MiB. The 10M file is then verified with DuckDB
against closed forms of the synthetic table:

    id int64 = i; value float64 = i * 0.5; name string = "name-" + str(i % 1000);
    flag boolean = (i % 3 == 0); opt int32 nullable = null if i % 7 == 0 else i % 100000
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from interop_gen import Generator

MiB = 1024 * 1024
SMALL, BIG = 1_000_000, 10_000_000


def expected_aggregates(n: int) -> dict[str, Any]:
    """Closed forms of the synthetic table's aggregates over rows 0..n-1."""
    nulls = (n + 6) // 7  # i % 7 == 0
    # sum of i % 100000 over all i, minus over i = 7k (7k % 100000 runs through every residue
    # once per 100000 consecutive k, since gcd(7, 100000) = 1).
    period = 100_000 * (100_000 - 1) // 2
    q, r = divmod(n, 100_000)
    total = q * period + r * (r - 1) // 2
    kq, kr = divmod(nulls, 100_000)
    at_nulls = kq * period + sum((7 * k) % 100_000 for k in range(kr))
    return {
        "count": n,
        "sum_id": n * (n - 1) // 2,
        "sum_value": n * (n - 1) / 4,
        "count_opt": n - nulls,
        "sum_opt": total - at_nulls,
        "distinct_name": min(n, 1000),
        "sum_flag": (n + 2) // 3,
    }


def brute_force_aggregates(n: int) -> dict[str, Any]:
    opt = [None if i % 7 == 0 else i % 100_000 for i in range(n)]
    return {
        "count": n,
        "sum_id": sum(range(n)),
        "sum_value": sum(i * 0.5 for i in range(n)),
        "count_opt": sum(v is not None for v in opt),
        "sum_opt": sum(v for v in opt if v is not None),
        "distinct_name": len({f"name-{i % 1000}" for i in range(n)}),
        "sum_flag": sum(i % 3 == 0 for i in range(n)),
    }


@pytest.mark.parametrize("n", [0, 1, 7, 999, 1001, 100_000, 700_001, 1_234_567])
def test_closed_forms_match_brute_force(n: int) -> None:
    assert expected_aggregates(n) == brute_force_aggregates(n)


def duckdb_aggregates(path: Path) -> dict[str, Any]:
    con = duckdb.connect(":memory:")
    try:
        row = con.execute(
            "SELECT count(*), sum(id), sum(value), count(opt), sum(opt), count(DISTINCT name), "
            "sum(flag::INT) FROM read_parquet(?)", [str(path)]).fetchone()
        types = dict(con.execute("SELECT column_name, column_type FROM "
                                 "(DESCRIBE SELECT * FROM read_parquet(?))", [str(path)]).fetchall())
    finally:
        con.close()
    assert types == {"id": "BIGINT", "value": "DOUBLE", "name": "VARCHAR", "flag": "BOOLEAN",
                     "opt": "INTEGER"}, types
    keys = ["count", "sum_id", "sum_value", "count_opt", "sum_opt", "distinct_name", "sum_flag"]
    return {k: (int(v) if k != "sum_value" else float(v)) for k, v in zip(keys, row)}


@pytest.fixture(scope="module")
def synth_runs(generator: Generator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, tuple[Path, dict]]]:
    d = tmp_path_factory.mktemp("synth")
    runs = {n: (d / f"synth-{n}.parquet", generator.synth(n, d / f"synth-{n}.parquet", "zstd")) for n in (SMALL, BIG)}
    yield runs
    for path, _ in runs.values():  # ~100 MB: don't leave it in pytest's kept tmp dirs
        path.unlink(missing_ok=True)


@pytest.mark.ours_only
@pytest.mark.slow
def test_peak_rss_is_bounded_by_the_row_group(synth_runs: dict[int, tuple[Path, dict]],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    small, big = synth_runs[SMALL][1], synth_runs[BIG][1]
    bound = small["peak_rss_bytes"] * 1.15 + 8 * MiB
    with capsys.disabled():
        print(f"\nsynth peak RSS: 1M rows {small['peak_rss_bytes'] / MiB:.1f} MiB "
              f"({small['row_groups']} row groups, {small['bytes'] / MiB:.1f} MiB file); "
              f"10M rows {big['peak_rss_bytes'] / MiB:.1f} MiB "
              f"({big['row_groups']} row groups, {big['bytes'] / MiB:.1f} MiB file); "
              f"bound {bound / MiB:.1f} MiB")
    for n, (path, report) in synth_runs.items():
        assert report["rows"] == n
        assert report["bytes"] == path.stat().st_size
        assert report["row_groups"] >= 1
    assert big["peak_rss_bytes"] <= bound


@pytest.mark.ours_only
@pytest.mark.slow
@pytest.mark.parametrize("n", [SMALL, BIG])
def test_synth_values_via_duckdb(synth_runs: dict[int, tuple[Path, dict]], n: int) -> None:
    assert duckdb_aggregates(synth_runs[n][0]) == expected_aggregates(n)
