"""Column-chunk statistics, physical types, codecs, encodings and page structure of every corpus
file, compared with expectations computed in Python from the input values (interop_stats.py).

Generic checks go through pyarrow's metadata API; what pyarrow does not expose (exactness flags,
a lone min or max, page headers) through the raw footer decoder in parquet_footer.py.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow.parquet as pq
import pytest

from interop_gen import IS_REFERENCE, Written
from interop_corpus import PYARROW_CODEC_NAMES, corpus_names
from interop_readers import same
from interop_spec import Field
from interop_stats import ExpectedStats, expected_stats, row_group_slices
from parquet_footer import read_footer, read_pages

DICT_ENCODINGS = {"RLE_DICTIONARY", "PLAIN_DICTIONARY"}
# The Swift writer truncates BYTE_ARRAY statistics at 64 bytes by default; pyarrow never does.
DEFAULT_TRUNCATE = None if IS_REFERENCE else 64


def truncate_length(w: Written) -> int | None:
    if IS_REFERENCE:
        return None
    return int(w.spec.options.get("statistics_truncate_length", DEFAULT_TRUNCATE or 64))


def chunks(w: Written) -> list[tuple[int, int, Field, list[Any]]]:
    """(row group, column index, field, that row group's slice of the input values)."""
    md = pq.ParquetFile(w.path).metadata
    sizes = [md.row_group(i).num_rows for i in range(md.num_row_groups)]
    out = []
    for j, f in enumerate(w.spec.fields):
        for i, part in enumerate(row_group_slices(w.spec.columns[f.name], sizes)):
            out.append((i, j, f, part))
    return out


def describe(x: Any) -> str:
    r = repr(x)
    return r if len(r) < 90 else r[:80] + f"...({len(x) if hasattr(x, '__len__') else '?'})"


@pytest.mark.parametrize("name", corpus_names())
def test_statistics(corpus_files: dict[str, Written], name: str) -> None:
    w = corpus_files[name]
    md = pq.ParquetFile(w.path).metadata
    problems: list[str] = []
    for i, j, f, part in chunks(w):
        col = md.row_group(i).column(j)
        where = f"rg{i} {f.name}"
        if col.path_in_schema != f.name:
            problems.append(f"{where}: path_in_schema {col.path_in_schema}")
        exp = expected_stats(f, part, truncate_length(w))
        s = col.statistics
        if not part:  # an empty row group may carry no statistics at all
            if s is not None and s.has_min_max:
                problems.append(f"{where}: min/max on an empty chunk")
            continue
        if s is None:
            problems.append(f"{where}: no statistics")
            continue
        if not s.has_null_count or s.null_count != exp.null_count:
            problems.append(f"{where}: null_count {s.null_count if s.has_null_count else 'absent'}, expected {exp.null_count}")
        if s.num_values != exp.num_values:
            problems.append(f"{where}: num_values {s.num_values}, expected {exp.num_values}")
        want_min_max = exp.min is not None and exp.max is not None
        if s.has_min_max != want_min_max:
            problems.append(f"{where}: has_min_max {s.has_min_max}, expected {want_min_max} "
                            f"(min {describe(exp.min)}, max {describe(exp.max)})")
        elif want_min_max:
            for label, got, want in (("min", s.min_raw, exp.min), ("max", s.max_raw, exp.max)):
                if not same(want, got):
                    problems.append(f"{where}: {label} {describe(got)}, expected {describe(want)}")
            if f.type in ("uint32", "uint64") and not exp.truncated:
                # pyarrow's logical view must agree: unsigned, not the raw two's complement.
                part_nn = [v for v in part if v is not None]
                if (s.min, s.max) != (min(part_nn), max(part_nn)):
                    problems.append(f"{where}: logical min/max {(s.min, s.max)}")
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", corpus_names())
def test_chunk_layout(corpus_files: dict[str, Written], name: str) -> None:
    """Physical type, codec and (generic part of the) encodings of every chunk, plus a walk over
    its page headers: pages exactly fill the chunk, a dictionary page comes first when there is
    one, data pages hold all the chunk's values."""
    w = corpus_files[name]
    md = pq.ParquetFile(w.path).metadata
    raw = read_footer(w.path)
    codec = PYARROW_CODEC_NAMES[w.spec.options.get("compression", "uncompressed")]
    file_dictionary = bool(w.spec.options.get("dictionary", True))
    problems: list[str] = []
    for i, j, f, part in chunks(w):
        col = md.row_group(i).column(j)
        where = f"rg{i} {f.name}"
        if col.physical_type != f.physical_type:
            problems.append(f"{where}: physical_type {col.physical_type}, expected {f.physical_type}")
        if col.compression != codec:
            problems.append(f"{where}: compression {col.compression}, expected {codec}")
        encodings = set(col.encodings)
        has_values = any(v is not None for v in part)
        # A field's "encoding" overrides the file's dictionary option for its column.
        dictionary = f.encoding == "dictionary" or (f.encoding is None and file_dictionary)
        if not dictionary and (encodings & DICT_ENCODINGS or col.has_dictionary_page):
            problems.append(f"{where}: dictionary encoding with dictionary off: {col.encodings}")
        if dictionary and has_values and f.type != "boolean" and not (encodings & DICT_ENCODINGS and col.has_dictionary_page):
            # The first page's check writes a chunk PLAIN, without a dictionary page, when the
            # dictionary would not pay: only for (nearly) all-distinct values.
            present = [repr(v) for v in part if v is not None]
            if encodings & DICT_ENCODINGS or col.has_dictionary_page or len(set(present)) * 2 < len(present):
                problems.append(f"{where}: no dictionary with dictionary on for repeating values: {col.encodings}")
        if f.nullable and has_values and "RLE" not in encodings:
            problems.append(f"{where}: nullable column without RLE definition levels: {col.encodings}")
        meta = raw[4][i][1][j][3]
        if not part:
            continue
        try:
            pages = read_pages(w.path, meta)
        except AssertionError as e:
            problems.append(f"{where}: {e}")
            continue
        data_pages = [p for p in pages if p.type in ("DATA_PAGE", "DATA_PAGE_V2")]
        dict_pages = [p for p in pages if p.type == "DICTIONARY_PAGE"]
        if col.has_dictionary_page != bool(dict_pages) or (dict_pages and pages[0] is not dict_pages[0]):
            problems.append(f"{where}: dictionary pages {[p.type for p in pages]}")
        if sum(p.num_values for p in data_pages) != len(part):
            problems.append(f"{where}: data pages hold {sum(p.num_values for p in data_pages)} values, expected {len(part)}")
        if sum(p.uncompressed_size + p.header_size for p in pages) != col.total_uncompressed_size:
            problems.append(f"{where}: total_uncompressed_size {col.total_uncompressed_size} != pages")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def _pages(w: Written, column: str) -> list:
    j = [f.name for f in w.spec.fields].index(column)
    return read_pages(w.path, read_footer(w.path)[4][0][1][j][3])


def test_small_page_bytes_makes_many_pages(corpus_files: dict[str, Written]) -> None:
    w = corpus_files["small-pages"]
    for column in ("id", "s", "t"):
        data_pages = [p for p in _pages(w, column) if p.type.startswith("DATA_PAGE")]
        # 20,000 values at page_bytes=1024: an int64 column alone is 160 kB of PLAIN data.
        assert len(data_pages) >= 20, (column, len(data_pages))


def test_dictionary_overflow_falls_back_to_plain(corpus_files: dict[str, Written]) -> None:
    w = corpus_files["dict-fallback"]
    md = pq.ParquetFile(w.path).metadata
    for column in ("s", "i"):
        j = [f.name for f in w.spec.fields].index(column)
        col = md.row_group(0).column(j)
        assert col.has_dictionary_page, column
        assert set(col.encodings) & DICT_ENCODINGS and "PLAIN" in col.encodings, col.encodings
        pages = _pages(w, column)
        assert pages[0].type == "DICTIONARY_PAGE"
        data = [p for p in pages if p.type.startswith("DATA_PAGE")]
        assert data[0].encoding in DICT_ENCODINGS, [p.encoding for p in data]
        assert data[-1].encoding == "PLAIN", [p.encoding for p in data]
        # Once fallen back, the chunk stays PLAIN.
        first_plain = next(k for k, p in enumerate(data) if p.encoding == "PLAIN")
        assert all(p.encoding == "PLAIN" for p in data[first_plain:])


# --- specific to the Swift writer ---------------------------------------------------------

# The encodings the Swift writer lists per chunk ("RLE" for definition levels may be absent on
# required columns). Adjust here if the writer's choice changes deliberately.
OURS_DICT_ENCODINGS = {"PLAIN", "RLE_DICTIONARY"}  # PLAIN: the dictionary page
OURS_PLAIN_ENCODINGS = {"PLAIN"}


@pytest.mark.ours_only
@pytest.mark.parametrize("name", [n for n in corpus_names() if n != "dict-fallback"])
def test_ours_encodings_lists(corpus_files: dict[str, Written], name: str) -> None:
    w = corpus_files[name]
    md = pq.ParquetFile(w.path).metadata
    dictionary = bool(w.spec.options.get("dictionary", True))
    problems = []
    for i, j, f, part in chunks(w):
        col = md.row_group(i).column(j)
        if not any(v is not None for v in part):
            continue
        if f.type == "boolean" and w.spec.options.get("boolean_encoding") == "rle":
            # RLE-encoded values: the one encoding listed is RLE (values and levels alike).
            if tuple(col.encodings) != ("RLE",):
                problems.append(f"rg{i} {f.name}: {col.encodings}, expected ('RLE',)")
            continue
        got = set(col.encodings) - {"RLE"}
        if f.encoding not in (None, "dictionary"):
            # A field's own encoding: every data page in it, no dictionary.
            if got != {f.encoding.upper()}:
                problems.append(f"rg{i} {f.name}: {col.encodings}, expected {f.encoding.upper()} (+RLE)")
            continue
        wants_dictionary = f.encoding == "dictionary" or (dictionary and f.type != "boolean")
        want = OURS_DICT_ENCODINGS if wants_dictionary else OURS_PLAIN_ENCODINGS
        present = [repr(v) for v in part if v is not None]
        if (want == OURS_DICT_ENCODINGS and got == OURS_PLAIN_ENCODINGS and f.encoding != "dictionary"
                and len(set(present)) * 2 >= len(present)):
            # (Nearly) all-distinct values: the first page's check found the dictionary would
            # not pay, and the chunk is PLAIN.
            continue
        if got != want:
            problems.append(f"rg{i} {f.name}: {col.encodings}, expected {sorted(want)} (+RLE)")
    assert not problems, "\n".join(problems)


@pytest.mark.ours_only
@pytest.mark.parametrize("name", ["long-values", "truncate-8", "req-plain-uncompressed", "opt-dict-zstd", "many-row-groups"])
def test_ours_truncated_statistics_exactness(corpus_files: dict[str, Written], name: str) -> None:
    """Raw footer: min_value / max_value (fields 6 / 5) each present or dropped as expected, and
    is_min_value_exact / is_max_value_exact (8 / 7) false exactly when truncated (absent or true
    otherwise)."""
    w = corpus_files[name]
    raw = read_footer(w.path)
    problems = []
    for i, j, f, part in chunks(w):
        exp: ExpectedStats = expected_stats(f, part, truncate_length(w))
        st = raw[4][i][1][j][3].get(12, {})
        where = f"rg{i} {f.name}"
        for label, fid, exact_fid, want, exact in (("min", 6, 8, exp.min, exp.min_exact),
                                                  ("max", 5, 7, exp.max, exp.max_exact)):
            got = st.get(fid)
            if want is None:
                if got is not None:
                    problems.append(f"{where}: {label}_value {describe(got)} should be absent")
                continue
            if f.physical_type in ("BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY") and got != want:
                problems.append(f"{where}: {label}_value {describe(got)}, expected {describe(want)}")
            flag = st.get(exact_fid)
            if exact and flag is False:
                problems.append(f"{where}: is_{label}_value_exact false for an exact value")
            if not exact and flag is not False:
                problems.append(f"{where}: is_{label}_value_exact {flag}, expected false (truncated)")
    assert not problems, "\n".join(problems)


def test_truncation_model_self_check() -> None:
    """Self-check of interop_stats' truncation model (runs with any writer)."""
    from interop_stats import truncate_max, truncate_min

    assert truncate_min(b"m" * 70, 64) == b"m" * 64
    assert truncate_max(b"m" * 70, 64) == b"m" * 63 + b"n"
    assert truncate_max(b"\x30" + b"\xff" * 63 + b"\x05", 64) == b"\x31"
    assert truncate_max(b"\xff" * 65, 64) is None
    assert math.copysign(1.0, expected_stats(Field("z", "float64"), [0.0, 1.0], None).min) == -1.0


@pytest.mark.ours_only
def test_ours_row_group_bytes_splits_row_groups(corpus_files: dict[str, Written]) -> None:
    """row_group_bytes=100,000 over ~0.8 MB of incompressible data must give several groups."""
    md = pq.ParquetFile(corpus_files["row-group-bytes"].path).metadata
    assert md.num_row_groups >= 2, md.num_row_groups


@pytest.mark.parametrize("name", [n for n in corpus_names() if n.startswith("enc")])
def test_page_format_follows_data_page_version(corpus_files: dict[str, Written], name: str) -> None:
    """The enc-* files' data pages are all V2 where the spec asks for data_page_version 2 (the
    nullable ones), all V1 otherwise: the read-back tests then cover both formats."""
    from parquet_footer import read_footer, read_pages

    w = corpus_files[name]
    want = "DATA_PAGE_V2" if w.spec.options.get("data_page_version") == 2 else "DATA_PAGE"
    for group in read_footer(w.path)[4]:
        for chunk in group[1]:
            types = {page.type for page in read_pages(w.path, chunk[3])} - {"DICTIONARY_PAGE"}
            assert types == {want}, (chunk[3][3], types)
