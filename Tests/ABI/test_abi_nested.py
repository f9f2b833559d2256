"""Nested columns (struct, list, map at any depth) through the C ABI: JSON records written with
create_writer/write_batch/close_writer and read back with pyarrow, DuckDB and polars, with
exact values and types, across codecs, dictionary on/off, pages and row groups."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI, config, ndjson

# The schema, in the native schema JSON.
FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "tags", "type": "list", "items": {"type": "string", "nullable": True}},
    {
        "name": "addr",
        "type": "struct",
        "fields": [
            {"name": "city", "type": "string"},
            {"name": "zip", "type": "int32", "nullable": False},
            {"name": "geo", "type": "list", "items": {"type": "float64", "nullable": False}},
        ],
    },
    {"name": "attrs", "type": "map", "keys": {"type": "string"}, "values": {"type": "int64", "nullable": True}},
    {"name": "matrix", "type": "list", "items": {"type": "list", "items": {"type": "int64"}}},
    {
        "name": "people",
        "type": "list",
        "items": {
            "type": "struct",
            "fields": [{"name": "name", "type": "string"}, {"name": "scores", "type": "list", "items": {"type": "int32"}}],
        },
    },
    {
        "name": "deep",
        "type": "struct",
        "fields": [
            {
                "name": "a",
                "type": "list",
                "items": {
                    "type": "struct",
                    "fields": [
                        {
                            "name": "b",
                            "type": "map",
                            "keys": {"type": "int32"},
                            "values": {"type": "list", "items": {"type": "int64"}},
                        }
                    ],
                },
            }
        ],
    },
]

LEAVES = [
    "id",
    "tags.list.element",
    "addr.city",
    "addr.zip",
    "addr.geo.list.element",
    "attrs.key_value.key",
    "attrs.key_value.value",
    "matrix.list.element.list.element",
    "people.list.element.name",
    "people.list.element.scores.list.element",
    "deep.a.list.element.b.key_value.key",
    "deep.a.list.element.b.key_value.value.list.element",
]


# -- generating records: (JSON record, canonical value) ------------------------------------------
# Canonical values: structs as dicts of every field, lists as lists, maps as lists of (key, value)
# pairs, None for null or missing.


def maybe(rng: random.Random, make, none_rate: float = 0.2):
    return None if rng.random() < none_rate else make()


def gen_list(rng: random.Random, make, max_len: int = 4) -> list:
    return [make() for _ in range(rng.randrange(max_len + 1))]


def gen_record(rng: random.Random, row: int) -> tuple[dict[str, Any], dict[str, Any]]:
    tags = maybe(rng, lambda: gen_list(rng, lambda: maybe(rng, lambda: rng.choice(["a", "b", "ccc", "é✓"]))))
    addr = maybe(
        rng,
        lambda: {
            "city": maybe(rng, lambda: f"city{rng.randrange(50)}"),
            "zip": rng.randrange(-1000, 100000),
            "geo": maybe(rng, lambda: gen_list(rng, lambda: rng.randrange(-100, 100) / 4)),
        },
    )
    attrs = maybe(
        rng,
        lambda: [(f"k{k}", maybe(rng, lambda: rng.randrange(-(2**40), 2**40))) for k in rng.sample(range(20), rng.randrange(4))],
    )
    matrix = maybe(rng, lambda: gen_list(rng, lambda: maybe(rng, lambda: gen_list(rng, lambda: maybe(rng, lambda: rng.randrange(1000))))))
    people = maybe(
        rng,
        lambda: gen_list(
            rng,
            lambda: maybe(
                rng,
                lambda: {
                    "name": maybe(rng, lambda: f"p{rng.randrange(100)}"),
                    "scores": maybe(rng, lambda: gen_list(rng, lambda: maybe(rng, lambda: rng.randrange(-50, 50)))),
                },
            ),
        ),
    )
    deep = maybe(
        rng,
        lambda: {
            "a": maybe(
                rng,
                lambda: gen_list(
                    rng,
                    lambda: maybe(
                        rng,
                        lambda: {
                            "b": maybe(
                                rng,
                                lambda: [
                                    (k, maybe(rng, lambda: gen_list(rng, lambda: maybe(rng, lambda: rng.randrange(10**12)))))
                                    for k in rng.sample(range(-5, 100), rng.randrange(3))
                                ],
                            )
                        },
                    ),
                    3,
                ),
            )
        },
    )
    canonical = {"id": row, "tags": tags, "addr": addr, "attrs": attrs, "matrix": matrix, "people": people, "deep": deep}
    return to_json(canonical, rng), canonical


def to_json(canonical: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The JSON record: maps as objects (keys as text), nulls sometimes left out."""

    def convert(value: Any, spec: dict[str, Any]) -> Any:
        if value is None:
            return None
        kind = spec["type"]
        if kind == "list":
            return [convert(v, spec["items"]) for v in value]
        if kind == "map":
            return {str(k): convert(v, spec["values"]) for k, v in value}
        if kind == "struct":
            out = {}
            for field in spec["fields"]:
                v = value[field["name"]]
                if v is None and rng.random() < 0.5:
                    continue  # missing instead of null
                out[field["name"]] = convert(v, field)
            return out
        return value

    return convert(canonical, {"type": "struct", "fields": FIELDS})


def flavored(canonical: Any, spec: dict[str, Any], flavor: str) -> Any:
    """The canonical value as a reader returns it: pyarrow (maps as lists of (key, value)
    tuples), duckdb and polars (maps as dicts)."""
    if canonical is None:
        return None
    kind = spec["type"]
    if kind == "list":
        return [flavored(v, spec["items"], flavor) for v in canonical]
    if kind == "map":
        pairs = [(k, flavored(v, spec["values"], flavor)) for k, v in canonical]
        if flavor in ("duckdb", "polars"):
            return dict(pairs)
        return pairs
    if kind == "struct":
        return {f["name"]: flavored(canonical[f["name"]], f, flavor) for f in spec["fields"]}
    return canonical


def expected_rows(canonicals: list[dict[str, Any]], flavor: str) -> list[dict[str, Any]]:
    spec = {"type": "struct", "fields": FIELDS}
    return [flavored(c, spec, flavor) for c in canonicals]


def write(abi: ABI, path: Path, records: list[dict[str, Any]], batch: int = 100, **options: Any) -> dict[str, Any]:
    writer = abi.create(config(path, FIELDS, **options))
    assert writer, abi.last_error()
    for start in range(0, len(records), batch):
        result = abi.write(writer, ndjson(records[start : start + batch]).decode())
        assert result["ok"] is True, result
    result = abi.close(writer)
    assert result["ok"] is True, result
    return result


def generate(count: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    pairs = [gen_record(rng, row) for row in range(count)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


# -- tests ------------------------------------------------------------------------------------------


def test_arrow_types_and_layout(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "types.parquet"
    records, _ = generate(5, 1)
    write(abi, path, records)
    schema = pq.read_schema(path)
    assert schema.field("id").type == pa.int64() and not schema.field("id").nullable
    assert schema.field("tags").type == pa.list_(pa.field("element", pa.string()))
    assert schema.field("addr").type == pa.struct(
        [
            pa.field("city", pa.string()),
            pa.field("zip", pa.int32(), nullable=False),
            pa.field("geo", pa.list_(pa.field("element", pa.float64(), nullable=False))),
        ]
    )
    assert schema.field("attrs").type == pa.map_(pa.string(), pa.int64())
    assert schema.field("matrix").type == pa.list_(pa.field("element", pa.list_(pa.field("element", pa.int64()))))
    metadata = pq.ParquetFile(path).metadata
    assert [metadata.schema.column(i).path for i in range(metadata.num_columns)] == LEAVES
    assert metadata.schema.column(1).max_definition_level == 3
    assert metadata.schema.column(1).max_repetition_level == 1
    assert metadata.schema.column(11).max_repetition_level == 3


def test_readers_agree_on_many_rows_across_pages_and_row_groups(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "many.parquet"
    records, canonicals = generate(1200, 7)
    result = write(abi, path, records, batch=97, row_group_rows=250, page_bytes=512)
    assert result["rows_written"] == 1200 if "rows_written" in result else True
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_rows == 1200
    assert metadata.num_row_groups >= 5
    assert all(metadata.row_group(i).num_rows <= 250 for i in range(metadata.num_row_groups))

    table = pq.read_table(path)
    assert table.to_pylist() == expected_rows(canonicals, "arrow")

    polars_rows = pl.read_parquet(path).to_dicts()
    assert polars_rows == expected_rows(canonicals, "polars")

    connection = duckdb.connect()
    cursor = connection.execute(f"SELECT * FROM read_parquet('{path}') ORDER BY id")
    names = [d[0] for d in cursor.description]
    duck_rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    assert duck_rows == expected_rows(canonicals, "duckdb")
    # Unnesting works on the row boundaries.
    total = connection.execute(
        f"SELECT count(*) FROM (SELECT unnest(tags) FROM read_parquet('{path}'))"
    ).fetchone()[0]
    assert total == sum(len(c["tags"] or []) for c in canonicals)


@pytest.mark.parametrize("compression", ["snappy", "zstd", "gzip", "none"])
@pytest.mark.parametrize("dictionary", [True, False])
def test_codecs_and_dictionary(abi: ABI, out_dir: Path, compression: str, dictionary: bool) -> None:
    path = out_dir / f"c_{compression}_{dictionary}.parquet"
    records, canonicals = generate(400, 11)
    write(abi, path, records, compression=compression, dictionary=dictionary, row_group_rows=150, page_bytes=1024)
    assert pq.read_table(path).to_pylist() == expected_rows(canonicals, "arrow")
    metadata = pq.ParquetFile(path).metadata
    column = metadata.row_group(0).column(1)
    assert column.compression.lower() == {"none": "uncompressed"}.get(compression, compression)
    has_dictionary = any("DICTIONARY" in e for e in column.encodings)
    assert has_dictionary == dictionary


def test_all_null_and_all_empty_nested_columns(abi: ABI, out_dir: Path) -> None:
    nulls = [{"id": i} for i in range(30)] + [
        {"id": 30 + i, "tags": None, "addr": None, "attrs": None, "matrix": None, "people": None, "deep": None} for i in range(30)
    ]
    path = out_dir / "nulls.parquet"
    write(abi, path, nulls)
    empty_row = {"tags": None, "addr": None, "attrs": None, "matrix": None, "people": None, "deep": None}
    assert pq.read_table(path).to_pylist() == [{"id": i, **empty_row} for i in range(60)]
    assert pl.read_parquet(path).to_dicts() == [{"id": i, **empty_row} for i in range(60)]
    metadata = pq.ParquetFile(path).metadata
    for j in range(1, metadata.num_columns):
        stats = metadata.row_group(0).column(j).statistics
        assert stats is not None and stats.null_count == 60, (j, stats)
        assert not stats.has_min_max

    empties = [
        {"id": i, "tags": [], "addr": {"zip": 1, "geo": []}, "attrs": {}, "matrix": [[]], "people": [{}], "deep": {"a": []}}
        for i in range(40)
    ]
    path = out_dir / "empties.parquet"
    write(abi, path, empties)
    expected = {
        "tags": [],
        "addr": {"city": None, "zip": 1, "geo": []},
        "attrs": [],
        "matrix": [[]],
        "people": [{"name": None, "scores": None}],
        "deep": {"a": []},
    }
    assert pq.read_table(path).to_pylist() == [{"id": i, **expected} for i in range(40)]
    connection = duckdb.connect()
    row = connection.execute(f"SELECT tags, addr, attrs, matrix, people, deep FROM read_parquet('{path}') LIMIT 1").fetchone()
    assert row == ([], {"city": None, "zip": 1, "geo": []}, {}, [[]], [{"name": None, "scores": None}], {"a": []})


def test_leaf_statistics(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "stats.parquet"
    records = [
        {"id": 0, "tags": ["m", None, "b"], "matrix": [[5, None], [], None], "attrs": {"z": 1, "a": None}},
        {"id": 1, "tags": [], "matrix": [], "attrs": {}},
        {"id": 2, "tags": None, "matrix": None, "attrs": None},
        {"id": 3, "tags": ["x"], "matrix": [[-7, 9]], "attrs": {"q": -3}},
    ]
    write(abi, path, records)
    metadata = pq.ParquetFile(path).metadata.row_group(0)
    by_path = {metadata.column(j).path_in_schema: metadata.column(j).statistics for j in range(metadata.num_columns)}
    tags = by_path["tags.list.element"]
    # Slots without a value: the null element, the empty list, the null list.
    assert (tags.null_count, tags.min, tags.max) == (3, "b", "x")
    matrix = by_path["matrix.list.element.list.element"]
    # [[5, None], [], None] -> 5, null, empty, null; [] -> empty; None -> null; [[-7, 9]].
    assert (matrix.null_count, matrix.min, matrix.max) == (5, -7, 9)
    keys = by_path["attrs.key_value.key"]
    assert (keys.min, keys.max) == ("a", "z")
    values = by_path["attrs.key_value.value"]
    assert (values.null_count, values.min, values.max) == (3, -3, 1)
    assert pq.read_table(path).column("attrs").to_pylist() == [[("z", 1), ("a", None)], [], None, [("q", -3)]]


def test_invalid_nested_records(abi: ABI, out_dir: Path) -> None:
    path = out_dir / "invalid.parquet"
    writer = abi.create(config(path, FIELDS, on_invalid="skip"))
    assert writer, abi.last_error()
    lines = [
        {"id": 0, "tags": ["a"], "people": [{"name": "x", "scores": [1, 2]}]},
        {"id": 1, "tags": "not a list"},
        {"id": 2, "people": [{"name": "y", "scores": [1, "two"]}]},
        {"id": 3, "addr": {"city": "c"}},
        {"id": 4, "deep": {"a": [{"b": {"nope": [1]}}]}},
        {"id": 5, "attrs": {"k": 1}, "matrix": [[1], [2, 3]]},
    ]
    result = abi.write(writer, ndjson(lines).decode())
    assert result["ok"] is True, result
    errors = result["errors"]
    assert [e["row"] for e in errors] == [1, 2, 3, 4]
    assert [e["code"] for e in errors] == ["type_mismatch", "type_mismatch", "missing_value", "invalid_value"]
    assert [e["column"] for e in errors] == [
        "tags",
        "people.list.element.scores.list.element",
        "addr.zip",
        "deep.a.list.element.b.key_value.key",
    ]
    assert abi.close(writer)["ok"] is True
    rows = pq.read_table(path).to_pylist()
    assert [r["id"] for r in rows] == [0, 5]
    assert rows[0]["people"] == [{"name": "x", "scores": [1, 2]}]
    assert rows[1]["matrix"] == [[1], [2, 3]] and rows[1]["attrs"] == [("k", 1)]


def test_bad_nested_schema_is_rejected(abi: ABI, out_dir: Path) -> None:
    fields = [{"name": "m", "type": "map", "keys": {"type": "string", "nullable": True}, "values": {"type": "int64"}}]
    assert not abi.create(config(out_dir / "bad.parquet", fields))
    error = abi.last_error()
    assert error["code"] == "invalid_schema", error
    fields = [{"name": "l", "type": "list", "items": {"type": "int64", "name": "x"}}]
    assert not abi.create(config(out_dir / "bad.parquet", fields))
    assert "'name'" in abi.last_error()["message"]
