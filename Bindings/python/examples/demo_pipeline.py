#!/usr/bin/env python3
"""The generator pipeline: a paginated transactions API streamed into Parquet with bounded memory.

    simulated API (deterministic, seeded) -> pages of 1,000 records -> records (a generator)
      -> batches of 10,000 -> parquet_writer.Writer -> one Parquet file

Prints rows, wall time, rows/s, the output size and the process's peak memory (peak resident
set size, VmHWM from /proc/self/status; ru_maxrss where /proc is missing). Then reads the file
back with pyarrow and checks the row count and aggregates against what was generated; exits
non-zero if anything differs.

--compare also runs the load-everything approach (all dicts in a list -> pyarrow.Table.from_pylist
-> casts to the same column types -> pq.write_table) and the generator alone (no output, the
Python cost both approaches pay), each in its own subprocess so each peak is its own, and prints
them side by side.

    PARQUET_WRITER_LIBRARY=.build/release/libparquet_writer.so \\
        python Bindings/python/examples/demo_pipeline.py --rows 1000000 --compare
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

try:
    import parquet_writer  # noqa: F401  (installed: `pip install Bindings/python`)
except ImportError:  # run from the source tree without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_ROWS = 1_000_000
PAGE_SIZE = 1_000
BATCH_SIZE = 10_000
SEED = 20240601

# ------------------------------------------------------------------------------------------
# The simulated API

CURRENCIES = ["USD"] * 12 + ["EUR"] * 5 + ["GBP"] * 3 + ["JPY", "CAD", "AUD", "CHF", "SEK"]
MERCHANTS = [
    "Acme Grocers", "Blue Bottle Coffee", "City Transit", "Daily Bread Bakery", "Eastside Pharmacy",
    "Fresh Market", "Globe Airlines", "Harbor Books", "Iron Gym", "Juniper Hotels", "Kite Electronics",
    "Lumen Utilities", "Metro Fuel", "Northwind Traders", "Orbit Telecom", "Pine Street Cafe",
    "Quartz Cinema", "River Outfitters", "Summit Insurance", "Tidewater Seafood", "Union Parking",
    "Vista Streaming", "Willow Florist", "Xeno Games", "Yellow Cab Co", "Zephyr Rentals",
]
CATEGORIES = ["groceries", "dining", "transport", "travel", "shopping", "utilities", "entertainment", "health", "services"]
WORDS = [
    "order", "subscription", "renewal", "store", "online", "purchase", "monthly", "invoice", "ticket", "booking",
    "delivery", "service", "fee", "adjustment", "pos", "contactless", "recurring", "annual", "gift", "card",
]
START_EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
SCHEMA: List[Dict[str, Any]] = [
    {"name": "transaction_id", "type": "int64", "nullable": False},
    {"name": "account_id", "type": "string", "nullable": False},
    {"name": "created_at", "type": "timestamp_ms", "nullable": False},
    {"name": "amount", "type": "decimal", "precision": 12, "scale": 2, "nullable": False},
    {"name": "currency", "type": "string", "nullable": False},
    {"name": "merchant", "type": "string", "nullable": False},
    {"name": "category", "type": "string", "nullable": False},
    {"name": "description", "type": "string", "nullable": True},
    {"name": "is_refund", "type": "boolean", "nullable": False},
    {"name": "fee_cents", "type": "int32", "nullable": True},
]


class SimulatedTransactionsAPI:
    """A deterministic paginated API: ``get_page(cursor)`` returns ``{"data": [...], "next_cursor": ...}``.

    Each page has its own RNG seeded from (seed, page number), so a page's content does not
    depend on which pages were fetched before it. Records are what a JSON API hands over once
    parsed: ints, strings (the timestamp as RFC 3339 text, the amount as exact decimal text),
    booleans and nulls.
    """

    def __init__(self, total_rows: int, page_size: int = PAGE_SIZE, seed: int = SEED) -> None:
        self.total_rows = total_rows
        self.page_size = page_size
        self.seed = seed

    def get_page(self, cursor: Optional[str]) -> Dict[str, Any]:
        page = int(cursor) if cursor else 0
        first = page * self.page_size
        count = max(0, min(self.page_size, self.total_rows - first))
        rng = random.Random(self.seed * 1_000_003 + page)
        r = rng.random
        data = []
        ms = START_EPOCH_MS + first * 30_000
        day_cache: Tuple[int, str] = (-1, "")
        n_cur, n_mer, n_cat, n_words = len(CURRENCIES), len(MERCHANTS), len(CATEGORIES), len(WORDS)
        for i in range(first, first + count):
            ms += 1 + int(r() * 59_999)  # increasing, ~30 s apart on average
            day, in_day = divmod(ms, 86_400_000)
            if day != day_cache[0]:
                day_cache = (day, time.strftime("%Y-%m-%d", time.gmtime(day * 86_400)))
            seconds, millis = divmod(in_day, 1000)
            hours, seconds = divmod(seconds, 3600)
            minutes, seconds = divmod(seconds, 60)
            cents = 1 + int(r() ** 3 * 250_000)
            refund = r() < 0.04
            merchant = MERCHANTS[int(r() * n_mer)]
            data.append({
                "transaction_id": 9_000_000_000 + i,
                "account_id": f"acct_{int(r() * 50_000):06d}",
                "created_at": f"{day_cache[1]}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z",
                "amount": f"{'-' if refund else ''}{cents // 100}.{cents % 100:02d}",
                "currency": CURRENCIES[int(r() * n_cur)],
                "merchant": merchant,
                "category": CATEGORIES[int(r() * n_cat)],
                "description": None if r() < 0.05 else
                f"{merchant} {WORDS[int(r() * n_words)]} {WORDS[int(r() * n_words)]} #{int(r() * 10**8):08d}",
                "is_refund": refund,
                "fee_cents": None if r() < 0.3 else 30 + cents * 29 // 1000,
            })
        next_cursor = str(page + 1) if first + count < self.total_rows else None
        return {"data": data, "next_cursor": next_cursor}


def pages(api: SimulatedTransactionsAPI) -> Iterator[List[Dict[str, Any]]]:
    cursor: Optional[str] = None
    while True:
        response = api.get_page(cursor)
        yield response["data"]
        cursor = response["next_cursor"]
        if cursor is None:
            return


class Aggregates:
    """What the verification compares: tallied while the records stream past."""

    def __init__(self) -> None:
        self.rows = 0
        self.amount_cents = 0
        self.refunds = 0
        self.fee_nulls = 0
        self.fee_sum = 0
        self.description_nulls = 0
        self.min_id: Optional[int] = None
        self.max_id: Optional[int] = None
        self.first_created: Optional[str] = None
        self.last_created: Optional[str] = None
        self.currencies: set[str] = set()

    def add(self, rec: Dict[str, Any]) -> None:
        self.rows += 1
        whole, frac = rec["amount"].lstrip("-").split(".")
        cents = int(whole) * 100 + int(frac)
        self.amount_cents += -cents if rec["amount"][0] == "-" else cents
        self.refunds += rec["is_refund"]
        fee = rec["fee_cents"]
        if fee is None:
            self.fee_nulls += 1
        else:
            self.fee_sum += fee
        if rec["description"] is None:
            self.description_nulls += 1
        tid = rec["transaction_id"]
        if self.min_id is None:
            self.min_id = tid
            self.first_created = rec["created_at"]
        self.max_id = tid
        self.last_created = rec["created_at"]
        self.currencies.add(rec["currency"])

    def as_dict(self) -> Dict[str, Any]:
        return {
            "rows": self.rows, "amount": str(Decimal(self.amount_cents).scaleb(-2)), "refunds": self.refunds,
            "fee_nulls": self.fee_nulls, "fee_sum": self.fee_sum, "description_nulls": self.description_nulls,
            "min_id": self.min_id, "max_id": self.max_id, "first_created": self.first_created,
            "last_created": self.last_created, "currencies": sorted(self.currencies),
        }


def records(api: SimulatedTransactionsAPI, tally: Optional[Aggregates] = None) -> Iterator[Dict[str, Any]]:
    for page in pages(api):
        if tally is not None:
            for rec in page:
                tally.add(rec)
        yield from page


def batches(items: Iterator[Dict[str, Any]], size: int = BATCH_SIZE) -> Iterator[List[Dict[str, Any]]]:
    while True:
        batch = list(islice(items, size))
        if not batch:
            return
        yield batch


# ------------------------------------------------------------------------------------------
# Memory


def peak_rss_kib() -> Tuple[int, str]:
    """The process's peak resident set size in KiB, and where it was read."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"


def current_rss_kib() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# ------------------------------------------------------------------------------------------
# The approaches (each returns its stats; run in a subprocess under --compare)


def run_stream(rows: int, out: Path, compression: str, row_group_rows: Optional[int] = None) -> Dict[str, Any]:
    from parquet_writer import Writer, version

    api = SimulatedTransactionsAPI(rows)
    tally = Aggregates()
    baseline = current_rss_kib()
    start = time.perf_counter()
    with Writer(
        out, SCHEMA, compression=compression, row_group_rows=row_group_rows, metadata={"source": "demo_pipeline.py"}
    ) as writer:
        for batch in batches(records(api, tally)):
            writer.write(batch)
    seconds = time.perf_counter() - start
    peak, source = peak_rss_kib()
    summary = writer.summary or {}
    return {
        "approach": "stream (parquet_writer)", "rows": summary.get("rows_written"), "seconds": seconds,
        "bytes": out.stat().st_size, "peak_rss_kib": peak, "peak_source": source, "baseline_rss_kib": baseline,
        "serializer": writer.serializer, "row_groups": summary["files"][0]["row_groups"], "library": version(), "aggregates": tally.as_dict(), "path": str(out),
    }


def run_inmemory(rows: int, out: Path, compression: str, row_group_rows: Optional[int] = None) -> Dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    api = SimulatedTransactionsAPI(rows)
    tally = Aggregates()
    baseline = current_rss_kib()
    start = time.perf_counter()
    everything = list(records(api, tally))
    table = pa.Table.from_pylist(everything)
    del everything
    target = pa.schema([
        pa.field("transaction_id", pa.int64(), nullable=False),
        pa.field("account_id", pa.string(), nullable=False),
        pa.field("created_at", pa.timestamp("ms", tz="UTC"), nullable=False),
        pa.field("amount", pa.decimal128(12, 2), nullable=False),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("merchant", pa.string(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("description", pa.string()),
        pa.field("is_refund", pa.bool_(), nullable=False),
        pa.field("fee_cents", pa.int32()),
    ])
    table = table.cast(target)
    pq.write_table(table, out, compression=compression, row_group_size=row_group_rows)
    seconds = time.perf_counter() - start
    peak, source = peak_rss_kib()
    return {
        "approach": "in-memory (pyarrow)", "rows": table.num_rows, "seconds": seconds, "bytes": out.stat().st_size,
        "peak_rss_kib": peak, "peak_source": source, "baseline_rss_kib": baseline,
        "library": f"pyarrow {pa.__version__}", "row_groups": pq.ParquetFile(out).metadata.num_row_groups, "aggregates": tally.as_dict(), "path": str(out),
    }


def run_generate(rows: int, out: Path, compression: str, row_group_rows: Optional[int] = None) -> Dict[str, Any]:
    api = SimulatedTransactionsAPI(rows)
    tally = Aggregates()
    baseline = current_rss_kib()
    start = time.perf_counter()
    for _batch in batches(records(api, tally)):
        pass
    seconds = time.perf_counter() - start
    peak, source = peak_rss_kib()
    return {
        "approach": "generate only", "rows": tally.rows, "seconds": seconds, "bytes": None,
        "peak_rss_kib": peak, "peak_source": source, "baseline_rss_kib": baseline,
        "aggregates": tally.as_dict(), "path": None, "row_groups": None,
    }


APPROACHES = {"stream": run_stream, "inmemory": run_inmemory, "generate": run_generate}


# ------------------------------------------------------------------------------------------
# Verification


def verify(path: Path, expected: Dict[str, Any]) -> List[str]:
    """Reads the file with pyarrow and lists every difference from the generated aggregates."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    problems: List[str] = []
    table = pq.read_table(path)

    def check(what: str, got: Any, want: Any) -> None:
        if got != want:
            problems.append(f"{path.name}: {what}: read {got!r}, generated {want!r}")

    check("rows", table.num_rows, expected["rows"])
    check("columns", table.column_names, [f["name"] for f in SCHEMA])
    check("sum(amount)", pc.sum(table["amount"]).as_py(), Decimal(expected["amount"]))
    check("refunds", pc.sum(table["is_refund"].cast("int64")).as_py(), expected["refunds"])
    check("null fee_cents", table["fee_cents"].null_count, expected["fee_nulls"])
    check("sum(fee_cents)", pc.sum(table["fee_cents"].cast("int64")).as_py(), expected["fee_sum"])
    check("null description", table["description"].null_count, expected["description_nulls"])
    check("min(transaction_id)", pc.min(table["transaction_id"]).as_py(), expected["min_id"])
    check("max(transaction_id)", pc.max(table["transaction_id"]).as_py(), expected["max_id"])
    created = table["created_at"]
    check("created_at type", str(created.type), "timestamp[ms, tz=UTC]")

    def iso(value: Any) -> str:
        return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"

    check("first created_at", iso(created[0].as_py()), expected["first_created"])
    check("last created_at", iso(created[-1].as_py()), expected["last_created"])
    check("currencies", sorted(pc.unique(table["currency"]).to_pylist()), expected["currencies"])
    return problems


# ------------------------------------------------------------------------------------------
# Driver


def run_child(mode: str, rows: int, out: Path, compression: str, row_group_rows: Optional[int]) -> Dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--rows", str(rows), "--out", str(out), "--compression", compression]
    if row_group_rows:
        cmd += ["--row-group-rows", str(row_group_rows)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"the {mode} subprocess failed (exit {proc.returncode})")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def mib(kib: Optional[int]) -> str:
    return "-" if kib is None else f"{kib / 1024:,.1f} MiB"


def describe(stats: Dict[str, Any]) -> None:
    rows, seconds = stats["rows"], stats["seconds"]
    print(f"{stats['approach']}: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s; "
          f"file {stats['bytes'] / 1e6:,.1f} MB; peak RSS {mib(stats['peak_rss_kib'])} "
          f"({stats['peak_source']}, after imports {mib(stats['baseline_rss_kib'])})")


def print_table(results: List[Dict[str, Any]]) -> None:
    rows: List[Tuple[str, Callable[[Dict[str, Any]], str]]] = [
        ("rows", lambda s: f"{s['rows']:,}"),
        ("wall time", lambda s: f"{s['seconds']:.2f} s"),
        ("rows/s", lambda s: f"{s['rows'] / s['seconds']:,.0f}"),
        ("output size", lambda s: "-" if s["bytes"] is None else f"{s['bytes'] / 1e6:,.1f} MB"),
        ("row groups", lambda s: "-" if s["row_groups"] is None else str(s["row_groups"])),
        ("peak RSS", lambda s: mib(s["peak_rss_kib"])),
        ("RSS after imports", lambda s: mib(s["baseline_rss_kib"])),
        ("peak - imports", lambda s: mib(s["peak_rss_kib"] - s["baseline_rss_kib"])),
    ]
    widths = [max(22, len(s["approach"]) + 2) for s in results]
    print(f"{'':20}" + "".join(f"{s['approach']:>{w}}" for s, w in zip(results, widths)))
    for label, cell in rows:
        print(f"{label:20}" + "".join(f"{cell(s):>{w}}" for s, w in zip(results, widths)))
    print(f"(peak RSS = {results[0]['peak_source']} of each subprocess: its whole resident peak, interpreter included)")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"records to generate (default {DEFAULT_ROWS:,})")
    parser.add_argument("--out", type=Path, default=Path("transactions.parquet"), help="output file (default ./transactions.parquet)")
    parser.add_argument("--compression", default="snappy", choices=["snappy", "zstd", "gzip", "none"])
    parser.add_argument("--row-group-rows", type=int, default=None,
                        help="rows per row group (default: each writer's own, 1,048,576 rows / 128 MiB for parquet_writer); "
                        "the streaming side's memory follows the row group, not the file")
    parser.add_argument("--compare", action="store_true", help="also run the in-memory pyarrow approach and the generator alone")
    parser.add_argument("--child", choices=sorted(APPROACHES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()

    if args.child:
        stats = APPROACHES[args.child](args.rows, out, args.compression, args.row_group_rows)
        print(json.dumps(stats))
        return 0

    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"demo_pipeline: {args.rows:,} transactions, pages of {PAGE_SIZE:,}, batches of {BATCH_SIZE:,}, "
          f"compression {args.compression}, seed {SEED}")
    if not args.compare:
        stats = run_stream(args.rows, out, args.compression, args.row_group_rows)
        results = [stats]
    else:
        memory_out = out.with_name(out.stem + ".inmemory.parquet")
        results = [
            run_child("stream", args.rows, out, args.compression, args.row_group_rows),
            run_child("inmemory", args.rows, memory_out, args.compression, args.row_group_rows),
            run_child("generate", args.rows, out, args.compression, args.row_group_rows),
        ]
    stream = results[0]
    print(f"library {stream['library']}, records serialised with {stream['serializer']}; output {out}")
    for stats in results:
        if stats["bytes"] is not None:
            describe(stats)
    if args.compare:
        print()
        print_table(results)

    problems = verify(out, stream["aggregates"])
    if args.compare:
        problems += verify(Path(results[1]["path"]), results[1]["aggregates"])
        if results[1]["aggregates"] != stream["aggregates"]:
            problems.append("the two approaches generated different data")
    print()
    if problems:
        for problem in problems:
            print("VERIFY FAILED:", problem)
        return 1
    agg = stream["aggregates"]
    print(f"verified with pyarrow: {agg['rows']:,} rows, sum(amount) {agg['amount']}, {agg['refunds']:,} refunds, "
          f"{agg['fee_nulls']:,} null fees, ids {agg['min_id']}..{agg['max_id']}, "
          f"{agg['first_created']} .. {agg['last_created']}" + (" (both files)" if args.compare else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
