"""The Swift example package (Examples/swift-rows, issue 17): a client package that depends on
this one by path builds (with only Parquet and ParquetFoundation compiled: none of the CLI's
modules), runs, and writes nested orders from Swift types that pyarrow, DuckDB and polars read
back exactly as the example made them."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import subprocess
import uuid
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

EXAMPLE = os.environ.get("PARQUET_SWIFT_EXAMPLE")
SCRATCH = os.environ.get("PARQUET_SWIFT_EXAMPLE_SCRATCH")
ROWS = 10_000

pytestmark = pytest.mark.skipif(
    not EXAMPLE or not Path(EXAMPLE).is_file(), reason="the Swift example is built by `make test` (make swift-example)")


def expected(n: int) -> dict:
    """Order n as Examples/swift-rows/Sources/swift-rows/main.swift makes it."""
    return {
        "id": uuid.UUID(f"00000000-0000-4000-8000-{n:012x}").bytes,
        "number": n,
        "placed_at": dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        + dt.timedelta(microseconds=1_700_000_000_000_000 + n * 250_000),
        "customer": {"id": n % 5000, "name": f"customer {n % 5000}", "tier": None if n % 3 == 0 else "gold"},
        "items": [{"sku": f"SKU-{n % 100}-{k}", "qty": k + 1,
                   "price": decimal.Decimal(f"{n % 1000}.{k * 25}").quantize(decimal.Decimal("0.01"))}
                  for k in range(n % 4)],
        "tags": [("channel", "web")] if n % 2 == 0 else [],
        "note": "gift" if n % 10 == 0 else None,
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("swift-example") / "orders.parquet"
    run = subprocess.run([EXAMPLE, str(out), str(ROWS)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert f"wrote {ROWS} orders" in run.stdout
    return out


def test_depending_on_parquet_builds_none_of_the_cli(written: Path) -> None:
    assert SCRATCH, "PARQUET_SWIFT_EXAMPLE_SCRATCH is set with PARQUET_SWIFT_EXAMPLE"
    debug = Path(SCRATCH) / "debug"

    def objects(module: str) -> int:
        return sum(1 for _ in (debug / f"{module}.build").rglob("*.o"))

    assert objects("Parquet") > 0 and objects("ParquetFoundation") > 0
    for module in ("ArgumentParser", "ParquetCLI", "ParquetJSON", "ParquetCABI", "ParquetDataset"):
        assert objects(module) == 0, f"{module} was compiled for a package that depends on Parquet only"
    # Nothing else either (the docc plugin included): only Parquet's own modules and C shims.
    allowed = {"Parquet", "ParquetBytes", "ParquetThrift", "ParquetEncoding", "ParquetCompression",
               "ParquetFoundation", "CParquetBuildInfo", "CFileSystem", "CZstd", "CSnappy", "CZlib", "CLz4",
               "CBrotli", "swift_rows"}
    compiled = {path.relative_to(debug).parts[0].removesuffix(".build") for path in debug.rglob("*.o")}
    assert compiled - allowed - {"Modules"} == set(), sorted(compiled)


def test_pyarrow_reads_every_order_exactly(written: Path) -> None:
    table = pq.read_table(written)
    assert table.num_rows == ROWS
    schema = table.schema
    assert schema.field("id").type == pa.binary(16) or str(schema.field("id").type).startswith("extension<arrow.uuid")
    assert schema.field("placed_at").type == pa.timestamp("us", tz="UTC")
    assert not schema.field("number").nullable and schema.field("note").nullable
    item = schema.field("items").type.value_type
    assert item.field("price").type == pa.decimal128(12, 2)
    rows = sorted(table.to_pylist(), key=lambda r: r["number"])  # four producers: pages in any order
    for n, row in enumerate(rows):
        want = expected(n)
        row["id"] = bytes(row["id"]) if not isinstance(row["id"], uuid.UUID) else row["id"].bytes
        assert row == want, (n, row, want)


def test_duckdb_and_polars_agree(written: Path) -> None:
    con = duckdb.connect()
    got = con.execute(
        f"SELECT count(*), sum(number), sum(len(items)), sum(list_sum(list_transform(items, lambda x: x.price))), "
        f"count(note), min(placed_at), max(customer.id) FROM '{written}'").fetchone()
    prices = sum(sum(i["price"] for i in expected(n)["items"]) for n in range(ROWS))
    assert got[0] == ROWS and got[1] == ROWS * (ROWS - 1) // 2
    assert got[2] == sum(n % 4 for n in range(ROWS))
    assert decimal.Decimal(got[3]) == prices
    assert got[4] == ROWS // 10 and got[6] == 4999
    frame = pl.read_parquet(written).sort("number")
    assert frame.height == ROWS
    assert frame["customer"].struct.field("tier").null_count() == len([n for n in range(ROWS) if n % 3 == 0])
    assert frame["items"].list.len().to_list() == [n % 4 for n in range(ROWS)]
