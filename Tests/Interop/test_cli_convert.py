"""`parquet-writer convert` end to end: NDJSON and JSON arrays, from files and standard input,
into files and datasets, read back with pyarrow and DuckDB; errors placed in the input; the
output discarded on failure or SIGINT; progress on standard error.

The binary is PARQUET_WRITER_CLI (the Makefile points it at the release `parquet-writer`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

SCHEMA = {"fields": [
    {"name": "id", "type": "int64", "nullable": False},
    {"name": "currency", "type": "string"},
    {"name": "at", "type": "timestamp_ms"},
    {"name": "amount", "type": "float64"},
]}



def records(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"id": i, "currency": ["EUR", "USD", None][i % 3], "at": f"2024-05-{1 + i % 4:02d}T08:00:00Z",
             "amount": i / 8} for i in range(start, start + count)]


def ndjson(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def run(cli: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([cli, "convert", *args], input=stdin.decode() if stdin is not None else None,
                          capture_output=True, text=True, timeout=300)


def expected(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["id"], r["currency"], r["amount"]) for r in rows]


def read(path: Path) -> list[tuple[Any, ...]]:
    table = pq.read_table(path)
    return list(zip(*(table.column(n).to_pylist() for n in ("id", "currency", "amount"))))


def test_ndjson_file_with_a_schema(cli: str, tmp_path: Path) -> None:
    rows = records(25_000)
    (tmp_path / "in.ndjson").write_bytes(ndjson(rows))
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    out = tmp_path / "out.parquet"
    # Small batches: the input crosses many batch boundaries.
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(out), "--schema", str(tmp_path / "schema.json"),
               "--compression", "zstd", "--batch-bytes", "65536", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["rows_written"] == 25_000 and summary["files"][0]["path"] == str(out)
    assert read(out) == expected(rows)
    assert pq.read_metadata(out).row_group(0).column(0).compression == "ZSTD"
    assert duckdb.sql(f"select count(*), sum(id) from '{out}'").fetchall() == [(25_000, sum(range(25_000)))]


@pytest.mark.parametrize(("codec", "level", "name"), [
    ("lz4_raw", None, "LZ4_RAW"), ("lz4_raw", "12", "LZ4_RAW"), ("brotli", None, "BROTLI"), ("brotli", "11", "BROTLI"),
])
def test_lz4_raw_and_brotli_flags(cli: str, tmp_path: Path, codec: str, level: str | None, name: str) -> None:
    rows = records(5_000)
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    out = tmp_path / "out.parquet"
    levels = ["--compression-level", level] if level else []
    done = run(cli, "-o", str(out), "--schema", str(tmp_path / "schema.json"), "--compression", codec, *levels,
               stdin=ndjson(rows))
    assert done.returncode == 0, done.stderr
    assert read(out) == expected(rows)
    assert duckdb.sql(f"select distinct compression from parquet_metadata('{out}')").fetchall() == [(name,)]


def test_codec_level_out_of_range_names_codec_and_range(cli: str, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    done = run(cli, "-o", str(out), "--compression", "lz4_raw", "--compression-level", "13", stdin=ndjson(records(3)))
    assert done.returncode != 0 and "outside lz4_raw's 1...12" in done.stderr, done.stderr
    assert not out.exists()


def test_json_array_on_stdin_with_an_inferred_schema(cli: str, tmp_path: Path) -> None:
    rows = records(3_000)
    text = json.dumps(rows, indent=1).encode()  # elements span lines
    out = tmp_path / "out.parquet"
    done = run(cli, "-o", str(out), "--batch-bytes", "4096", stdin=text)
    assert done.returncode == 0, done.stderr
    assert read(out) == expected(rows)
    assert "wrote 3,000 rows to 1 file" in done.stderr


def test_unknown_keys_warn_fail_or_collect(cli: str, tmp_path: Path) -> None:
    # 2,000 plain records fix the inferred schema in the first batch; then a key appears.
    rows: list[dict[str, Any]] = [{"id": i} for i in range(2_000)] + [{"id": 2_000, "late": [1, 2]}]
    (tmp_path / "in.ndjson").write_bytes(ndjson(rows))
    ignored = tmp_path / "ignored.parquet"
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(ignored), "--batch-bytes", "4096", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["unknown_keys"] == {"late": 1}
    assert "warning: keys not in the schema were left out: late (1)" in done.stderr
    assert pq.read_table(ignored).column_names == ["id"]
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(tmp_path / "failed.parquet"), "--batch-bytes", "4096",
               "--unknown-keys", "fail")
    assert done.returncode == 1
    assert "in.ndjson:2001" in done.stderr and "'late' is not in the schema" in done.stderr
    assert not (tmp_path / "failed.parquet").exists()
    collected = tmp_path / "collected.parquet"
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(collected), "--batch-bytes", "4096",
               "--unknown-keys", "collect", "--unknown-keys-column", "extras")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    assert pq.read_table(collected).column("extras").to_pylist()[-2:] == [None, '{"late":[1, 2]}']


def test_json_schema_and_a_dataset(cli: str, tmp_path: Path) -> None:
    rows = records(1_000)
    (tmp_path / "in.ndjson").write_bytes(ndjson(rows))
    (tmp_path / "s.json").write_text(json.dumps({"type": "object", "properties": {
        "id": {"type": "integer"}, "currency": {"type": ["null", "string"]},
        "at": {"type": "string", "format": "date-time"}, "amount": {"type": "number"}}}))
    root = tmp_path / "ds"
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(root), "--json-schema", str(tmp_path / "s.json"),
               "--partition-by", "currency", "--partition-by", "day=at:day", "--max-rows-per-file", "50", "--json")
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert all(f["rows"] <= 50 for f in files) and sum(f["rows"] for f in files) == 1_000
    assert sorted(Path(f["path"]) for f in files) == sorted(root.rglob("*.parquet"))
    got = duckdb.sql(f"select id, currency, day from read_parquet('{root}/**/*.parquet', hive_partitioning=true) "
                     "order by id").fetchall()
    assert [(g[0], g[1]) for g in got] == [(r["id"], r["currency"]) for r in rows]
    assert all(str(g[2]) == f"2024-05-{1 + g[0] % 4:02d}" for g in got)
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 1_000


def test_a_malformed_line_stops_with_its_line_and_leaves_nothing(cli: str, tmp_path: Path) -> None:
    data = ndjson(records(5_000)).splitlines(keepends=True)
    data[3_210] = b'{"id": 3210, "currency": "EUR",, "at": null}\n'
    (tmp_path / "in.ndjson").write_bytes(b"".join(data))
    out = tmp_path / "out.parquet"
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(out), "--batch-bytes", "8192")
    assert done.returncode == 1
    offset = sum(len(line) for line in data[:3_210])
    assert f"in.ndjson:3211 (byte " in done.stderr and "malformed_json" in done.stderr, done.stderr
    byte = int(done.stderr.split("(byte ")[1].split(")")[0])
    assert offset <= byte < offset + len(data[3_210])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.ndjson"]


def test_on_malformed_skip_leaves_out_bad_lines_and_writes_them_to_rejects(cli: str, tmp_path: Path) -> None:
    """`--on-malformed skip`: each malformed line is left out (a truncated line followed by a good
    one included), the rest written exactly, across batch boundaries; `--rejects` gets each
    left-out line (malformed or invalid) with its number, byte offset, reason and exact text."""
    rows = records(20_000)
    data = ndjson(rows).splitlines(keepends=True)
    bad = {
        3_210: b'{"id": 3210, "currency": "EUR",, "at": null}\n',        # a syntax error inside
        7_777: b'{"id": 7777, "currency": "EU\n',                        # cut inside a string
        12_000: b'{"id": 12000, "amount": [1, 2\n',                      # cut inside an array
        15_001: b'\xff\xfe not json\n',                                  # not UTF-8, not JSON
    }
    invalid = {9_000: b'{"id": "nine thousand"}\n'}
    for index, line in {**bad, **invalid}.items():
        data[index] = line
    (tmp_path / "in.ndjson").write_bytes(b"".join(data))
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    out, rejects = tmp_path / "out.parquet", tmp_path / "rejects.ndjson"
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(out), "--schema", str(tmp_path / "schema.json"),
               "--batch-bytes", "65536", "--on-malformed", "skip", "--on-invalid", "skip", "--rejects", str(rejects),
               "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["malformed_skipped"] == 4 and summary["rows_rejected"] == 1
    kept = [r for i, r in enumerate(rows) if i not in bad and i not in invalid]
    assert summary["rows_written"] == len(kept)
    assert read(out) == expected(kept)
    assert "skipped: " in done.stderr and "ends inside a string" in done.stderr, done.stderr
    entries = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert sorted(e["line"] for e in entries) == sorted(i + 1 for i in [*bad, *invalid])
    offsets = {i + 1: sum(len(line) for line in data[:i]) for i in [*bad, *invalid]}
    for entry in entries:
        line = entry["line"]
        assert entry["byte"] == offsets[line]
        raw = data[line - 1].rstrip(b"\n")
        text = entry["text"].encode() if "text" in entry else __import__("base64").b64decode(entry["text_base64"])
        assert text == raw, entry
        code = entry["reason"]["code"]
        assert code == ("type_mismatch" if line - 1 in invalid else "malformed_json"), entry
    by_line = {e["line"]: e["reason"]["message"] for e in entries}
    assert by_line[7_778] == "line 7,778 ends inside a string"
    assert by_line[12_001] == "line 12,001 ends inside an array"


def test_a_truncated_line_is_explained_in_words(cli: str, tmp_path: Path) -> None:
    data = ndjson(records(300_000)).splitlines(keepends=True)
    whole = data[249_999]
    data[249_999] = whole[:22] + b"\n"  # cut inside the "currency" key
    (tmp_path / "in.ndjson").write_bytes(b"".join(data))
    out = tmp_path / "out.parquet"
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(out))
    assert done.returncode == 1
    assert "in.ndjson:250000 (byte " in done.stderr and "line 250,000 ends inside a string" in done.stderr, done.stderr
    assert not out.exists()
    # Cut after a key: the next line starts where the value should be.
    data[249_999] = whole[:25] + b"\n"
    (tmp_path / "in.ndjson").write_bytes(b"".join(data))
    done = run(cli, str(tmp_path / "in.ndjson"), "-o", str(out))
    assert done.returncode == 1 and "in.ndjson:250000 (byte " in done.stderr, done.stderr
    assert "line 250,000 ends inside a record (line 250,001 starts before it is closed)" in done.stderr, done.stderr
    # Cut at the end of the input, inside an object.
    (tmp_path / "cut.ndjson").write_bytes(b"".join(data[:10]) + b'{"id": 10, "amount": 1.5')
    done = run(cli, str(tmp_path / "cut.ndjson"), "-o", str(out))
    assert done.returncode == 1 and "line 11 ends inside an object" in done.stderr, done.stderr


def test_on_malformed_skip_in_a_json_array(cli: str, tmp_path: Path) -> None:
    rows = records(50)
    elements = [json.dumps(r).encode() for r in rows]
    elements[7] = b'{"id": 7, "amount": tru}'
    elements[30] = b'{"id": "thirty"}'
    out, rejects = tmp_path / "out.parquet", tmp_path / "rejects.ndjson"
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    done = run(cli, "-o", str(out), "--schema", str(tmp_path / "schema.json"), "--on-malformed", "skip",
               "--on-invalid", "skip", "--rejects", str(rejects), stdin=b"[" + b", ".join(elements) + b"]")
    assert done.returncode == 0, done.stderr
    assert read(out) == expected([r for i, r in enumerate(rows) if i not in (7, 30)])
    entries = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(e["record"], e["reason"]["code"], e["text"]) for e in entries] == [
        (8, "malformed_json", elements[7].decode()), (31, "type_mismatch", elements[30].decode())]
    # Without skip, the malformed element stops the run and nothing is left.
    stopped = tmp_path / "stopped.parquet"
    done = run(cli, "-o", str(stopped), "--schema", str(tmp_path / "schema.json"),
               stdin=b"[" + b", ".join(elements) + b"]")
    assert done.returncode == 1 and "record 8" in done.stderr and not stopped.exists(), done.stderr


def test_invalid_records_skipped_are_reported(cli: str, tmp_path: Path) -> None:
    rows = records(100)
    data = ndjson(rows).splitlines(keepends=True)
    data[41] = b'{"id": "forty-one"}\n'
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    out = tmp_path / "out.parquet"
    done = run(cli, "-o", str(out), "--schema", str(tmp_path / "schema.json"), "--on-invalid", "skip",
               stdin=b"".join(data))
    assert done.returncode == 0, done.stderr
    assert "skipped: standard input:42 " in done.stderr and "(column 'id')" in done.stderr, done.stderr
    assert "(1 rejected)" in done.stderr
    assert read(out) == expected(rows[:41] + rows[42:])


def test_array_framing_errors(cli: str, tmp_path: Path) -> None:
    for text, words in [(b'[{"id": 1}, ]', "trailing comma"), (b'[{"id": 1}', "']' is missing"),
                        (b'[{"id": 1}] {}', "after the end of the array")]:
        out = tmp_path / "out.parquet"
        done = run(cli, "-o", str(out), stdin=text)
        assert done.returncode == 1 and words in done.stderr, done.stderr
        assert not out.exists()


def test_progress_only_when_asked_off_a_terminal(cli: str, tmp_path: Path) -> None:
    (tmp_path / "in.ndjson").write_bytes(ndjson(records(200_000)))
    quiet = run(cli, str(tmp_path / "in.ndjson"), "-o", str(tmp_path / "a.parquet"))
    assert quiet.returncode == 0 and quiet.stderr.count("\n") == 1 and quiet.stderr.startswith("wrote 200,000 rows")
    shown = run(cli, str(tmp_path / "in.ndjson"), "-o", str(tmp_path / "b.parquet"), "--progress", "--batch-bytes", "65536")
    lines = shown.stderr.splitlines()
    assert len(lines) >= 2, shown.stderr
    assert all(" MB read, " in line and " MB/s, " in line and " %, ETA " in line for line in lines[:-1]), lines
    assert lines[-1].startswith("wrote 200,000 rows")
    silent = run(cli, str(tmp_path / "in.ndjson"), "-o", str(tmp_path / "c.parquet"), "--quiet")
    assert silent.returncode == 0 and silent.stderr == ""


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_discards_the_output(cli: str, tmp_path: Path, sig: int, status: int) -> None:
    out = tmp_path / "out.parquet"
    child = subprocess.Popen([cli, "convert", "-o", str(out)], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdin is not None
    child.stdin.write(ndjson(records(5_000)))
    child.stdin.flush()
    time.sleep(0.5)  # the first batches are written; the next read waits for more input
    child.send_signal(sig)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == status, stderr
    assert b"the output was discarded" in stderr
    assert list(tmp_path.iterdir()) == []


def test_dash_o_writes_the_file_to_standard_output(cli: str, tmp_path: Path) -> None:
    rows = records(20_000)
    (tmp_path / "schema.json").write_text(json.dumps(SCHEMA))
    out = tmp_path / "piped.parquet"
    # Standard output redirected to a file, as `convert ... -o - > piped.parquet` does.
    with open(out, "wb") as handle:
        done = subprocess.run([cli, "convert", "-o", "-", "--schema", str(tmp_path / "schema.json"), "--compression",
                               "zstd", "--row-group-rows", "5000"], input=ndjson(rows), stdout=handle,
                              stderr=subprocess.PIPE, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert read(out) == expected(rows)
    assert pq.read_metadata(out).num_row_groups == 4
    assert b"wrote 20,000 rows to 1 file" in done.stderr
    # Through a pipe: the bytes read from it are the same file.
    piped = subprocess.run([cli, "convert", "-o", "-", "--schema", str(tmp_path / "schema.json"), "--compression",
                            "zstd", "--row-group-rows", "5000"], input=ndjson(rows), capture_output=True, timeout=300, cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    (tmp_path / "from-pipe.parquet").write_bytes(piped.stdout)
    assert read(tmp_path / "from-pipe.parquet") == expected(rows)
    # Nothing was written anywhere else (no file named "-", no temporary).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["from-pipe.parquet", "piped.parquet", "schema.json"]


def test_dash_o_fails_with_a_non_zero_status_and_refuses_what_would_mix_with_the_file(cli: str, tmp_path: Path) -> None:
    # A bad record after a first batch: the exit status says the bytes on standard output are no file.
    bad = ndjson(records(5_000)) + b'{"id": "x"}\n'
    failed = subprocess.run([cli, "convert", "-o", "-", "--batch-bytes", "4096"], input=bad, capture_output=True,
                            timeout=300, cwd=tmp_path)
    assert failed.returncode == 1
    assert b"error:" in failed.stderr
    for extra, words in ((["--json"], b"--json"), (["--dataset"], b"dataset"), (["--max-rows-per-file", "5"], b"dataset")):
        refused = subprocess.run([cli, "convert", "-o", "-", *extra], input=b'{"id": 1}\n', capture_output=True,
                                 timeout=60, cwd=tmp_path)
        assert refused.returncode != 0 and words in refused.stderr and refused.stdout == b""
    # A terminal on standard output is refused before anything is read.
    leader, follower = os.openpty()
    try:
        tty = subprocess.run([cli, "convert", "-o", "-"], input=b'{"id": 1}\n', stdout=follower,
                             stderr=subprocess.PIPE, timeout=60, cwd=tmp_path)
    finally:
        os.close(follower)
        os.close(leader)
    assert tty.returncode != 0 and b"terminal" in tty.stderr
    assert list(tmp_path.iterdir()) == []
