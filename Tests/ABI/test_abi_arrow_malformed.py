"""Malformed Arrow input through write_arrow and schema_from_arrow: hand-built ctypes
ArrowSchema/ArrowArray structures that break the C Data Interface's rules. Each gives an
error (invalid_arrow, or invalid_schema / type_mismatch where the type is the problem), never
a crash; the structures are released exactly once; the writer stays usable."""

from __future__ import annotations

import ctypes
import struct
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from abi import ABI
from arrow_c import ArrowArray, ArrowSchema, Built, build_array, build_schema, write_arrow


def i32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}i", *values)


def i64(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}q", *values)


def bits(*flags: int) -> bytes:
    out = bytearray((len(flags) + 7) // 8)
    for i, flag in enumerate(flags):
        if flag:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)


def view(data: bytes, buffer_index: int = 0, offset: int = 0) -> bytes:
    """A 16-byte string view: inline up to 12 bytes, else prefix, buffer index and offset."""
    if len(data) <= 12:
        return struct.pack("<i", len(data)) + data.ljust(12, b"\0")
    return struct.pack("<i4sii", len(data), data[:4], buffer_index, offset)


class Case:
    """One column: its schema and array, wrapped in a root struct of `length` rows."""

    def __init__(self, child_schema: Callable[[Built], ArrowSchema], child_array: Callable[[Built], ArrowArray],
                 length: int = 2, root_format: str = "+s", root_array: Callable[[Built, ArrowArray], ArrowArray] | None = None) -> None:
        self.built = Built()
        self.child_schema = child_schema(self.built)
        self.child_array = child_array(self.built)
        self.schema = build_schema(root_format, children=[self.child_schema], built=self.built)
        if root_array is not None:
            self.array = root_array(self.built, self.child_array)
        else:
            self.array = build_array(length, [None], children=[self.child_array], built=self.built)


def int_column(built: Built, fmt: str = "i") -> ArrowSchema:
    return build_schema(fmt, "c", built=built)


def good_int_array(built: Built) -> ArrowArray:
    return build_array(2, [None, i32(1, 2)], built=built)


def list_schema(built: Built, fmt: str = "+l") -> ArrowSchema:
    return build_schema(fmt, "c", children=[build_schema("i", "item", built=built)], built=built)


S = build_schema
A = build_array

# (id, case, acceptable codes)
CASES: list[tuple[str, Callable[[], Case], set[str]]] = [
    ("empty_format", lambda: Case(lambda b: S("", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("bad_decimal_format", lambda: Case(lambda b: S("d:abc", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("decimal_bad_width", lambda: Case(lambda b: S("d:10,2,48", "c", built=b), lambda b: A(2, [None, i64(1, 2, 3)], built=b)), {"invalid_arrow"}),
    ("decimal_precision_0", lambda: Case(lambda b: S("d:0,0", "c", built=b), lambda b: A(2, [None, i64(1, 0, 2, 0)], built=b)), {"invalid_schema"}),
    ("decimal_precision_40", lambda: Case(lambda b: S("d:40,2", "c", built=b), lambda b: A(2, [None, i64(1, 0, 2, 0)], built=b)), {"invalid_schema"}),
    ("decimal_negative_scale", lambda: Case(lambda b: S("d:5,-2", "c", built=b), lambda b: A(2, [None, i64(1, 0, 2, 0)], built=b)), {"invalid_schema"}),
    ("fixed_width_0", lambda: Case(lambda b: S("w:0", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("fixed_width_negative", lambda: Case(lambda b: S("w:-4", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("fixed_width_huge", lambda: Case(lambda b: S("w:99999999999", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("timestamp_bad_unit", lambda: Case(lambda b: S("tsx:UTC", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("time_bad_unit", lambda: Case(lambda b: S("ttq", "c", built=b), good_int_array), {"invalid_arrow"}),
    ("unknown_format", lambda: Case(lambda b: S("Q", "c", built=b), good_int_array), {"invalid_schema"}),
    ("int_three_buffers", lambda: Case(int_column, lambda b: A(2, [None, i32(1, 2), i32(0)], built=b)), {"invalid_arrow"}),
    ("int_one_buffer", lambda: Case(int_column, lambda b: A(2, [None], built=b)), {"invalid_arrow"}),
    ("int_zero_buffers_with_pointer", lambda: Case(int_column, lambda b: A(2, [None, i32(1, 2)], n_buffers=0, built=b)), {"invalid_arrow"}),
    ("int_negative_n_buffers", lambda: Case(int_column, lambda b: A(2, [None, i32(1, 2)], n_buffers=-1, built=b)), {"invalid_arrow"}),
    ("string_two_buffers", lambda: Case(lambda b: S("u", "c", built=b), lambda b: A(2, [None, i32(0, 1, 2)], built=b)), {"invalid_arrow"}),
    ("null_data_buffer", lambda: Case(int_column, lambda b: A(2, [None, None], built=b)), {"invalid_arrow"}),
    ("null_bool_buffer", lambda: Case(lambda b: S("b", "c", built=b), lambda b: A(2, [None, None], built=b)), {"invalid_arrow"}),
    ("null_fixed_buffer", lambda: Case(lambda b: S("w:4", "c", built=b), lambda b: A(2, [None, None], built=b)), {"invalid_arrow"}),
    ("null_decimal_buffer", lambda: Case(lambda b: S("d:5,2", "c", built=b), lambda b: A(2, [None, None], built=b)), {"invalid_arrow"}),
    ("null_string_offsets", lambda: Case(lambda b: S("u", "c", built=b), lambda b: A(2, [None, None, b"ab"], built=b)), {"invalid_arrow"}),
    ("null_string_data", lambda: Case(lambda b: S("u", "c", built=b), lambda b: A(2, [None, i32(0, 1, 2), None], built=b)), {"invalid_arrow"}),
    ("null_large_string_offsets", lambda: Case(lambda b: S("U", "c", built=b), lambda b: A(2, [None, None, b"ab"], built=b)), {"invalid_arrow"}),
    ("null_list_offsets", lambda: Case(list_schema, lambda b: A(2, [None, None], children=[A(2, [None, i32(1, 2)], built=b)], built=b)), {"invalid_arrow"}),
    ("null_views_buffer", lambda: Case(lambda b: S("vu", "c", built=b), lambda b: A(2, [None, None, i64()], built=b)), {"invalid_arrow"}),
    ("string_offsets_decreasing", lambda: Case(lambda b: S("u", "c", built=b), lambda b: A(2, [None, i32(0, 3, 1), b"abc"], built=b)), {"invalid_arrow"}),
    ("string_offset_negative", lambda: Case(lambda b: S("u", "c", built=b), lambda b: A(2, [None, i32(-1, 1, 2), b"abc"], built=b)), {"invalid_arrow"}),
    ("large_string_offsets_decreasing", lambda: Case(lambda b: S("U", "c", built=b), lambda b: A(2, [None, i64(0, 3, 1), b"abc"], built=b)), {"invalid_arrow"}),
    ("list_offsets_decreasing", lambda: Case(list_schema, lambda b: A(2, [None, i32(0, 3, 1)], children=[A(4, [None, i32(1, 2, 3, 4)], built=b)], built=b)), {"invalid_arrow"}),
    ("list_offset_past_child", lambda: Case(list_schema, lambda b: A(2, [None, i32(0, 2, 5)], children=[A(4, [None, i32(1, 2, 3, 4)], built=b)], built=b)), {"invalid_arrow"}),
    ("large_list_offset_past_child", lambda: Case(lambda b: list_schema(b, "+L"), lambda b: A(2, [None, i64(0, 2, 5)], children=[A(4, [None, i32(1, 2, 3, 4)], built=b)], built=b)), {"invalid_arrow"}),
    ("list_offset_past_sliced_child", lambda: Case(list_schema, lambda b: A(2, [None, i32(0, 2, 4)], children=[A(3, [None, i32(1, 2, 3, 4)], built=b)], built=b)), {"invalid_arrow"}),
    ("map_offset_past_entries", lambda: Case(
        lambda b: S("+m", "c", children=[S("+s", "entries", nullable=False, children=[S("u", "key", nullable=False, built=b), S("i", "value", built=b)], built=b)], built=b),
        lambda b: A(2, [None, i32(0, 1, 9)], children=[A(1, [None], children=[A(1, [None, i32(0, 1), b"k"], built=b), A(1, [None, i32(5)], built=b)], built=b)], built=b)),
        {"invalid_arrow"}),
    ("map_entries_not_struct", lambda: Case(
        lambda b: S("+m", "c", children=[S("i", "entries", built=b)], built=b),
        lambda b: A(2, [None, i32(0, 1, 1)], children=[A(1, [None, i32(1)], built=b)], built=b)), {"invalid_arrow"}),
    ("fixed_list_child_short", lambda: Case(lambda b: list_schema(b, "+w:3"), lambda b: A(2, [None], children=[A(5, [None, i32(1, 2, 3, 4, 5)], built=b)], built=b)), {"invalid_arrow"}),
    ("fixed_list_size_overflow", lambda: Case(lambda b: list_schema(b, "+w:2147483647"), lambda b: A(2**36, [None], children=[A(5, [None, i32(1, 2, 3, 4, 5)], built=b)], built=b),
                                             length=2**36), {"invalid_arrow"}),
    ("fixed_binary_width_overflow", lambda: Case(lambda b: S("w:2147483647", "c", built=b), lambda b: A(2**36, [None, b"x"], built=b), length=2**36), {"invalid_arrow"}),
    ("dictionary_index_out_of_range", lambda: Case(
        lambda b: S("i", "c", dictionary=S("u", "", built=b), built=b),
        lambda b: A(2, [None, i32(0, 5)], dictionary=A(2, [None, i32(0, 1, 2), b"ab"], built=b), built=b)), {"invalid_arrow"}),
    ("dictionary_index_negative", lambda: Case(
        lambda b: S("c", "c", dictionary=S("l", "", built=b), built=b),
        lambda b: A(2, [None, bytes([0, 0xFF])], dictionary=A(2, [None, i64(7, 8)], built=b), built=b)), {"invalid_arrow"}),
    ("dictionary_missing", lambda: Case(lambda b: S("i", "c", dictionary=S("u", "", built=b), built=b), good_int_array), {"invalid_arrow"}),
    ("dictionary_float_indices", lambda: Case(lambda b: S("g", "c", dictionary=S("u", "", built=b), built=b), good_int_array), {"invalid_arrow"}),
    ("dictionary_of_dictionary", lambda: Case(
        lambda b: S("i", "c", dictionary=S("i", "", dictionary=S("u", "", built=b), built=b), built=b),
        lambda b: A(2, [None, i32(0, 1)], dictionary=A(2, [None, i32(0, 1)], dictionary=A(2, [None, i32(0, 1, 2), b"ab"], built=b), built=b), built=b)),
        {"invalid_schema"}),
    ("nulls_without_validity", lambda: Case(int_column, lambda b: A(2, [None, i32(1, 2)], null_count=1, built=b)), {"invalid_arrow"}),
    ("list_nulls_without_validity", lambda: Case(list_schema, lambda b: A(2, [None, i32(0, 1, 2)], null_count=2, children=[A(2, [None, i32(1, 2)], built=b)], built=b)), {"invalid_arrow"}),
    ("struct_children_mismatch", lambda: Case(
        lambda b: S("+s", "c", children=[S("i", "x", built=b)], built=b),
        lambda b: A(2, [None], children=[A(2, [None, i32(1, 2)], built=b), A(2, [None, i32(1, 2)], built=b)], built=b)), {"invalid_arrow"}),
    ("list_without_child_array", lambda: Case(list_schema, lambda b: A(2, [None, i32(0, 1, 2)], built=b)), {"invalid_arrow"}),
    ("list_schema_without_child", lambda: Case(lambda b: S("+l", "c", built=b), lambda b: A(2, [None, i32(0, 0, 0)], built=b)), {"invalid_arrow"}),
    ("children_pointer_null", lambda: Case(list_schema, lambda b: A(2, [None, i32(0, 1, 2)], n_children=1, built=b)), {"invalid_arrow"}),
    ("buffers_pointer_null", lambda: Case(int_column, lambda b: A(2, [], n_buffers=2, built=b)), {"invalid_arrow"}),
    ("struct_child_short", lambda: Case(
        lambda b: S("+s", "c", children=[S("i", "x", built=b)], built=b),
        lambda b: A(3, [None], children=[A(2, [None, i32(1, 2)], built=b)], built=b), length=3), {"invalid_arrow"}),
    ("root_child_short", lambda: Case(int_column, lambda b: A(1, [None, i32(1)], built=b), length=2), {"invalid_arrow"}),
    ("view_outside_buffers", lambda: Case(lambda b: S("vu", "c", built=b), lambda b: A(2, [None, view(b"x") + view(b"y" * 20, 3, 0), b"y" * 20, i64(20)], built=b)), {"invalid_arrow"}),
    ("view_past_buffer_end", lambda: Case(lambda b: S("vz", "c", built=b), lambda b: A(2, [None, view(b"x") + view(b"y" * 20, 0, 5), b"y" * 20, i64(20)], built=b)), {"invalid_arrow"}),
    ("view_negative_length", lambda: Case(lambda b: S("vu", "c", built=b), lambda b: A(2, [None, struct.pack("<i12x", -5) + view(b"y"), i64()], built=b)), {"invalid_arrow"}),
    ("view_two_buffers", lambda: Case(lambda b: S("vu", "c", built=b), lambda b: A(2, [None, view(b"x") + view(b"y")], built=b)), {"invalid_arrow"}),
    ("view_null_sizes", lambda: Case(lambda b: S("vu", "c", built=b), lambda b: A(2, [None, view(b"x") + view(b"y" * 20), b"y" * 20, None], built=b)), {"invalid_arrow"}),
    ("view_negative_size", lambda: Case(lambda b: S("vu", "c", built=b), lambda b: A(2, [None, view(b"x") + view(b"y" * 20), b"y" * 20, i64(-1)], built=b)), {"invalid_arrow"}),
    ("negative_length", lambda: Case(int_column, lambda b: A(-1, [None, i32(1, 2)], built=b)), {"invalid_arrow"}),
    ("negative_offset", lambda: Case(int_column, lambda b: A(2, [None, i32(1, 2)], offset=-1, built=b)), {"invalid_arrow"}),
    ("huge_offset", lambda: Case(int_column, lambda b: A(2, [None, i32(1, 2)], offset=2**62, built=b)), {"invalid_arrow"}),
    ("huge_length", lambda: Case(int_column, lambda b: A(2**62, [None, i32(1, 2)], built=b), length=2**62), {"invalid_arrow"}),
    ("root_negative_length", lambda: Case(int_column, good_int_array, length=-3), {"invalid_arrow"}),
    ("root_huge_offset", lambda: Case(int_column, good_int_array, root_array=lambda b, c: A(2, [None], children=[c], offset=2**63 - 2, built=b)), {"invalid_arrow"}),
    ("root_nulls", lambda: Case(int_column, good_int_array, root_array=lambda b, c: A(2, [bits(1, 0)], children=[c], null_count=1, built=b)), {"invalid_arrow"}),
    ("root_not_struct", lambda: Case(int_column, good_int_array, root_format="i",
                                     root_array=lambda b, c: A(2, [None, i32(1, 2)], children=[c], built=b)), {"invalid_schema", "invalid_arrow"}),
    ("root_list", lambda: Case(int_column, good_int_array, root_format="+l",
                               root_array=lambda b, c: A(1, [None, i32(0, 2)], children=[c], built=b)), {"invalid_schema", "invalid_arrow"}),
    ("root_children_mismatch", lambda: Case(int_column, good_int_array, root_array=lambda b, c: A(2, [None], children=[c, c], built=b)), {"invalid_arrow"}),
]


@pytest.fixture
def writer(abi: ABI, out_dir: Path) -> Any:
    path = out_dir / "malformed.parquet"
    handle = abi.create({"path": str(path)})
    assert handle, abi.last_error()
    yield handle, path
    # Nothing of the malformed batch was written. (Whether it fixed the inferred schema is
    # test_rejected_first_batch_fixes_no_schema's question; usability with a configured
    # schema is checked by test_malformed_batch_with_a_schema.)
    closed = abi.close(handle)
    if closed["ok"]:
        assert pq.read_table(path).num_rows == 0
    else:
        # A batch refused for its schema fixes none: closing is then "no schema" and leaves no file.
        assert closed["error"]["code"] == "invalid_schema" and not path.exists(), closed


@pytest.mark.parametrize("make, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_batch(abi: ABI, writer: Any, make: Callable[[], Case], codes: set[str]) -> None:
    handle, _ = writer
    case = make()
    result = abi.take(abi.lib.write_arrow(handle, ctypes.addressof(case.schema), ctypes.addressof(case.array)))
    assert result["ok"] is False and result["error"]["code"] in codes, result
    assert not case.schema.release and not case.array.release
    assert case.built.releases == 2  # the root schema and the root array, once each
    assert abi.last_error()["code"] == result["error"]["code"]


# The same cases against a configured schema: only layout and type problems are left (the
# writer's column is int32, so a column of another type is a type_mismatch).
@pytest.mark.parametrize("make, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_batch_with_a_schema(abi: ABI, out_dir: Path, make: Callable[[], Case], codes: set[str]) -> None:
    handle = abi.create({"path": str(out_dir / "schema.parquet"), "schema": {"fields": [{"name": "c", "type": "int32"}]}})
    case = make()
    result = abi.take(abi.lib.write_arrow(handle, ctypes.addressof(case.schema), ctypes.addressof(case.array)))
    assert result["ok"] is False and result["error"]["code"] in codes | {"type_mismatch"}, result
    assert case.built.releases == 2
    # The writer is still usable: a good batch lands and is all the file holds.
    assert write_arrow(abi, handle, pa.table({"c": pa.array([1, 2], pa.int32())}))["ok"] is True
    assert abi.close(handle)["ok"] is True
    assert pq.read_table(out_dir / "schema.parquet").column("c").to_pylist() == [1, 2]


# The cases whose schema alone is the problem: schema_from_arrow refuses them too (and only reads).
SCHEMA_CASES = {
    "empty_format", "bad_decimal_format", "decimal_bad_width", "decimal_precision_0", "decimal_precision_40",
    "decimal_negative_scale", "fixed_width_0", "fixed_width_negative", "fixed_width_huge", "timestamp_bad_unit",
    "time_bad_unit", "unknown_format", "dictionary_float_indices", "dictionary_of_dictionary", "map_entries_not_struct",
    "list_schema_without_child", "root_not_struct", "root_list",
}


@pytest.mark.parametrize("make, codes", [c[1:] for c in CASES if c[0] in SCHEMA_CASES], ids=[c[0] for c in CASES if c[0] in SCHEMA_CASES])
def test_schema_from_arrow_on_malformed_schemas(abi: ABI, make: Callable[[], Case], codes: set[str]) -> None:
    case = make()
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(case.schema)))
    assert result["ok"] is False and result["error"]["code"] in codes, result
    assert case.schema.release, "schema_from_arrow released the schema"
    assert case.built.releases == 0


def test_rejected_first_batch_fixes_no_schema(abi: ABI, out_dir: Path) -> None:
    """As with JSON inference, a first batch that is refused leaves the schema open: the next
    batch, with other columns, fixes it."""
    path = out_dir / "first.parquet"
    writer = abi.create({"path": str(path)})
    case = CASES[[c[0] for c in CASES].index("null_string_data")][1]()  # a string column, malformed
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(case.schema), ctypes.addressof(case.array)))
    assert result["error"]["code"] == "invalid_arrow", result
    result = write_arrow(abi, writer, pa.table({"c": pa.array([1, 2], pa.int32())}))
    assert result["ok"] is True, result
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(path).column("c").to_pylist() == [1, 2]


def test_schema_with_a_null_format_or_children(abi: ABI) -> None:
    built = Built()
    child = build_schema("i", "c", built=built)
    child.format = None
    root = build_schema("+s", children=[child], built=built)
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(root)))
    assert result["ok"] is False and result["error"]["code"] == "invalid_arrow", result
    root = build_schema("+s", built=built)
    root.n_children = 3
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(root)))
    assert result["ok"] is False and result["error"]["code"] == "invalid_arrow", result
    nulls = (ctypes.c_void_p * 1)()
    root.n_children = 1
    root.children = ctypes.addressof(nulls)
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(root)))
    assert result["ok"] is False and result["error"]["code"] == "invalid_arrow", result
    root.n_children = -1
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(root)))
    assert result["ok"] is False and result["error"]["code"] == "invalid_arrow", result


def test_deeply_nested_schema_is_refused_not_overflowed(abi: ABI) -> None:
    built = Built()
    schema = build_schema("i", "leaf", built=built)
    for depth in range(5000):
        schema = build_schema("+l", f"l{depth}", children=[schema], built=built)
    root = build_schema("+s", children=[schema], built=built)
    result = abi.take(abi.lib.schema_from_arrow(ctypes.addressof(root)))
    assert result["ok"] is False and result["error"]["code"] in ("invalid_arrow", "invalid_schema"), result


def test_valid_hand_built_batch_is_written(abi: ABI, out_dir: Path) -> None:
    """The helpers themselves build valid data: a sliced string column with nulls and views."""
    built = Built()
    strings = build_array(3, [bits(1, 0, 1, 1), i32(0, 1, 1, 4, 24), b"abcd" + b"e" * 20], offset=1, null_count=1, built=built)
    views = build_array(3, [None, view(b"x") + view(b"y" * 20, 1, 2) + view(b""), b"", b"--" + b"y" * 20, i64(0, 22)], built=built)
    root_schema = build_schema("+s", children=[build_schema("u", "s", built=built), build_schema("vz", "v", built=built)], built=built)
    root = build_array(3, [None], children=[strings, views], built=built)
    writer = abi.create({"path": str(out_dir / "hand.parquet")})
    result = abi.take(abi.lib.write_arrow(writer, ctypes.addressof(root_schema), ctypes.addressof(root)))
    assert result["ok"] is True and result["rows_written"] == 3, result
    assert abi.close(writer)["ok"] is True
    assert pq.read_table(out_dir / "hand.parquet").to_pylist() == [
        {"s": None, "v": b"x"}, {"s": "bcd", "v": b"y" * 20}, {"s": "e" * 20, "v": b""}]
