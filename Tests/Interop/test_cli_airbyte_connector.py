"""`parquet-writer airbyte` as an Airbyte destination connector, driven as the platform drives one.

The platform (and PyAirbyte) runs a destination through its protocol commands: `spec`, then
`check --config F`, then `source read --config --catalog | destination write --config F
--catalog F`, with a ConfiguredAirbyteCatalog that carries each stream's destination_sync_mode,
generation_id, minimum_generation_id and sync_id. These tests do exactly that with a real
source (airbyte-source-faker, AIRBYTE_SOURCE_FAKER, from `make deps-airbyte`) and the release
binary (PARQUET_WRITER_CLI), and check:

- `spec` and `check` print one valid message of the right type; `check` fails clearly (exit 0,
  status FAILED) for a bad configuration, an unwritable path and an append_dedup catalog;
- a real pipe writes every record of every stream once, echoes every STATE in order, each
  only after the records before it are in committed files;
- the Destinations V2 columns, typed as DuckDB reads them: _airbyte_raw_id (unique UUID v4
  strings), _airbyte_extracted_at (timestamptz, the record's emitted_at),
  _airbyte_generation_id (the catalog's), _airbyte_meta (json with the catalog's sync_id);
- a value that does not fit its column is nulled and recorded in _airbyte_meta.changes, the
  record kept; the source's own meta.changes are kept;
- overwrite as a generation swap: a second sync leaves only the new generation, the old data
  stays visible until the sync ends, and a killed sync leaves the old generation whole while
  its retry (same generation, source resumed from the last echoed STATE) completes the new one
  with every record exactly once;
- append_dedup is refused by `write` with a TRACE error and a non-zero exit.

PyAirbyte itself runs the binary in test_cli_airbyte_pyairbyte.py when it is installed
(`make deps-pyairbyte`); the protocol driven here is what it runs.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pyarrow.parquet as pq
import pytest

CLI = os.environ.get("PARQUET_WRITER_CLI", "")
FAKER = os.environ.get("AIRBYTE_SOURCE_FAKER", "")

pytestmark = [
    pytest.mark.skipif(
        not (CLI and os.access(CLI, os.X_OK)),
        reason="PARQUET_WRITER_CLI is not set to the parquet-writer binary (make build)",
    ),
    pytest.mark.skipif(
        not (FAKER and os.access(FAKER, os.X_OK)),
        reason="AIRBYTE_SOURCE_FAKER is not set to airbyte-source-faker's source-faker (make deps-airbyte)",
    ),
]

STREAMS = ("products", "users", "purchases")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
V2_TYPES = {
    "_airbyte_raw_id": "VARCHAR",
    "_airbyte_extracted_at": "TIMESTAMP WITH TIME ZONE",
    "_airbyte_meta": "JSON",
    "_airbyte_generation_id": "BIGINT",
}


def message_lines(text: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.split(b"\n") if line.startswith(b"{")]


def one_message(done: subprocess.CompletedProcess[bytes], kind: str) -> dict[str, Any]:
    lines = [line for line in done.stdout.split(b"\n") if line.strip()]
    assert len(lines) == 1, done.stdout
    message = json.loads(lines[0])
    assert message["type"] == kind
    return message


class Connection:
    """A source configuration, and the destination's configuration and catalog files, as the
    platform writes them for one sync."""

    def __init__(self, root: Path, count: int, seed: int) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.source_config = root / "source.json"
        self.source_config.write_text(json.dumps(
            {"count": count, "seed": seed, "records_per_slice": 100, "parallelism": 1}))
        discovered = subprocess.run(
            [FAKER, "discover", "--config", str(self.source_config)],
            capture_output=True, timeout=300, check=True)
        self.streams = next(m["catalog"]["streams"] for m in message_lines(discovered.stdout) if m["type"] == "CATALOG")
        self.config = root / "destination.json"
        self.catalog = root / "catalog.json"

    def configure(self, destination: Path, mode: str, generation: int, sync_id: int, **settings: Any) -> None:
        self.config.write_text(json.dumps({"destination_path": str(destination), **settings}))
        self.catalog.write_text(json.dumps({"streams": [
            {"stream": s, "sync_mode": "full_refresh" if mode == "overwrite" else "incremental",
             "destination_sync_mode": mode, "generation_id": generation,
             "minimum_generation_id": generation if mode == "overwrite" else 0, "sync_id": sync_id}
            for s in self.streams
        ]}))

    def read(self) -> list[bytes]:
        done = subprocess.run(
            [FAKER, "read", "--config", str(self.source_config), "--catalog", str(self.catalog)],
            capture_output=True, timeout=300, check=True)
        return [line for line in done.stdout.split(b"\n") if line.startswith(b"{")]

    def write_command(self) -> list[str]:
        return [CLI, "airbyte", "write", "--config", str(self.config), "--catalog", str(self.catalog)]


def records(lines: list[bytes]) -> list[dict[str, Any]]:
    return [m["record"] for m in map(json.loads, lines) if m["type"] == "RECORD"]


def states(lines: list[bytes]) -> list[bytes]:
    return [line for line in lines if json.loads(line)["type"] == "STATE"]


def committed_rows(directory: Path) -> int:
    return sum(pq.read_metadata(path).num_rows for path in directory.rglob("*.parquet"))


def table(destination: Path, stream: str) -> str:
    return f"read_parquet('{destination / stream}/**/*.parquet', hive_partitioning=false)"


# -- spec and check ---------------------------------------------------------------------------------


def test_spec_prints_the_connector_specification(tmp_path: Path) -> None:
    done = subprocess.run([CLI, "airbyte", "spec"], capture_output=True, timeout=60)
    assert done.returncode == 0
    spec = one_message(done, "SPEC")["spec"]
    assert spec["supported_destination_sync_modes"] == ["overwrite", "append"]
    schema = spec["connectionSpecification"]
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["required"] == ["destination_path"]
    # A configuration the spec accepts is one `check` accepts, and the other way round.
    good = {"destination_path": str(tmp_path / "d"), "compression": "zstd", "partition_by": ["_airbyte_extracted_at:day"]}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"destination_path": "x", "bogus": 1}, schema)


def check(tmp_path: Path, config: dict[str, Any], catalog: dict[str, Any] | None = None) -> dict[str, Any]:
    (tmp_path / "config.json").write_text(json.dumps(config))
    command = [CLI, "airbyte", "check", "--config", str(tmp_path / "config.json")]
    if catalog is not None:
        (tmp_path / "catalog.json").write_text(json.dumps(catalog))
        command += ["--catalog", str(tmp_path / "catalog.json")]
    done = subprocess.run(command, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return one_message(done, "CONNECTION_STATUS")["connectionStatus"]


def test_check_succeeds_on_a_writable_path_and_fails_clearly_otherwise(tmp_path: Path) -> None:
    destination = tmp_path / "new" / "nested"
    status = check(tmp_path, {"destination_path": str(destination)})
    assert status["status"] == "SUCCEEDED", status
    assert destination.is_dir() and not list(destination.iterdir())  # the probe file is gone

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    status = check(tmp_path, {"destination_path": str(blocker / "sub")})
    assert status["status"] == "FAILED" and str(blocker) in status["message"]

    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        if os.geteuid() != 0:  # root writes anyway
            status = check(tmp_path, {"destination_path": str(readonly)})
            assert status["status"] == "FAILED" and "Permission denied" in status["message"], status
    finally:
        readonly.chmod(0o700)

    status = check(tmp_path, {"destination_path": str(destination), "compression": "lz5"})
    assert status["status"] == "FAILED" and "lz5" in status["message"]
    status = check(tmp_path, {"destination_path": str(destination), "bogus": 1})
    assert status["status"] == "FAILED" and "unknown key 'bogus'" in status["message"]
    status = check(tmp_path, {"compression": "zstd"})
    assert status["status"] == "FAILED" and "'destination_path' is required" in status["message"]


def test_check_refuses_append_dedup_in_a_catalog(tmp_path: Path) -> None:
    catalog = {"streams": [{"stream": {"name": "users", "json_schema": {"type": "object"}},
                            "sync_mode": "incremental", "destination_sync_mode": "append_dedup", "primary_key": [["id"]]}]}
    status = check(tmp_path, {"destination_path": str(tmp_path / "d")}, catalog)
    assert status["status"] == "FAILED"
    assert "'append_dedup' is not supported" in status["message"]


# -- write, driven as the platform does ----------------------------------------------------------------


def test_source_into_destination_with_states_and_v2_columns(tmp_path: Path) -> None:
    connection = Connection(tmp_path / "conn", count=600, seed=11)
    destination = tmp_path / "lake"
    connection.configure(destination, "append", generation=5, sync_id=901, compression="zstd")
    lines = connection.read()
    source_records = records(lines)
    input_states = states(lines)
    assert len(input_states) >= 6

    # The real pipe: the destination's stdout is read as it comes, and at each STATE the
    # committed files must already hold every record before it.
    expected_at_state: list[Counter[str]] = []
    counts: Counter[str] = Counter()
    for line in lines:
        message = json.loads(line)
        if message["type"] == "RECORD":
            counts[message["record"]["stream"]] += 1
        elif message["type"] == "STATE":
            expected_at_state.append(Counter(counts))
    # Real OS pipes between the processes, as the platform runs them; tee keeps what the
    # destination was given (the emitted_at times differ from the captured run's; the records
    # and their order do not, with the same seed).
    received = tmp_path / "received.jsonl"
    source_command = [FAKER, "read", "--config", str(connection.source_config), "--catalog", str(connection.catalog)]
    shell = (f"set -o pipefail; {shlex.join(source_command)} | tee {shlex.quote(str(received))} | "
             f"{shlex.join(connection.write_command())}")
    process = subprocess.Popen(["bash", "-c", shell], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    echoed: list[bytes] = []
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.rstrip(b"\n")
        message = json.loads(line)
        if message["type"] != "STATE":
            continue
        seen = len(echoed)
        echoed.append(line)
        for stream in STREAMS:
            assert committed_rows(destination / stream) >= expected_at_state[seen][stream], (seen, stream)
    assert process.wait(timeout=300) == 0, process.stderr.read().decode() if process.stderr else ""
    given = [line for line in received.read_bytes().split(b"\n") if line.startswith(b"{")]
    assert [(r["stream"], r["data"]["id"]) for r in records(given)] == [(r["stream"], r["data"]["id"]) for r in source_records]
    source_records = records(given)
    # Every STATE echoed once, in order (the source's states carry the time, so compare their
    # streams and order rather than bytes with the captured run).
    assert len(echoed) == len(input_states)
    assert [json.loads(s)["state"]["stream"]["stream_descriptor"] for s in echoed] == \
        [json.loads(s)["state"]["stream"]["stream_descriptor"] for s in input_states]

    con = duckdb.connect()
    total = 0
    for stream in STREAMS:
        described = dict((row[0], row[1]) for row in con.sql(f"DESCRIBE SELECT * FROM {table(destination, stream)}").fetchall())
        for column, kind in V2_TYPES.items():
            assert described[column] == kind, (stream, column, described)
        # The V2 columns come first, as in Airbyte's own destinations.
        assert list(described)[:4] == list(V2_TYPES)
        expected = [r for r in source_records if r["stream"] == stream]
        rows = con.sql(f"""SELECT id, _airbyte_raw_id, epoch_ms(_airbyte_extracted_at), _airbyte_generation_id,
                                  json_extract(_airbyte_meta, '$.sync_id')::BIGINT, json_array_length(_airbyte_meta, '$.changes')
                           FROM {table(destination, stream)} ORDER BY id""").fetchall()
        assert [r[0] for r in rows] == sorted(r["data"]["id"] for r in expected), stream
        assert all(UUID4.match(r[1]) for r in rows)
        assert {r[3] for r in rows} == {5} and {r[4] for r in rows} == {901} and {r[5] for r in rows} == {0}
        # _airbyte_extracted_at is the record's emitted_at (faker's ids are unique per stream).
        emitted = {r["data"]["id"]: r["emitted_at"] for r in expected}
        assert all(r[2] == emitted[r[0]] for r in rows), stream
        total += len(rows)
    assert total == len(source_records)
    all_ids = con.sql(f"SELECT count(*), count(DISTINCT _airbyte_raw_id) FROM read_parquet('{destination}/*/**/*.parquet', union_by_name=true)").fetchall()
    assert all_ids == [(total, total)]


def test_values_that_do_not_fit_are_nulled_and_recorded(tmp_path: Path) -> None:
    destination = tmp_path / "lake"
    (tmp_path / "config.json").write_text(json.dumps({"destination_path": str(destination)}))
    catalog = {"streams": [{"stream": {"name": "users", "json_schema": {"type": "object", "properties": {
        "id": {"type": "integer"}, "age": {"type": ["null", "integer"]},
        "address": {"type": ["null", "object"], "properties": {"city": {"type": ["null", "string"]}}}}}},
        "sync_mode": "incremental", "destination_sync_mode": "append", "sync_id": 7}]}
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    source_change = {"field": "bio", "change": "TRUNCATED", "reason": "SOURCE_FIELD_SIZE_LIMITATION"}
    lines = [
        {"type": "RECORD", "record": {"stream": "users", "emitted_at": 1700000000000, "data": {"id": 1, "age": 30}}},
        {"type": "RECORD", "record": {"stream": "users", "emitted_at": 1700000000001,
                                      "data": {"id": 2, "age": "thirty", "address": {"city": 12}}}},
        {"type": "RECORD", "record": {"stream": "users", "emitted_at": 1700000000002, "data": {"id": 3, "age": 1e40},
                                      "meta": {"changes": [source_change]}}},
        {"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "users"}, "stream_state": {"n": 3}}}},
    ]
    done = subprocess.run(
        [CLI, "airbyte", "write", "--config", str(tmp_path / "config.json"), "--catalog", str(tmp_path / "catalog.json")],
        input=b"".join(json.dumps(m).encode() + b"\n" for m in lines), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = duckdb.sql(f"SELECT id, age, address, _airbyte_meta FROM {table(destination, 'users')} ORDER BY id").fetchall()
    assert [r[:3] for r in rows] == [(1, 30, None), (2, None, None), (3, None, None)]
    nulled = {"change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"}
    assert json.loads(rows[0][3]) == {"sync_id": 7, "changes": []}
    assert json.loads(rows[1][3]) == {"sync_id": 7, "changes": [{"field": "age", **nulled}, {"field": "address", **nulled}]}
    assert json.loads(rows[2][3]) == {"sync_id": 7, "changes": [source_change, {"field": "age", **nulled}]}
    warnings = [m["log"]["message"] for m in message_lines(done.stdout) if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert len(warnings) == 3 and all("value nulled" in w for w in warnings), warnings


def test_overwrite_replaces_the_generation_only_when_the_sync_completes(tmp_path: Path) -> None:
    destination = tmp_path / "lake"
    first = Connection(tmp_path / "first", count=300, seed=1)
    first.configure(destination, "overwrite", generation=1, sync_id=1)
    first_lines = first.read()
    done = subprocess.run(first.write_command(), input=b"\n".join(first_lines) + b"\n", capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr

    def generations() -> dict[str, dict[int, int]]:
        return {stream: dict(duckdb.sql(
            f"SELECT _airbyte_generation_id, count(*) FROM {table(destination, stream)} GROUP BY ALL").fetchall())
            for stream in STREAMS}

    first_counts = Counter(r["stream"] for r in records(first_lines))
    assert generations() == {s: {1: first_counts[s]} for s in STREAMS}

    # The second generation, fed line by line: at every STATE it echoes, readers still see the
    # first generation whole; at the end, only the second.
    second = Connection(tmp_path / "second", count=200, seed=2)
    second.configure(destination, "overwrite", generation=2, sync_id=2)
    second_lines = second.read()
    process = subprocess.Popen(second.write_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    echoed = 0
    for line in second_lines:
        process.stdin.write(line + b"\n")
        process.stdin.flush()
        if json.loads(line)["type"] == "STATE":
            while json.loads(process.stdout.readline())["type"] != "STATE":
                pass
            echoed += 1
            assert generations() == {s: {1: first_counts[s]} for s in STREAMS}, echoed
    process.stdin.close()
    assert process.wait(timeout=300) == 0, process.stderr.read().decode() if process.stderr else ""
    assert echoed == len(states(second_lines))
    second_counts = Counter(r["stream"] for r in records(second_lines))
    assert generations() == {s: {2: second_counts[s]} for s in STREAMS}
    # Nothing else is left beside the streams' directories: no staging directory.
    assert sorted(p.name for p in destination.iterdir()) == sorted(STREAMS)

    # A third generation killed mid-sync (after states were echoed) leaves the second whole;
    # the retry (the same job, so the same generation; the source resumed after the last echoed
    # state) completes the third from the records the killed attempt committed.
    third = Connection(tmp_path / "third", count=300, seed=3)
    third.configure(destination, "overwrite", generation=3, sync_id=3)
    third_lines = third.read()
    process = subprocess.Popen(third.write_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    states_seen = 0
    last_state = -1
    for index, line in enumerate(third_lines):
        process.stdin.write(line + b"\n")
        process.stdin.flush()
        if json.loads(line)["type"] == "STATE":
            while json.loads(process.stdout.readline())["type"] != "STATE":
                pass
            states_seen += 1
            last_state = index
            if states_seen == 3:
                break
    # Records after the last echoed state reach open files, then the kill.
    for line in third_lines[last_state + 1:last_state + 60]:
        process.stdin.write(line + b"\n")
    process.stdin.flush()
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert generations() == {s: {2: second_counts[s]} for s in STREAMS}
    staged = [p.name for p in destination.iterdir() if p.name.startswith(".")]
    assert sorted(staged) == sorted(f".{s}.airbyte-generation-3" for s in STREAMS)
    done = subprocess.run(third.write_command(), input=b"\n".join(third_lines[last_state + 1:]) + b"\n",
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    third_counts = Counter(r["stream"] for r in records(third_lines))
    assert generations() == {s: {3: third_counts[s]} for s in STREAMS}
    for stream in STREAMS:
        ids = duckdb.sql(f"SELECT id FROM {table(destination, stream)} ORDER BY id").fetchall()
        assert [i[0] for i in ids] == sorted(r["data"]["id"] for r in records(third_lines) if r["stream"] == stream)
    assert sorted(p.name for p in destination.iterdir()) == sorted(STREAMS)


def test_write_refuses_append_dedup_with_a_trace_error(tmp_path: Path) -> None:
    connection = Connection(tmp_path / "conn", count=50, seed=4)
    connection.configure(tmp_path / "lake", "append_dedup", generation=0, sync_id=1)
    done = subprocess.run(connection.write_command(), input=b"\n".join(connection.read()) + b"\n",
                          capture_output=True, timeout=300)
    assert done.returncode != 0
    traces = [m for m in message_lines(done.stdout) if m["type"] == "TRACE"]
    assert len(traces) == 1 and traces[0]["trace"]["type"] == "ERROR"
    error = traces[0]["trace"]["error"]
    assert error["failure_type"] == "config_error"
    assert "'append_dedup' is not supported" in error["message"]
    assert not (tmp_path / "lake").exists() or not list((tmp_path / "lake").rglob("*.parquet"))


def test_write_refuses_flags_beside_a_config(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"destination_path": str(tmp_path / "d")}))
    (tmp_path / "catalog.json").write_text(json.dumps({"streams": []}))
    done = subprocess.run([CLI, "airbyte", "write", "--config", str(tmp_path / "config.json"),
                           "--catalog", str(tmp_path / "catalog.json"), "--compression", "zstd"],
                          capture_output=True, timeout=60)
    assert done.returncode != 0 and b"--config gives every setting" in done.stderr
