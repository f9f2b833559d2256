"""Every code snippet of the READMEs and of the C header runs, or says where it is run
(issue 17): snippets cannot drift from the code again.

A fenced block in README.md or Bindings/python/README.md is checked when its language is
python, c, swift, sh or json (mermaid diagrams and unlabelled blocks, which show output, are
not code). An HTML comment right above the fence says how, like rustdoc's hidden lines:

    <!-- snippet: setup
    records = [...]          (python run first, in the same script: what the text assumes)
    -->
    <!-- snippet: run in Bindings/python/tests/test_binding_engines.py -->
    <!-- snippet: not run: REASON -->
    <!-- snippet: with spark -->     (run in the suite's one SparkSession, `spark` given)
    <!-- snippet: with pyairbyte --> (run by PyAirbyte's venv; the sh block above it is the wrapper)

With no comment, a python or c block runs as it stands. `run in` names a test that runs the
block: a Swift test file must hold the block's lines in order (the output path aside), a Python
test file must read the README. The header's example (the memory sink) is compiled and run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", REPO / "Bindings" / "python" / "README.md"]
CHECKED = {"python", "c", "swift", "sh", "json"}
LIBRARY = os.environ.get("PARQUET_WRITER_LIB") or str(REPO / ".build" / "release" / "libparquet_writer.so")
CLI = os.environ.get("PARQUET_WRITER_CLI") or str(REPO / ".build" / "release" / "parquet-writer")
FAKER = os.environ.get("AIRBYTE_SOURCE_FAKER", "")
PYAIRBYTE = os.environ.get("PYAIRBYTE_PYTHON", "")


@dataclass
class Snippet:
    doc: Path
    line: int
    language: str
    code: str
    directive: str  # "", "setup", "run in", "not run", "with spark", "with pyairbyte"
    argument: str   # the setup code, the path, the reason
    previous: Optional["Snippet"] = None

    @property
    def name(self) -> str:
        return f"{self.doc.relative_to(REPO)}:{self.line}"


FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.DOTALL | re.MULTILINE)


def snippets() -> List[Snippet]:
    found: List[Snippet] = []
    for doc in DOCS:
        text = doc.read_text()
        previous: Optional[Snippet] = None
        for match in FENCE.finditer(text):
            language = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            before = text[:match.start()].rstrip()
            directive, argument = "", ""
            start = before.rfind("<!-- snippet:")
            # The comment must end right above the fence (its first "-->" is the text's end).
            if start >= 0 and before.endswith("-->") and before.find("-->", start) == len(before) - 3:
                body = before[start + len("<!-- snippet:"):-3].strip(" ")
                for kind in ("setup", "run in", "not run:", "with spark", "with pyairbyte"):
                    if body.startswith(kind):
                        directive, argument = kind.rstrip(":"), body[len(kind):].strip("\n").rstrip()
                        break
                else:
                    raise AssertionError(f"{doc.name}:{line}: unknown snippet directive {body!r}")
                if directive == "setup" or directive == "with spark":
                    argument = textwrap.dedent(argument)
            snippet = Snippet(doc, line, language, match.group(2), directive, argument.strip(), previous)
            previous = snippet
            if language in CHECKED:
                found.append(snippet)
    return found


ALL = snippets()


def by_directive(language: str, *directives: str) -> List[Snippet]:
    return [s for s in ALL if s.language == language and s.directive in directives]


def test_every_snippet_is_accounted_for() -> None:
    """Each checked block runs here, or names the test that runs it, or says why it is not run."""
    for snippet in ALL:
        if snippet.language in ("python", "c"):
            continue  # run here unless a directive says otherwise (checked below)
        assert snippet.directive in ("run in", "not run"), (
            f"{snippet.name}: a {snippet.language} block needs '<!-- snippet: run in PATH -->' or "
            f"'<!-- snippet: not run: REASON -->'")
    for snippet in ALL:
        if snippet.directive == "not run":
            assert len(snippet.argument) > 10, f"{snippet.name}: say why it is not run"
        if snippet.directive == "run in":
            path = REPO / snippet.argument.split()[0]
            assert path.is_file(), f"{snippet.name}: {path} does not exist"
    assert len(ALL) >= 20, [s.name for s in ALL]  # the parser found the blocks


def normalized(line: str) -> str:
    """A line as compared with its test: indentation, trailing comments and the output path aside."""
    line = re.sub(r'"(out|orders|events)\.parquet"', "path", line.strip()).replace("@testable import", "import")
    return line.split("//")[0].rstrip() if "//" in line and '"' not in line.split("//")[1] else line


@pytest.mark.parametrize("snippet", [s for s in ALL if s.directive == "run in"], ids=lambda s: s.name)
def test_blocks_run_elsewhere_are_there(snippet: Snippet) -> None:
    path = REPO / snippet.argument.split()[0]
    source = path.read_text()
    if snippet.language == "swift":
        wanted = [normalized(line) for line in snippet.code.splitlines() if line.strip()]
        have = [normalized(line) for line in source.splitlines()]
        position = 0
        for line in wanted:
            assert line in have[position:], f"{snippet.name}: {path.name} lacks (in order) {line!r}"
            position = have.index(line, position) + 1
    elif snippet.language == "python":
        assert "README" in source, f"{snippet.name}: {path.name} does not read the README"
    else:
        first = next(line for line in snippet.code.splitlines() if line.strip()).split("#")[0].strip()
        assert first.split()[0] in source or "make wheel" in source or path.suffix == ".py", snippet.name


def environment(extra_path: List[str]) -> Dict[str, str]:
    env = dict(os.environ)
    env["PARQUET_WRITER_LIBRARY"] = LIBRARY
    env["PYTHONPATH"] = str(REPO / "Bindings" / "python")
    env["PATH"] = os.pathsep.join([*extra_path, env.get("PATH", "")])
    env["AIRBYTE_OFFLINE_MODE"] = "1"
    env["DO_NOT_TRACK"] = "1"
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    return env


def tools_path() -> List[str]:
    paths = [str(Path(CLI).parent)]
    if FAKER:
        paths.append(str(Path(FAKER).parent))
    return paths


@pytest.mark.parametrize("snippet", by_directive("python", "", "setup"), ids=lambda s: s.name)
def test_python_snippet_runs(snippet: Snippet, tmp_path: Path) -> None:
    script = (snippet.argument + "\n\n" if snippet.directive == "setup" else "") + snippet.code
    (tmp_path / "snippet.py").write_text(script)
    done = subprocess.run([sys.executable, "snippet.py"], cwd=tmp_path, env=environment(tools_path()),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{snippet.name}:\n{script}\n--- stderr:\n{done.stderr[-4000:]}"
    for written in tmp_path.rglob("*.parquet"):
        pq.ParquetFile(written)  # every file a snippet leaves is a readable Parquet file


@pytest.mark.parametrize("snippet", by_directive("python", "with spark"), ids=lambda s: s.name)
def test_spark_snippet_runs(snippet: Snippet, tmp_path: Path, spark: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARQUET_WRITER_LIBRARY", LIBRARY)
    sys.path.insert(0, str(REPO / "Bindings" / "python"))
    try:
        namespace: Dict[str, Any] = {"spark": spark}
        exec(compile(snippet.argument + "\n\n" + snippet.code, snippet.name, "exec"), namespace)
        check = namespace.get("check")
        assert callable(check), f"{snippet.name}: the setup defines check() to verify the result"
        check()
    finally:
        sys.path.remove(str(REPO / "Bindings" / "python"))


@pytest.mark.parametrize("snippet", by_directive("python", "with pyairbyte"), ids=lambda s: s.name)
def test_pyairbyte_snippet_runs(snippet: Snippet, tmp_path: Path) -> None:
    if not (PYAIRBYTE and os.access(PYAIRBYTE, os.X_OK) and FAKER):
        pytest.skip("PYAIRBYTE_PYTHON and AIRBYTE_SOURCE_FAKER are set by make test (make deps-pyairbyte)")
    wrapper = snippet.previous
    assert wrapper is not None and wrapper.language == "sh", f"{snippet.name}: the wrapper's sh block comes first"
    executable = tmp_path / "destination-parquet-writer"
    executable.write_text(wrapper.code)
    executable.chmod(0o755)
    (tmp_path / "snippet.py").write_text(snippet.code)
    env = environment(tools_path())
    done = subprocess.run([PYAIRBYTE, "snippet.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{snippet.name}:\n--- stderr:\n{done.stderr[-4000:]}"
    files = list((tmp_path / "lake").rglob("*.parquet"))
    assert files and sum(pq.ParquetFile(f).metadata.num_rows for f in files) > 0


def split_c(code: str) -> "tuple[str, str]":
    """File-scope lines (includes, types, functions: through the last `}` at column 0) and the
    statements that go in main()."""
    lines = code.splitlines()
    last = max((i for i, line in enumerate(lines) if line == "}" or line.startswith("#include")), default=-1)
    return "\n".join(lines[:last + 1]), "\n".join(lines[last + 1:])


def run_c(code: str, name: str, tmp_path: Path) -> None:
    top, body = split_c(code)
    program = ("#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
               f'#include "parquet_writer.h"\n{top}\n\nint main(void) {{\n{body}\n    return 0;\n}}\n')
    (tmp_path / "snippet.c").write_text(program)
    compiler = shutil.which(os.environ.get("CC", "cc")) or "cc"
    library = Path(LIBRARY)
    build = subprocess.run(
        [compiler, "-Wall", "-Wextra", "-Werror", f"-I{REPO / 'Include'}", "snippet.c", "-o", "snippet",
         f"-L{library.parent}", "-lparquet_writer", f"-Wl,-rpath,{library.parent}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, f"{name}:\n{program}\n{build.stderr}"
    done = subprocess.run(["./snippet"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{name}: exit {done.returncode}\n{done.stderr}"


@pytest.mark.parametrize("snippet", by_directive("c", ""), ids=lambda s: s.name)
def test_c_snippet_runs(snippet: Snippet, tmp_path: Path) -> None:
    run_c(snippet.code, snippet.name, tmp_path)
    written = list(tmp_path.glob("*.parquet"))
    assert written, f"{snippet.name} wrote no file"
    for path in written:
        assert pq.read_table(path).num_rows > 0


def header_example() -> str:
    """The header's example: the comment lines after 'Example:' up to the blank line before
    the pointer to Bindings/c/example.c, without the comment's ` * ` margin."""
    header = (REPO / "Include" / "parquet_writer.h").read_text()
    block = header.split("Example: a file held in memory", 1)[1].split("Bindings/c/example.c runs this sink", 1)[0]
    lines = [re.sub(r"^ \*( {3})?", "", line) for line in block.splitlines()[1:]]
    return textwrap.dedent("\n".join(lines)).strip() + "\n"


def test_header_example_runs(tmp_path: Path) -> None:
    code = header_example()
    assert "create_writer_with_sink" in code and "struct memory" in code
    run_c(code, "parquet_writer.h example", tmp_path)
