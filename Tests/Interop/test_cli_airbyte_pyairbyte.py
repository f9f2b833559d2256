"""PyAirbyte running `parquet-writer airbyte` as a local executable destination, fed by source-faker.

PyAirbyte (`pip install airbyte`) is a heavy install with pins of its own, so it lives in its
own venv (`make deps-pyairbyte`: .venv-pyairbyte, about 80 s to install) and runs here as a
subprocess with that venv's python (PYAIRBYTE_PYTHON). It runs offline
(AIRBYTE_OFFLINE_MODE=1: no connector registry, no telemetry). Without it these tests are
skipped; the protocol-driven tests in test_cli_airbyte_connector.py cover the same ground.

What is checked: PyAirbyte's `check` and `write` succeed with our binary as the destination
(behind a two-line wrapper: PyAirbyte runs `<executable> spec|check|write ...`); every source
record lands once with the Destinations V2 columns and the generation PyAirbyte gives; its
`replace` strategy (destination_sync_mode overwrite) leaves only the last sync's generation; its
`auto` strategy on streams with a primary key asks for append_dedup, which fails clearly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

CLI = os.environ.get("PARQUET_WRITER_CLI", "")
FAKER = os.environ.get("AIRBYTE_SOURCE_FAKER", "")
PYAIRBYTE = os.environ.get("PYAIRBYTE_PYTHON", "")

pytestmark = [
    pytest.mark.skipif(not (CLI and os.access(CLI, os.X_OK)), reason="PARQUET_WRITER_CLI is not set (make build)"),
    pytest.mark.skipif(not (FAKER and os.access(FAKER, os.X_OK)), reason="AIRBYTE_SOURCE_FAKER is not set (make deps-airbyte)"),
    pytest.mark.skipif(
        not (PYAIRBYTE and os.access(PYAIRBYTE, os.X_OK)),
        reason="PYAIRBYTE_PYTHON is not set to a python with PyAirbyte (make deps-pyairbyte)"),
]

STREAMS = ("products", "users", "purchases")

# Run by PyAirbyte's python: reads with source-faker and writes into our destination, then
# prints the records each stream was sent as JSON.
SCRIPT = r"""
import json, sys
import airbyte as ab
from airbyte.strategies import WriteStrategy

faker, destination, lake, strategy, seed = sys.argv[1:6]
source = ab.get_source("source-faker", config={"count": 150, "seed": int(seed), "parallelism": 1},
                       local_executable=faker)
source.select_all_streams()
dest = ab.get_destination("destination-parquet-writer", config={"destination_path": lake},
                          local_executable=destination)
dest.check()
try:
    dest.write(source, cache=False, write_strategy=WriteStrategy(strategy))
except Exception as error:  # the failure is the outcome under test
    print(json.dumps({"error": str(error)}))
    sys.exit(0)
print(json.dumps({"ok": True}))
"""


def run_pyairbyte(tmp_path: Path, lake: Path, strategy: str, seed: int) -> dict[str, object]:
    wrapper = tmp_path / "destination-parquet-writer"
    wrapper.write_text(f'#!/bin/sh\nexec "{CLI}" airbyte "$@"\n')
    wrapper.chmod(0o755)
    script = tmp_path / "pyairbyte_sync.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, AIRBYTE_OFFLINE_MODE="1", DO_NOT_TRACK="1",
               AIRBYTE_LOGGING_ROOT=str(tmp_path / "logs"), AIRBYTE_CACHE_ROOT=str(tmp_path / "cache"))
    done = subprocess.run([PYAIRBYTE, str(script), FAKER, str(wrapper), str(lake), strategy, str(seed)],
                          capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def counts(lake: Path) -> dict[str, list[tuple[int, int]]]:
    return {stream: duckdb.sql(
        f"SELECT _airbyte_generation_id, count(*) FROM read_parquet('{lake / stream}/**/*.parquet') GROUP BY ALL ORDER BY 1"
    ).fetchall() for stream in STREAMS}


def test_pyairbyte_runs_the_destination(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    assert run_pyairbyte(tmp_path, lake, "append", seed=1) == {"ok": True}
    first = counts(lake)
    assert all(len(rows) == 1 and rows[0][1] > 0 for rows in first.values()), first
    con = duckdb.connect()
    for stream in STREAMS:
        table = f"read_parquet('{lake / stream}/**/*.parquet')"
        described = dict((r[0], r[1]) for r in con.sql(f"DESCRIBE SELECT * FROM {table}").fetchall())
        assert described["_airbyte_raw_id"] == "VARCHAR"
        assert described["_airbyte_extracted_at"] == "TIMESTAMP WITH TIME ZONE"
        assert described["_airbyte_meta"] == "JSON" and described["_airbyte_generation_id"] == "BIGINT"
        total, ids, raw_ids = con.sql(f"SELECT count(*), count(DISTINCT id), count(DISTINCT _airbyte_raw_id) FROM {table}").fetchall()[0]
        assert total == ids == raw_ids

    # replace (overwrite): only the new sync's generation is left.
    assert run_pyairbyte(tmp_path, lake, "replace", seed=2) == {"ok": True}
    replaced = counts(lake)
    assert all(len(rows) == 1 for rows in replaced.values()), replaced
    # Replaced, not appended to: both syncs made ids 1..n, so an append would repeat them.
    for stream in STREAMS:
        total, ids = duckdb.sql(
            f"SELECT count(*), count(DISTINCT id) FROM read_parquet('{lake / stream}/**/*.parquet')").fetchall()[0]
        assert total == ids, stream
    assert sorted(p.name for p in lake.iterdir()) == sorted(STREAMS)

    # auto picks append_dedup for streams with a primary key: refused, the data untouched.
    outcome = run_pyairbyte(tmp_path, lake, "auto", seed=3)
    assert "error" in outcome
    assert counts(lake) == replaced
    logs = "".join(p.read_text(errors="replace") for p in (tmp_path / "logs").rglob("*.log"))
    assert "'append_dedup' is not supported" in logs
