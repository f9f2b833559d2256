"""Fixtures of the interop suite: the generator under test and the shared corpus.

The generator is `PARQUET_INTEROP_GEN` (a command line; a leading `python`/`python3` or a bare
`*.py` script runs with this interpreter, i.e. the venv's) or, by default,
`.build/release/parquet-interop-gen`, built with `swift build -c release --product
parquet-interop-gen` when it is missing.

With the pyarrow reference writer (`Tests/Interop/reference_writer.py`, or any generator when
PARQUET_INTEROP_REFERENCE=1) tests marked `ours_only` are skipped, unless
PARQUET_INTEROP_FORCE_OURS_ONLY=1 (useful to see how the reference fares on them).

Spark (`spark`) is ONE local SparkSession for the whole pytest process, started on first use by a
Spark test only (a JVM costs ~10 s and ~0.5 GB) and stopped at session end; tests change its conf
per query (interop_readers.spark_conf).
"""

from __future__ import annotations

import os
from pathlib import Path
import shlex
import shutil
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from interop_corpus import corpus
from interop_gen import FORCE_OURS_ONLY, GEN_ARGV, IS_REFERENCE, Generator, Written, ensure_built

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def pytest_report_header(config: pytest.Config) -> list[str]:
    kind = "pyarrow reference writer" if IS_REFERENCE else "writer under test"
    return [f"interop generator ({kind}): {shlex.join(GEN_ARGV)}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not IS_REFERENCE or FORCE_OURS_ONLY:
        return
    skip = pytest.mark.skip(reason="ours_only: expectation specific to the Swift writer")
    for item in items:
        if "ours_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def generator() -> Generator:
    ensure_built(GEN_ARGV)
    return Generator(GEN_ARGV, IS_REFERENCE)


@pytest.fixture(scope="session")
def corpus_files(generator: Generator, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Written]:
    """Every corpus file (interop_corpus.py), written in one generator invocation."""
    files = corpus()
    reports = generator.write(files, tmp_path_factory.mktemp("corpus"))
    return {f.name: Written(f, reports[f.name]) for f in files}


@pytest.fixture(scope="module")
def cli() -> str:
    """The release `parquet-writer` binary (PARQUET_WRITER_CLI, set by the Makefile)."""
    path = os.environ.get("PARQUET_WRITER_CLI")
    if not path:
        pytest.skip("PARQUET_WRITER_CLI is not set (the Makefile sets it to the release parquet-writer binary)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.skip(f"PARQUET_WRITER_CLI={path} is not an executable file; build it with "
                    "`swift build -c release --product parquet-writer`")
    return path


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """The one SparkSession: local[1], no UI, 512 MB driver, session time zone UTC, quiet."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs a Java runtime (17+): `make deps-system` installs "
                    "openjdk-17-jre-headless", pytrace=False)
    with warnings.catch_warnings():
        # PySpark 4.3 warns that it does not fully support pandas >= 3 at import; the suite
        # uses no pandas path of PySpark (collect() builds plain Python rows).
        warnings.simplefilter("ignore", FutureWarning)
        from pyspark.sql import SparkSession
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[1]")
        .appName("parquet-writer-interop")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        # Python workers import the binding and load the library (the README's Spark recipe,
        # test_doc_snippets.py): the workers' environment is fixed when the session starts.
        .config("spark.executorEnv.PYTHONPATH", str(Path(__file__).resolve().parents[2] / "Bindings" / "python"))
        .config("spark.executorEnv.PARQUET_WRITER_LIBRARY",
                os.environ.get("PARQUET_WRITER_LIBRARY") or os.environ.get("PARQUET_WRITER_LIB") or "")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
