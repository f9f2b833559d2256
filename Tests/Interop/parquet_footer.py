"""A tiny Thrift compact-protocol decoder for the raw Parquet footer and page headers.

pyarrow 26 does not expose `Statistics.is_min_value_exact` / `is_max_value_exact`, nor which of
min_value / max_value is present when only one is, nor page headers. This module decodes those
structures generically into dicts keyed by Thrift field id (see parquet.thrift):

    FileMetaData    1 version, 2 schema, 3 num_rows, 4 row_groups, 5 key_value_metadata,
                    6 created_by, 7 column_orders
    RowGroup        1 columns, 2 total_byte_size, 3 num_rows
    ColumnChunk     2 file_offset, 3 meta_data
    ColumnMetaData  1 type, 2 encodings, 3 path_in_schema, 4 codec, 5 num_values,
                    6 total_uncompressed_size, 7 total_compressed_size, 9 data_page_offset,
                    11 dictionary_page_offset, 12 statistics
    Statistics      1 max, 2 min, 3 null_count, 4 distinct_count, 5 max_value, 6 min_value,
                    7 is_max_value_exact, 8 is_min_value_exact
    PageHeader      1 type, 2 uncompressed_page_size, 3 compressed_page_size, 4 crc,
                    5 data_page_header, 7 dictionary_page_header, 8 data_page_header_v2
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Thrift compact types
_BOOL_TRUE, _BOOL_FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)

PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}
ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
             6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY",
             9: "BYTE_STREAM_SPLIT"}


class _Reader:
    def __init__(self, data: bytes, pos: int = 0):
        self.data = data
        self.pos = pos

    def byte(self) -> int:
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, t: int) -> Any:
        if t == _BOOL_TRUE:
            return True
        if t == _BOOL_FALSE:
            return False
        if t == _BYTE:
            return struct.unpack("b", bytes([self.byte()]))[0]
        if t in (_I16, _I32, _I64):
            return self.zigzag()
        if t == _DOUBLE:
            v = struct.unpack_from("<d", self.data, self.pos)[0]
            self.pos += 8
            return v
        if t == _BINARY:
            n = self.varint()
            v = self.data[self.pos:self.pos + n]
            self.pos += n
            return bytes(v)
        if t in (_LIST, _SET):
            h = self.byte()
            size, et = h >> 4, h & 0x0F
            if size == 15:
                size = self.varint()
            if et in (_BOOL_TRUE, _BOOL_FALSE):
                return [self.byte() == 1 for _ in range(size)]
            return [self.value(et) for _ in range(size)]
        if t == _MAP:
            size = self.varint()
            if size == 0:
                return {}
            kv = self.byte()
            return dict((self.value(kv >> 4), self.value(kv & 0x0F)) for _ in range(size))
        if t == _STRUCT:
            return self.struct()
        raise ValueError(f"unknown thrift compact type {t} at {self.pos}")

    def struct(self) -> dict[int, Any]:
        out: dict[int, Any] = {}
        last = 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            delta, t = h >> 4, h & 0x0F
            fid = last + delta if delta else self.zigzag()
            out[fid] = self.value(t)
            last = fid


def read_footer(path: str | Path) -> dict[int, Any]:
    data = Path(path).read_bytes()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1", f"{path}: not a Parquet file"
    (length,) = struct.unpack("<I", data[-8:-4])
    r = _Reader(data, len(data) - 8 - length)
    md = r.struct()
    assert r.pos == len(data) - 8, f"{path}: footer length mismatch ({r.pos} vs {len(data) - 8})"
    return md


@dataclass
class Page:
    offset: int
    type: str
    header_size: int
    compressed_size: int
    uncompressed_size: int
    num_values: int
    encoding: str
    header: dict[int, Any]


def read_pages(path: str | Path, column_meta: dict[int, Any]) -> list[Page]:
    """Walk the pages of one column chunk (ColumnMetaData dict from read_footer)."""
    data = Path(path).read_bytes()
    offsets = [column_meta[9]] + ([column_meta[11]] if column_meta.get(11) else [])
    start = min(offsets)
    end = start + column_meta[7]
    pages: list[Page] = []
    pos = start
    while pos < end:
        r = _Reader(data, pos)
        h = r.struct()
        header_size = r.pos - pos
        ptype = PAGE_TYPES.get(h[1], str(h[1]))
        sub = h.get(5) or h.get(7) or h.get(8) or {}
        enc_field = 4 if 8 in h else 2
        pages.append(Page(pos, ptype, header_size, h[3], h[2], sub.get(1, 0),
                          ENCODINGS.get(sub.get(enc_field, -1), str(sub.get(enc_field))), h))
        pos = r.pos + h[3]
    assert pos == end, f"pages overrun the chunk: ended at {pos}, chunk ends at {end}"
    return pages
