"""The corpus of files the read-back and statistics tests share (written in ONE generator run).

* the matrix: one file per (nullability x dictionary x codec), each holding every spec type (and
  the decimal / timestamp variants) as a column filled with that type's hard values;
* focused files for the special cases (zero rows, all nulls, one value, many row groups, many
  pages, dictionary fallback, high cardinality, long values, NaN / signed zero, zstd level 19,
  the lz4_raw and brotli level extremes).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from interop_spec import INT_RANGES, Field, FileSpec, Value, f32

# --- hard values per column kind ---------------------------------------------------------

LONG_ASCII = "x" * 100  # > 64 bytes: statistics truncation
LONG_E_ACUTE = "é" * 40  # 80 bytes of 2-byte characters (byte 64 is a character boundary)
LONG_EMOJI = "🎉" * 20  # 80 bytes of 4-byte characters (surrogate pairs in UTF-16)
ALL_FF_PREFIX = b"\xff" * 70 + b"\x01"  # > 64 bytes, first 64 all 0xFF: max can't be truncated

F32_MAX = f32(3.4028234663852886e38)
F32_MIN_SUBNORMAL = 1.401298464324817e-45
F64_MAX = 1.7976931348623157e308


def _ints(t: str) -> list[int]:
    lo, hi = INT_RANGES[t]
    mid = [0, 1, -1, 42, 2**31 - 1, 2**63, 2**31] if t.startswith("int") else [0, 1, 42, 2**31, 2**63 - 1, 2**31 - 1, 2**63]
    return [lo, hi] + [v for v in mid if lo <= v <= hi and v not in (lo, hi)]


HARD: dict[str, list[Value]] = {
    "boolean": [True, False, False, True, True],
    **{t: _ints(t) for t in INT_RANGES},
    "float32": [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1.5, -2.25, F32_MAX,
                -F32_MAX, F32_MIN_SUBNORMAL, f32(0.1), f32(-1e-40)],
    "float64": [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1e-300, 5e-324, F64_MAX,
                -F64_MAX, 0.1, -2.5, 2.0**53 + 2],
    "string": ["", "a", "é", "中文", "🎉", "mixed é 中文 🎉", "Z", "\u007f", "ÿ", LONG_ASCII + "a",
               LONG_ASCII, LONG_E_ACUTE, LONG_EMOJI],
    "binary": [b"", b"\x00", b"\x00\x00", ALL_FF_PREFIX, b"\x7f", b"\x80", bytes(range(256))],
    "fixed_binary": [b"\x00" * 5, b"\xff" * 5, b"hello", b"\x80\x00\x00\x00\x01", b"\x7f\xff\xff\xff\xff"],
    "date": [-719162, 2932896, 0, -1, 1, 19000, -25567],  # 0001-01-01, 9999-12-31, ..., 1900-01-01
    "time_ms": [0, 86_399_999, 1, 43_200_000],
    "time_us": [0, 86_399_999_999, 1, 43_200_000_000],
    "time_ns": [0, 86_399_999_999_999, 1, 999, 43_200_000_000_123],
    "timestamp_ms": [-62_135_596_800_000, 253_402_300_799_999, -1, 0, 1, 1_700_000_000_123, -86_400_001],
    "timestamp_us": [-62_135_596_800_000_000, 253_402_300_799_999_999, -1, 0, 1, 1_700_000_000_123_456],
    "timestamp_ns": [-9_000_000_000_123_456_789, 9_000_000_000_123_456_789, -1, 0, 1, -1_500,
                     1_700_000_000_123_456_789],
    "uuid": [b"\x00" * 16, b"\xff" * 16, bytes.fromhex("123e4567e89b12d3a456426614174000"),
             b"\x80" + b"\x00" * 15, b"\x7f" + b"\xff" * 15],
    "json": ["{}", "[]", '{"a":1,"b":[true,null]}', '"é🎉"', "null", "123",
             '{"long":"' + "y" * 80 + '"}'],
}


def decimal_values(precision: int) -> list[int]:
    top = 10**precision - 1
    extra = [v for v in (12345, -100, 2**63, -(2**63) - 1, 2**64, -(2**64)) if abs(v) <= top]
    return [-top, top, 0, -1, 1, *extra]


# (column name, field factory, hard values)
def matrix_columns() -> list[tuple[str, Callable[[bool], Field], list[Value]]]:
    cols: list[tuple[str, Callable[[bool], Field], list[Value]]] = []
    for t in ("boolean", *INT_RANGES, "float32", "float64", "string", "binary", "date",
              "time_ms", "time_us", "time_ns", "uuid", "json"):
        cols.append((t, lambda n, t=t: Field(t, t, n), HARD[t]))
    cols.append(("fixed_binary", lambda n: Field("fixed_binary", "fixed_binary", n, length=5),
                 HARD["fixed_binary"]))
    for unit in ("ms", "us", "ns"):
        t = f"timestamp_{unit}"
        cols.append((f"{t}_utc", lambda n, t=t: Field(f"{t}_utc", t, n, utc=True), HARD[t]))
        cols.append((f"{t}_local", lambda n, t=t: Field(f"{t}_local", t, n, utc=False), HARD[t]))
    cols.append(("timestamp_us_default", lambda n: Field("timestamp_us_default", "timestamp_us", n),
                 HARD["timestamp_us"]))
    for p, s in ((1, 0), (9, 2), (18, 6), (19, 0), (20, 3), (38, 10), (38, 0)):
        name = f"decimal_{p}_{s}"
        cols.append((name, lambda n, name=name, p=p, s=s: Field(name, "decimal", n, precision=p, scale=s),
                     decimal_values(p)))
    return cols


def fill(values: list[Value], rows: int, nullable: bool, null_every: int = 4) -> list[Value]:
    """`rows` values cycling through `values`; nullable columns get a null at i % null_every == 1."""
    out: list[Value] = []
    k = 0
    for i in range(rows):
        if nullable and i % null_every == 1:
            out.append(None)
        else:
            out.append(values[k % len(values)])
            k += 1
    return out


MATRIX_ROWS = 40
CODECS = ("uncompressed", "snappy", "gzip", "zstd", "lz4_raw", "brotli")
# The footer's codec for each option value: parquet.thrift's id and name (DuckDB's
# parquet_metadata shows the name), and pyarrow's ColumnChunkMetaData.compression, which calls
# LZ4_RAW "LZ4" (Arrow's LZ4 codec is the raw block format; the Hadoop-framed LZ4 = 5 would
# read as "LZ4_HADOOP").
CODEC_IDS = {"uncompressed": 0, "snappy": 1, "gzip": 2, "brotli": 4, "zstd": 6, "lz4_raw": 7}
CODEC_NAMES = {"uncompressed": "UNCOMPRESSED", "snappy": "SNAPPY", "gzip": "GZIP", "zstd": "ZSTD",
               "lz4_raw": "LZ4_RAW", "brotli": "BROTLI"}
PYARROW_CODEC_NAMES = {**CODEC_NAMES, "lz4_raw": "LZ4"}


def codec_options(codec: str) -> dict:
    return {"compression": codec, "compression_level": 3} if codec == "zstd" else {"compression": codec}


def matrix_file(nullable: bool, dictionary: bool, codec: str, extra_options: dict | None = None,
                name: str | None = None) -> FileSpec:
    fields: list[Field] = []
    columns: dict[str, list[Value]] = {}
    for col, make, values in matrix_columns():
        fields.append(make(nullable))
        columns[col] = fill(values, MATRIX_ROWS, nullable)
    if nullable:  # all-null columns inside an otherwise normal file
        for t in ("int32", "string", "float64"):
            fields.append(Field(f"all_null_{t}", t, True))
            columns[f"all_null_{t}"] = [None] * MATRIX_ROWS
    options = {**codec_options(codec), "dictionary": dictionary, **(extra_options or {})}
    nm = name or f"{'opt' if nullable else 'req'}-{'dict' if dictionary else 'plain'}-{codec}"
    return FileSpec(nm, fields, columns, options)


def matrix() -> list[FileSpec]:
    return [matrix_file(n, d, c) for n in (False, True) for d in (True, False) for c in CODECS]


def all_type_fields(nullable: bool) -> list[Field]:
    return [make(nullable) for _, make, _ in matrix_columns()]


def focused() -> list[FileSpec]:
    files: list[FileSpec] = []

    # zstd at a high level, every type.
    files.append(matrix_file(False, True, "zstd", {"compression_level": 19}, name="req-dict-zstd19"))
    files.append(matrix_file(True, True, "gzip", {"compression_level": 9}, name="opt-dict-gzip9"))
    # The level extremes of lz4_raw (3 is the first LZ4HC level, 12 the last) and brotli.
    files.append(matrix_file(False, True, "lz4_raw", {"compression_level": 12}, name="req-dict-lz4_raw12"))
    files.append(matrix_file(True, False, "lz4_raw", {"compression_level": 3}, name="opt-plain-lz4_raw3"))
    files.append(matrix_file(True, True, "brotli", {"compression_level": 0}, name="opt-dict-brotli0"))
    files.append(matrix_file(False, False, "brotli", {"compression_level": 11}, name="req-plain-brotli11"))

    # Zero rows (every type; both nullabilities), no options at all (defaults).
    for nullable in (False, True):
        fields = all_type_fields(nullable)
        files.append(FileSpec(f"zero-rows-{'opt' if nullable else 'req'}", fields,
                              {f.name: [] for f in fields}))

    # Every type, every value null.
    fields = all_type_fields(True)
    files.append(FileSpec("all-null", fields, {f.name: [None] * 7 for f in fields},
                          {"compression": "snappy"}))

    # Every type, one row (the type's maximum-ish hard value).
    fields = all_type_fields(False)
    hard = {name: values for name, _, values in matrix_columns()}
    files.append(FileSpec("single-value", fields, {f.name: [hard[f.name][1]] for f in fields},
                          {"compression": "zstd"}))

    # Many row groups; per-group statistics incl. a group where `opt` is all null and one where
    # `f` is only NaN.
    n = 1050
    files.append(FileSpec(
        "many-row-groups",
        [Field("id", "int64", False), Field("s", "string", True), Field("u64", "uint64", False),
         Field("f", "float64", True), Field("opt", "int32", True), Field("d", "decimal", True, precision=20, scale=2)],
        {
            "id": list(range(n)),
            "s": [None if i % 5 == 0 else f"s{(i * 7) % 37}" for i in range(n)],
            "u64": [(2**64 - 1 - i) if i % 2 else i for i in range(n)],
            "f": [float("nan") if 200 <= i < 300 else (None if i % 9 == 0 else (i - 500) / 4) for i in range(n)],
            "opt": [None if 500 <= i < 600 or i % 11 == 0 else i - 525 for i in range(n)],
            "d": [None if i % 13 == 0 else (i - 600) * 10**15 for i in range(n)],
        },
        {"row_group_rows": 100, "compression": "snappy"},
    ))

    # Small pages: many data pages per column chunk.
    n = 20_000
    files.append(FileSpec(
        "small-pages",
        [Field("id", "int64", False), Field("s", "string", True), Field("t", "timestamp_ns", False)],
        {"id": list(range(n)), "s": [None if i % 10 == 0 else f"row-{i}" for i in range(n)],
         "t": [1_700_000_000_000_000_000 + i * 1_000_003 for i in range(n)]},
        {"page_bytes": 1024, "dictionary": False, "compression": "uncompressed"},
    ))

    # The dictionary overflows its limit: the writer falls back to PLAIN mid-chunk.
    files.append(FileSpec(
        "dict-fallback",
        [Field("s", "string", False), Field("i", "int64", True)],
        # The first 1,000 values repeat, so the first page keeps the dictionary; then every
        # value is new and the dictionary passes its 4 KiB limit.
        {"s": [f"value-{(i % 10 if i < 1000 else i):08d}" for i in range(n)],
         "i": [None if i % 17 == 0 else (i % 10 if i < 1000 else i) * 1_000_003 for i in range(n)]},
        {"dictionary": True, "dictionary_page_bytes": 4096, "compression": "snappy"},
    ))

    # High cardinality strings and binaries with dictionary on and default limits.
    n = 50_000
    files.append(FileSpec(
        "high-cardinality",
        [Field("s", "string", True), Field("b", "binary", False), Field("u", "uuid", False)],
        {"s": [None if i % 97 == 0 else f"hc-{(i * 7919) % n}-é" for i in range(n)],
         "b": [((i * 2654435761) % 2**32).to_bytes(4, "big") * (1 + i % 3) for i in range(n)],
         "u": [((i * 0x9E3779B97F4A7C15) % 2**128).to_bytes(16, "big") for i in range(n)]},
        {"dictionary": True, "compression": "zstd"},
    ))

    # Long values only: min and max both exceed the statistics truncation length.
    files.append(FileSpec(
        "long-values",
        [Field("s", "string", False), Field("b", "binary", True), Field("j", "json", False),
         Field("ff", "binary", False), Field("ff_tail", "binary", False), Field("short", "string", False)],
        {"s": ["m" * 65 + "tail", LONG_E_ACUTE, LONG_EMOJI, "n" * 64 + "\u00ff" * 3],
         "b": [b"\x10" * 70, None, b"\x20" * 64 + b"\xff" * 8 + b"\x00", b"\x10" * 64 + b"\x00"],
         # min '"a' + 'é'*40 + '"': its 64-byte prefix ends on a character boundary.
         "j": ['{"k":"' + "a" * 70 + '"}', '["' + "b" * 80 + '"]', '"a' + "é" * 40 + '"', '{"k":"z"}'],
         # max is ALL_FF_PREFIX: no truncated max exists, the writer must drop it.
         "ff": [ALL_FF_PREFIX, b"\x01" * 65, b"\xff" * 64 + b"\x00", b"\x02"],
         # max b"\x30" + 0xFF*63 + b"\x05": trailing 0xFF of the prefix dropped, then 0x30 -> 0x31.
         "ff_tail": [b"\x30" + b"\xff" * 63 + b"\x05", b"\x30", b"\x2f" * 100, b"\x30\x00"],
         # exactly 64 bytes: not truncated.
         "short": ["a" * 64, "b" * 64, "c" * 64, "b"]},
        {"dictionary": False, "statistics_truncate_length": 64},
    ))

    # A byte-based row group limit (pyarrow has none: the reference writer makes one group).
    n = 30_000
    files.append(FileSpec(
        "row-group-bytes",
        [Field("k", "int64", False), Field("s", "string", True)],
        {"k": [(i * 6_364_136_223_846_793_005) % 2**63 for i in range(n)],
         "s": [None if i % 11 == 0 else f"rgb-{(i * 2_654_435_761) % 2**32:010d}" for i in range(n)]},
        {"row_group_bytes": 100_000, "dictionary": False, "compression": "uncompressed"},
    ))

    # A non-default statistics truncation length.
    files.append(FileSpec(
        "truncate-8",
        [Field("s", "string", False), Field("b", "binary", True)],
        {"s": ["abcdefghij", "zzzzzzzzzz", "abc", "zzzzzzzz\u00ff"],
         "b": [b"\x01" * 9, None, b"\x05\xff\xff\xff\xff\xff\xff\xff\x00", b"\x01" * 8]},
        {"statistics_truncate_length": 8},
    ))

    # NaN and signed zeros.
    nan = float("nan")
    files.append(FileSpec(
        "nan-and-zeros",
        [Field("f64_nan", "float64", False), Field("f32_nan", "float32", False),
         Field("f64_nan_null", "float64", True), Field("f64_pos_zero", "float64", False),
         Field("f64_neg_zero", "float64", False), Field("f32_zero_max", "float32", False),
         Field("f32_zero_min", "float32", False), Field("f64_nan_inf", "float64", False)],
        {"f64_nan": [nan, nan, nan], "f32_nan": [nan, nan, nan], "f64_nan_null": [nan, None, nan],
         "f64_pos_zero": [0.0, 0.0, 0.0], "f64_neg_zero": [-0.0, -0.0, -0.0],
         "f32_zero_max": [-1.5, 0.0, -0.0], "f32_zero_min": [0.0, 2.5, -0.0],
         "f64_nan_inf": [nan, float("-inf"), nan]},
        {"dictionary": False},
    ))

    # Booleans with the RLE/bit-packed hybrid instead of PLAIN: long runs, short runs and nulls.
    pattern = [True] * 40 + [False, True, False, False, True] * 8 + [False] * 9
    files.append(FileSpec(
        "boolean-rle",
        [Field("b", "boolean", True), Field("r", "boolean", False)],
        {"b": [None if i % 13 == 5 else pattern[i % len(pattern)] for i in range(3000)],
         "r": [pattern[(i * 7) % len(pattern)] for i in range(3000)]},
        {"boolean_encoding": "rle", "compression": "zstd"},
    ))
    return files


# Every field "encoding" on every spec type it applies to (the schema refuses the rest).
ENCODINGS_BY_PHYSICAL = {
    "INT32": ("delta_binary_packed", "byte_stream_split"),
    "INT64": ("delta_binary_packed", "byte_stream_split"),
    "FLOAT": ("byte_stream_split",),
    "DOUBLE": ("byte_stream_split",),
    "BYTE_ARRAY": ("delta_length_byte_array", "delta_byte_array", "dictionary"),
    "FIXED_LEN_BYTE_ARRAY": ("delta_byte_array", "byte_stream_split"),
    "BOOLEAN": ("plain",),
}
ENCODING_ROWS = 1_000  # pages of 300 rows: several pages and DELTA blocks of 128 per chunk
ENCODING_PAGE_ROWS = 300


def walk(values: list[Value], rows: int, f: Field) -> list[Value]:
    """A slowly rising run of values (small deltas, shared prefixes) when the type allows,
    else the hard values again: DELTA's best case beside its worst."""
    if f.physical_type in ("INT32", "INT64") and f.type not in ("date", "time_ms", "time_us", "time_ns", "decimal"):
        lo, hi = INT_RANGES.get(f.type, (-(2**63), 2**63 - 1))
        return [max(lo, min(hi, 1_000 + 3 * i + i % 5)) for i in range(rows)]
    if f.type == "string":
        return [f"item/{i // 10:05d}/{'x' * (i % 7)}" for i in range(rows)]
    return [values[i % len(values)] for i in range(rows)]


def encoding_columns(nullable: bool) -> tuple[list[Field], dict[str, list[Value]]]:
    """Every matrix column once per encoding its physical type takes, hard values then a
    walk, nulls every fourth row when nullable."""
    fields: list[Field] = []
    columns: dict[str, list[Value]] = {}
    for col, make, values in matrix_columns():
        base = make(nullable)
        for encoding in ENCODINGS_BY_PHYSICAL[base.physical_type]:
            f = Field(f"{col}__{encoding}", base.type, nullable, base.length, base.precision, base.scale, base.utc,
                      encoding)
            half = ENCODING_ROWS // 2
            raw = fill(values, half, False) + walk(values, ENCODING_ROWS - half, f)
            columns[f.name] = [None if nullable and i % 4 == 1 else v for i, v in enumerate(raw)]
            fields.append(f)
    return fields, columns


def encoding_files() -> list[FileSpec]:
    """enc-{req,opt}-<codec>: every (type, encoding) pair, in every codec; the pairs some reader
    cannot read (interop_readers.unreadable: DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT on
    FIXED_LEN_BYTE_ARRAY) in files of their own, enc-dba-flba-* and enc-bss-flba-*, so those
    readers skip only them. The nullable files (-opt-, where levels matter) have V2 data pages,
    the required ones (-req-) V1, so every encoding, type and codec is read in both page formats."""
    files = []
    for nullable in (False, True):
        fields, columns = encoding_columns(nullable)
        flba = [f for f in fields if f.physical_type == "FIXED_LEN_BYTE_ARRAY"]
        groups = {"enc": [f for f in fields if f not in flba],
                  "enc-dba-flba": [f for f in flba if f.encoding == "delta_byte_array"],
                  "enc-bss-flba": [f for f in flba if f.encoding == "byte_stream_split"]}
        tag = "opt" if nullable else "req"
        for codec in CODECS:
            options = {**codec_options(codec), "page_rows": ENCODING_PAGE_ROWS, "data_page_version": 2 if nullable else 1}
            for prefix, subset in groups.items():
                files.append(FileSpec(f"{prefix}-{tag}-{codec}", subset, {f.name: columns[f.name] for f in subset},
                                      options))
    return files


@lru_cache(maxsize=1)
def _corpus() -> tuple[FileSpec, ...]:
    return tuple(matrix() + focused() + encoding_files())


def corpus() -> list[FileSpec]:
    """Built once per process (the specs get their `path` set when written)."""
    return list(_corpus())


def corpus_names() -> list[str]:
    return [f.name for f in _corpus()]
