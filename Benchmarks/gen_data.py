#!/usr/bin/env python3
"""Deterministic NDJSON transaction records for the benchmark (pure Python, seeded).

    python Benchmarks/gen_data.py --rows 1000000 --seed 42 [--out PATH]

Writes Benchmarks/data/transactions_<rows>_<seed>.ndjson (or --out) unless it already exists
with a matching .done marker, and prints the path. Same (rows, seed) -> byte-identical file.
Eleven flat columns, ~311 bytes per record:

    transaction_id int64, account_id int64, created_at timestamp (RFC 3339, ms, "Z"),
    amount float64 (2 decimals), currency / category / status (few distinct),
    merchant (~1000 distinct), description (40-120 chars, mostly unique, no quotes),
    is_refund boolean, fee int64 nullable (~20% null).

With --orders: nested orders (a struct and a list of structs) for the partitioned benchmark,
Benchmarks/data/orders_<rows>_<seed>.ndjson, 24 countries x 30 days in random order.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"

CURRENCIES = ["USD"] * 10 + ["EUR"] * 5 + ["GBP"] * 3 + ["JPY", "CAD", "AUD", "CHF", "SEK", "NOK", "PLN"]
CATEGORIES = ["groceries", "dining", "transport", "travel", "shopping", "utilities",
              "entertainment", "health", "services", "education", "insurance", "fees"]
STATUSES = ["settled"] * 14 + ["pending"] * 4 + ["declined", "reversed"]
WORDS = ["order", "subscription", "renewal", "store", "online", "purchase", "monthly", "invoice",
         "ticket", "booking", "delivery", "service", "adjustment", "pos", "contactless", "recurring",
         "annual", "gift", "card", "terminal", "refund", "express", "market", "premium", "plan",
         "account", "transfer", "payment", "checkout", "voucher"]
START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z

# Every JSON key, in order: the schema of all contenders (Benchmarks/bench.py) follows it.
COLUMNS = ["transaction_id", "account_id", "created_at", "amount", "currency", "category",
           "status", "merchant", "description", "is_refund", "fee"]


def merchants(rng: random.Random) -> list[str]:
    first = ["Acme", "Blue", "City", "Daily", "East", "Fresh", "Globe", "Harbor", "Iron", "Juniper",
             "Kite", "Lumen", "Metro", "North", "Orbit", "Pine", "Quartz", "River", "Summit", "Tide"]
    second = ["Grocers", "Coffee", "Transit", "Bakery", "Pharmacy", "Market", "Airlines", "Books",
              "Gym", "Hotels", "Electronics", "Utilities", "Fuel", "Traders", "Telecom", "Cafe",
              "Cinema", "Outfitters", "Insurance", "Seafood", "Parking", "Streaming", "Florist",
              "Games", "Rentals"]
    names = [f"{a} {b} #{i:04d}" for i, (a, b) in enumerate((a, b) for a in first for b in second)]
    rng.shuffle(names)
    return names[:1000]


def civil(ms: int) -> str:
    """RFC 3339 UTC text with milliseconds (no datetime objects: this is the hot loop)."""
    secs, milli = divmod(ms, 1000)
    days, sod = divmod(secs, 86400)
    # days since 1970-01-01 -> y-m-d (Howard Hinnant's algorithm)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    hh, rem = divmod(sod, 3600)
    mm, ss = divmod(rem, 60)
    return f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}.{milli:03d}Z"


def generate(path: Path, rows: int, seed: int, chunk: int = 50_000) -> None:
    rng = random.Random(seed)
    merch = merchants(rng)
    tmp = path.with_suffix(path.suffix + ".tmp")
    ms = START_MS
    tid = 9_000_000_000
    rand, randint, choice = rng.random, rng.randint, rng.choice
    with open(tmp, "w", encoding="ascii", newline="\n") as out:
        for start in range(0, rows, chunk):
            lines = []
            for i in range(start, min(rows, start + chunk)):
                tid += randint(1, 3)
                ms += randint(0, 60_000)
                n_words = randint(4, 14)
                desc = " ".join(choice(WORDS) for _ in range(n_words))
                desc = f"{desc} ref {randint(0, 10**10):010d}"
                length = randint(40, 120)
                if len(desc) < length:
                    desc = (desc + " " + " ".join(choice(WORDS) for _ in range(12)))[:length]
                else:
                    desc = desc[:length]
                desc = desc.rstrip()
                fee = "null" if rand() < 0.2 else str(randint(0, 2500))
                lines.append(
                    f'{{"transaction_id":{tid},"account_id":{randint(100_000, 9_999_999)},'
                    f'"created_at":"{civil(ms)}","amount":{randint(1, 2_500_000) / 100:.2f},'
                    f'"currency":"{choice(CURRENCIES)}","category":"{choice(CATEGORIES)}",'
                    f'"status":"{choice(STATUSES)}","merchant":"{choice(merch)}",'
                    f'"description":"{desc}","is_refund":{"true" if rand() < 0.05 else "false"},'
                    f'"fee":{fee}}}\n'
                )
            out.write("".join(lines))
    os.replace(tmp, path)


def ensure(rows: int, seed: int, out: Path | None = None) -> Path:
    path = out or DATA_DIR / f"transactions_{rows}_{seed}.ndjson"
    marker = path.with_suffix(".done")
    if path.exists() and marker.exists() and marker.read_text().strip() == str(path.stat().st_size):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    generate(path, rows, seed)
    marker.write_text(str(path.stat().st_size))
    return path


# Nested orders for the partitioned benchmark (Benchmarks/bench.py, "Partitioned datasets"):
# 24 countries x 30 days = 720 partitions (country, created_at's UTC day), in random order.
COUNTRIES = ["DE", "FR", "ES", "IT", "NL", "BE", "AT", "CH", "PL", "SE", "NO", "DK", "FI", "IE",
             "PT", "CZ", "GR", "HU", "RO", "GB", "US", "CA", "JP", "AU"]
ORDER_DAYS = 30
ORDER_STATUSES = ["placed", "paid", "shipped", "delivered", "returned"]
TIERS = ["basic", "silver", "gold", "platinum"]
ORDER_COLUMNS = ["order_id", "country", "created_at", "status", "customer", "items", "total", "note"]


def generate_orders(path: Path, rows: int, seed: int, chunk: int = 50_000) -> None:
    """One order a line: order_id, country, created_at (RFC 3339 ms), status, customer
    {id, name, tier (nullable)}, items [{sku, qty, price}] (1-5), total, note (nullable)."""
    rng = random.Random(seed)
    randint, choice, rand = rng.randint, rng.choice, rng.random
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="ascii", newline="\n") as out:
        for start in range(0, rows, chunk):
            lines = []
            for i in range(start, min(rows, start + chunk)):
                ms = START_MS + randint(0, ORDER_DAYS * 86_400_000 - 1)
                items = []
                total = 0.0
                for _ in range(randint(1, 5)):
                    qty, price = randint(1, 9), randint(100, 99_999) / 100
                    total += qty * price
                    items.append(f'{{"sku":"SKU-{randint(0, 49_999):05d}","qty":{qty},"price":{price:.2f}}}')
                tier = "null" if rand() < 0.1 else f'"{choice(TIERS)}"'
                note = "null" if rand() < 0.7 else f'"{" ".join(choice(WORDS) for _ in range(randint(2, 8)))}"'
                lines.append(
                    f'{{"order_id":{1_000_000_000 + i},"country":"{choice(COUNTRIES)}","created_at":"{civil(ms)}",'
                    f'"status":"{choice(ORDER_STATUSES)}","customer":{{"id":{randint(1, 2_000_000)},'
                    f'"name":"customer {randint(1, 2_000_000)}","tier":{tier}}},"items":[{",".join(items)}],'
                    f'"total":{total:.2f},"note":{note}}}\n')
            out.write("".join(lines))
    os.replace(tmp, path)


def ensure_orders(rows: int, seed: int) -> Path:
    path = DATA_DIR / f"orders_{rows}_{seed}.ndjson"
    marker = path.with_suffix(".done")
    if path.exists() and marker.exists() and marker.read_text().strip() == str(path.stat().st_size):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    generate_orders(path, rows, seed)
    marker.write_text(str(path.stat().st_size))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--orders", action="store_true", help="the nested orders instead (partitioned benchmark)")
    args = ap.parse_args()
    print(ensure_orders(args.rows, args.seed) if args.orders else ensure(args.rows, args.seed, args.out))


if __name__ == "__main__":
    sys.exit(main())
