"""`parquet-writer airbyte` as an Airbyte destination, fed by a real Airbyte source.

The source is airbyte-source-faker (PyPI), run offline from its own venv (it pins numpy < 2):
`AIRBYTE_SOURCE_FAKER=.venv-airbyte/bin/source-faker`. The destination is the release binary:
`PARQUET_WRITER_CLI=.build-airbyte/release/parquet-writer` (`swift build -c release --product
parquet-writer`). Without either, every test here is skipped with the reason.

These tests drive the command-line form (`airbyte --catalog F --output D [flags]`, which is
`airbyte write` with its settings as flags); test_cli_airbyte_connector.py drives the connector
form (`spec`, `check`, `write --config --catalog`) and the Destinations V2 columns.

What is checked:
- a real pipe `source-faker read | parquet-writer airbyte` writes every record of every stream
  exactly once (DuckDB over each stream's dataset against the source's own output) and echoes
  every STATE, in order, byte for byte;
- each STATE is echoed only once the records before it are in committed files (counted with
  pyarrow at the moment the echo is read);
- malformed lines under --on-malformed fail (non-zero exit, no later state) and skip;
- SIGKILL mid-sync leaves only complete files holding at least the records before the last
  echoed state, and a sync resumed from that state ends with every record exactly once.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow.parquet as pq
import pytest

CLI = os.environ.get("PARQUET_WRITER_CLI", "")
FAKER = os.environ.get("AIRBYTE_SOURCE_FAKER", "")

pytestmark = [
    pytest.mark.skipif(
        not (CLI and os.access(CLI, os.X_OK)),
        reason="PARQUET_WRITER_CLI is not set to the parquet-writer binary "
        "(swift build -c release --product parquet-writer)",
    ),
    pytest.mark.skipif(
        not (FAKER and os.access(FAKER, os.X_OK)),
        reason="AIRBYTE_SOURCE_FAKER is not set to airbyte-source-faker's source-faker "
        "(python3 -m venv .venv-airbyte && .venv-airbyte/bin/pip install airbyte-source-faker)",
    ),
]

FAKER_CONFIG = {"count": 2000, "seed": 7, "records_per_slice": 500, "parallelism": 1}
STREAMS = ("products", "users", "purchases")


class Sync:
    """The source's configuration, configured catalog and captured `read` output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "config.json"
        self.config.write_text(json.dumps(FAKER_CONFIG))
        discovered = subprocess.run(
            [FAKER, "discover", "--config", str(self.config)], capture_output=True, text=True, timeout=300, check=True
        )
        catalog = next(
            json.loads(line)["catalog"]
            for line in discovered.stdout.splitlines()
            if line.startswith("{") and json.loads(line)["type"] == "CATALOG"
        )
        self.catalog = root / "catalog.json"
        self.catalog.write_text(json.dumps({"streams": [
            {"stream": s, "sync_mode": "incremental", "destination_sync_mode": "append"} for s in catalog["streams"]
        ]}))
        read = subprocess.run(self.source_command(), capture_output=True, timeout=600, check=True)
        # The source's own output, line by line as bytes (the destination echoes bytes).
        self.lines: list[bytes] = [line for line in read.stdout.split(b"\n") if line]

    def source_command(self) -> list[str]:
        return [FAKER, "read", "--config", str(self.config), "--catalog", str(self.catalog)]

    def destination_command(self, output: Path, *extra: str) -> list[str]:
        return [CLI, "airbyte", "--catalog", str(self.catalog), "--output", str(output), *extra]


@pytest.fixture(scope="module")
def sync(tmp_path_factory: pytest.TempPathFactory) -> Sync:
    return Sync(tmp_path_factory.mktemp("airbyte-source"))


def messages(lines: list[bytes]) -> Iterator[dict[str, Any]]:
    for line in lines:
        if line.startswith(b"{"):
            yield json.loads(line)


def states(lines: list[bytes]) -> list[bytes]:
    return [line for line in lines if line.startswith(b"{") and json.loads(line)["type"] == "STATE"]


def records_per_stream(lines: list[bytes]) -> dict[str, list[Any]]:
    """The `id` of every RECORD, per stream, in input order."""
    ids: dict[str, list[Any]] = {name: [] for name in STREAMS}
    for message in messages(lines):
        if message["type"] == "RECORD":
            ids.setdefault(message["record"]["stream"], []).append(message["record"]["data"]["id"])
    return ids


def counts_before_each_state(lines: list[bytes]) -> list[dict[str, int]]:
    """For each STATE in the input, the records of each stream before it."""
    counts: Counter[str] = Counter()
    result = []
    for message in messages(lines):
        if message["type"] == "RECORD":
            counts[message["record"]["stream"]] += 1
        elif message["type"] == "STATE":
            result.append(dict(counts))
    return result


def committed_rows(directory: Path) -> int:
    """Rows in the committed files of a dataset (from their footers)."""
    return sum(pq.read_metadata(path).num_rows for path in directory.rglob("*.parquet"))


def dataset_ids(output: Path, stream: str) -> list[Any]:
    return [row[0] for row in duckdb.sql(
        f"SELECT id FROM read_parquet('{output / stream}/**/*.parquet') ORDER BY id"
    ).fetchall()]


def feed(process: subprocess.Popen[bytes], lines: list[bytes], close: bool = True) -> threading.Thread:
    """Writes `lines` to the process's stdin from a thread (so its stdout can be read meanwhile)."""

    def run() -> None:
        assert process.stdin is not None
        try:
            for line in lines:
                process.stdin.write(line + b"\n")
            process.stdin.flush()
            if close:
                process.stdin.close()
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# -- a real pipe from the source ----------------------------------------------------------------


def test_source_piped_into_destination(sync: Sync, tmp_path: Path) -> None:
    output = tmp_path / "out"
    received = tmp_path / "received.jsonl"
    # Real OS pipes between the processes; tee keeps what the destination was given, since
    # the source's states carry the time and differ from the captured run's.
    shell = (
        f"set -o pipefail; {shlex.join(sync.source_command())} | tee {shlex.quote(str(received))} | "
        f"{shlex.join(sync.destination_command(output))}"
    )
    done = subprocess.run(["bash", "-c", shell], capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    given = [line for line in received.read_bytes().split(b"\n") if line]
    echoed = [line for line in done.stdout.split(b"\n") if line]

    # (1) every record of every stream exactly once, as the source sends them with this seed
    expected = records_per_stream(sync.lines)
    assert records_per_stream(given) == expected  # the same seed gives the same records
    for stream in STREAMS:
        ids = dataset_ids(output, stream)
        assert len(expected[stream]) > 0
        assert ids == sorted(expected[stream]), stream
        assert len(set(ids)) == len(ids)
    total = sum(len(v) for v in expected.values())
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{output}/*/**/*.parquet')").fetchall() == [(total,)]

    # (2) every STATE echoed, in order, byte for byte
    assert len(states(given)) >= 6
    assert states(echoed) == states(given)
    # LOG and TRACE pass through in order too; the destination adds its own LOG lines
    passed = [line for line in given if json.loads(line)["type"] in ("LOG", "TRACE", "STATE")]
    assert [line for line in echoed if line in set(passed)] == passed
    summary = [m["log"]["message"] for m in messages(echoed) if m["type"] == "LOG"][-1]
    assert summary == f"{total} records written in 3 streams, {len(states(given))} states echoed"
    assert b"records written" in done.stderr


# -- states are echoed only after the records before them are committed ------------------------------


def test_each_state_follows_its_records_into_committed_files(sync: Sync, tmp_path: Path) -> None:
    output = tmp_path / "out"
    process = subprocess.Popen(
        sync.destination_command(output, "--batch-rows", "100"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    feed(process, sync.lines)
    expected = counts_before_each_state(sync.lines)
    input_states = states(sync.lines)
    seen = 0
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip(b"\n")
        if json.loads(line)["type"] != "STATE":
            continue
        assert line == input_states[seen]
        # Read now, before the destination gets further: what is committed must already
        # hold every record before this state.
        for stream in STREAMS:
            rows = committed_rows(output / stream)
            assert rows >= expected[seen].get(stream, 0), (seen, stream, rows, expected[seen])
        seen += 1
    assert process.wait(timeout=300) == 0, process.stderr.read().decode() if process.stderr else ""
    assert seen == len(input_states)


# -- malformed lines ---------------------------------------------------------------------------------


def with_broken_line(lines: list[bytes], after_states: int, records_after: int) -> tuple[list[bytes], int]:
    """The input with a broken line some records after the n-th state; and its 1-based line number."""
    result: list[bytes] = []
    seen_states = 0
    records = 0
    inserted = 0
    for line in lines:
        result.append(line)
        kind = json.loads(line)["type"]
        if kind == "STATE":
            seen_states += 1
        elif kind == "RECORD" and seen_states >= after_states:
            records += 1
            if records == records_after and not inserted:
                result.append(b'{"type": "RECORD", "record": {"stream": "users", "data": {"id": ')
                inserted = len(result)
    assert inserted
    return result, inserted


def test_malformed_line_fails_the_sync(sync: Sync, tmp_path: Path) -> None:
    output = tmp_path / "out"
    lines, broken = with_broken_line(sync.lines, after_states=2, records_after=50)
    done = subprocess.run(
        sync.destination_command(output), input=b"\n".join(lines) + b"\n", capture_output=True, timeout=300
    )
    assert done.returncode == 1
    echoed = [line for line in done.stdout.split(b"\n") if line]
    before = lines[: broken - 1]
    assert states(echoed) == states(before)
    assert f"line {broken}".encode() in done.stderr
    trace = [m for m in messages(echoed) if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    assert len(trace) == 1 and f"line {broken}" in trace[0]["trace"]["error"]["message"]
    # Exactly the records before the last echoed state are committed; the rest were discarded.
    committed = counts_before_each_state(before)[-1]
    for stream in STREAMS:
        assert committed_rows(output / stream) == committed.get(stream, 0), stream
        assert not [p for p in (output / stream).rglob("*") if p.is_file() and p.suffix != ".parquet"]


def test_malformed_line_is_skipped_when_asked(sync: Sync, tmp_path: Path) -> None:
    output = tmp_path / "out"
    lines, broken = with_broken_line(sync.lines, after_states=2, records_after=50)
    done = subprocess.run(
        sync.destination_command(output, "--on-malformed", "skip"),
        input=b"\n".join(lines) + b"\n", capture_output=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    echoed = [line for line in done.stdout.split(b"\n") if line]
    assert states(echoed) == states(sync.lines)
    warnings = [m["log"]["message"] for m in messages(echoed) if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert len(warnings) == 1 and warnings[0].startswith(f"line {broken} skipped: not a valid Airbyte message")
    assert f"line {broken} skipped".encode() in done.stderr
    expected = records_per_stream(sync.lines)
    for stream in STREAMS:
        assert dataset_ids(output, stream) == sorted(expected[stream])


# -- a crash ----------------------------------------------------------------------------------------


def test_sigkill_leaves_complete_files_and_a_resumable_state(sync: Sync, tmp_path: Path) -> None:
    output = tmp_path / "out"
    # Give the destination the input up to some records past the 3rd state, and keep its stdin
    # open: it is then mid-sync, with records in open, uncommitted files, when it is killed.
    input_states = states(sync.lines)
    assert len(input_states) >= 4
    third = [i for i, line in enumerate(sync.lines) if line in set(input_states)][2]
    cut = third + 1
    while cut < len(sync.lines) and json.loads(sync.lines[cut])["type"] != "RECORD":
        cut += 1
    cut += 100
    process = subprocess.Popen(
        sync.destination_command(output, "--batch-rows", "10"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    feed(process, sync.lines[:cut], close=False)
    echoed: list[bytes] = []
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip(b"\n")
        if json.loads(line)["type"] == "STATE":
            echoed.append(line)
            if len(echoed) == 3:
                break
    # Let it write the records after the state into open files, then kill it.
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert echoed == input_states[:3]
    leftovers = [p for p in output.rglob("*") if p.is_file() and p.suffix != ".parquet"]
    assert leftovers, "the kill was expected to leave an unfinished temporary file"

    # Every *.parquet file is complete and readable; together they hold at least the records
    # before the last echoed state.
    last_state = third
    committed = counts_before_each_state(sync.lines[: last_state + 1])[-1]
    for stream in STREAMS:
        for path in (output / stream).rglob("*.parquet"):
            pq.read_table(path)
        assert committed_rows(output / stream) >= committed.get(stream, 0), stream

    # Resuming from the last echoed state (the records after it, as a source resumed from it
    # would send them) ends with every record exactly once, and the dead writer's
    # temporaries are cleaned up.
    done = subprocess.run(
        sync.destination_command(output), input=b"\n".join(sync.lines[last_state + 1:]) + b"\n",
        capture_output=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    expected = records_per_stream(sync.lines)
    for stream in STREAMS:
        assert dataset_ids(output, stream) == sorted(expected[stream]), stream
    assert not [p for p in output.rglob("*") if p.is_file() and p.suffix != ".parquet"]
