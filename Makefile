# parquet-writer build and test entry points.
#
#   make build         release build of every product, Swift runtime linked statically:
#                      libparquet_writer.so (exports only the C ABI of Include/parquet_writer.h)
#                      and the interop generator
#   make test          every test: swift test (debug), the release build, the C example, then
#                      pytest over Tests/Interop, Tests/ABI and Bindings/python/tests (if present)
#   make install       the release build installed under $(DESTDIR)$(PREFIX) (default /usr/local):
#                      bin/parquet-writer, lib/libparquet_writer.so, include/parquet_writer.h
#   make c-example     build Bindings/c/example.c against the .so (-Wall -Wextra -Werror) and run it
#   make deps          system libraries (apt, only when missing), the Python venv (.venv) and the
#                      Airbyte source for the end-to-end test (.venv-airbyte)
#   make clean         remove build products; `make distclean` also removes .venv
#   make test-swift | interop-gen | test-interop | test-abi    the stages of `make test` on their own
#
# Knobs (environment or command line):
#   SCRATCH=.build-foo        SwiftPM scratch path (default .build)
#   PARQUET_INTEROP_GEN=cmd   generator command used by the interop suite
#                             (e.g. "python Tests/Interop/reference_writer.py")
#   PYTEST_ARGS="-k matrix"   extra pytest arguments

SHELL := /bin/bash
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

SWIFT        ?= swift
PYTHON       ?= python3
SCRATCH      ?= .build
SWIFT_FLAGS  := --scratch-path $(SCRATCH)
VENV         := .venv
VENV_PY      := $(VENV)/bin/python
VENV_STAMP   := $(VENV)/.stamp
REQUIREMENTS := Tests/Interop/requirements.txt
SYSTEM_PKGS  := libzstd-dev libsnappy-dev zlib1g-dev binutils
INTEROP_PRODUCT := parquet-interop-gen
PARQUET_INTEROP_GEN ?= $(abspath $(SCRATCH))/release/$(INTEROP_PRODUCT)
PYTEST_ARGS  ?=

# The C ABI library: the Swift runtime linked in statically (it needs only libc, libstdc++,
# libm, libzstd, libsnappy, zlib at run time) and a version script that exports the nine
# entry points and hides everything else (Swift modules, runtime, C helpers). Both flags go to
# the one release build, so the interop generator is built the same way.
LIBRARY        := $(abspath $(SCRATCH))/release/libparquet_writer.so
# The command-line tool (convert, inspect, airbyte), from the same release build.
CLI            := $(abspath $(SCRATCH))/release/parquet-writer
EXPORTS_MAP    := $(abspath Include/parquet_writer.map)
RELEASE_FLAGS  := -Xswiftc -static-stdlib -Xlinker --version-script=$(EXPORTS_MAP) -Xlinker --exclude-libs=ALL
ifeq ($(origin CC),default)
CC := $(or $(shell command -v cc),$(shell command -v clang),$(shell command -v gcc),cc)
endif
C_EXAMPLE_DIR  := $(abspath $(SCRATCH))/c-example
# The pytest suites, each run with its own pytest.ini/conftest (one pytest run per folder).
PYTEST_SUITES  := Tests/Interop Tests/ABI $(wildcard Bindings/python/tests)

.PHONY: build test test-swift interop-gen test-interop test-abi c-example deps deps-system deps-python deps-airbyte clean distclean help install install-check

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

build: deps-system
	$(SWIFT) build -c release $(SWIFT_FLAGS) $(RELEASE_FLAGS)

# The command-line tool, the library and its header. Everything Swift is linked in statically,
# so the files need only libc, libstdc++, libm, libzstd, libsnappy and zlib where they land.
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL_FILES = install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib" "$(DESTDIR)$(PREFIX)/include" && \
                install -m 0755 "$(CLI)" "$(DESTDIR)$(PREFIX)/bin/parquet-writer" && \
                install -m 0755 "$(LIBRARY)" "$(DESTDIR)$(PREFIX)/lib/libparquet_writer.so" && \
                install -m 0644 Include/parquet_writer.h "$(DESTDIR)$(PREFIX)/include/parquet_writer.h"
install: build
	$(INSTALL_FILES)

# `make test` installs into a scratch root and runs the installed tool from there.
INSTALL_CHECK_ROOT := $(abspath $(SCRATCH))/install-check
install-check:
	rm -rf "$(INSTALL_CHECK_ROOT)"
	$(MAKE) --no-print-directory DESTDIR="$(INSTALL_CHECK_ROOT)" PREFIX=/usr install-files
	"$(INSTALL_CHECK_ROOT)/usr/bin/parquet-writer" --version
	"$(INSTALL_CHECK_ROOT)/usr/bin/parquet-writer" --help >/dev/null
	test -f "$(INSTALL_CHECK_ROOT)/usr/lib/libparquet_writer.so" && test -f "$(INSTALL_CHECK_ROOT)/usr/include/parquet_writer.h"

.PHONY: install-files
install-files:
	$(INSTALL_FILES)

SWIFT_TEST      = $(SWIFT) test $(SWIFT_FLAGS)
# Release build of every product, once: the interop generator and libparquet_writer.so.
BUILD_INTEROP   = $(SWIFT) build -c release $(SWIFT_FLAGS) $(RELEASE_FLAGS)
PYTEST_ENV      = PARQUET_INTEROP_GEN="$(PARQUET_INTEROP_GEN)" PARQUET_WRITER_LIB="$(LIBRARY)" \
                  PARQUET_WRITER_CLI="$(CLI)" AIRBYTE_SOURCE_FAKER="$(AIRBYTE_FAKER)"
PYTEST_INTEROP  = $(PYTEST_ENV) $(VENV_PY) -m pytest Tests/Interop $(PYTEST_ARGS)
# Every suite in turn, stopping at the first failure. Exit status 5 ("no tests collected") is
# tolerated only when PYTEST_ARGS selects tests (e.g. -k matching one suite only).
PYTEST_ALL      = for suite in $(PYTEST_SUITES); do \
                    $(PYTEST_ENV) $(VENV_PY) -m pytest "$$suite" $(PYTEST_ARGS) || { \
                      rc=$$?; if [ $$rc -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
                        echo "(no tests selected in $$suite)"; else exit $$rc; fi; }; \
                  done
# Builds Bindings/c/example.c against the release .so (rpath to it) and runs it in its own
# directory; it exits non-zero when any step misbehaves.
RUN_C_EXAMPLE   = mkdir -p "$(C_EXAMPLE_DIR)" && \
                  $(CC) -Wall -Wextra -Werror -IInclude Bindings/c/example.c -o "$(C_EXAMPLE_DIR)/example" \
                    -L"$(dir $(LIBRARY))" -lparquet_writer -Wl,-rpath,"$(dir $(LIBRARY))" && \
                  rm -f "$(C_EXAMPLE_DIR)/example.parquet" && \
                  cd "$(C_EXAMPLE_DIR)" && ./example example.parquet

# Stops at the first failing stage; the last pytest summary is the last line printed.
test: deps-system deps-python deps-airbyte
	$(SWIFT_TEST)
	$(BUILD_INTEROP)
	$(MAKE) --no-print-directory install-check
	$(RUN_C_EXAMPLE)
	$(PYTEST_ALL)

# The stages on their own.
test-swift: deps-system
	$(SWIFT_TEST)

interop-gen: deps-system
	$(BUILD_INTEROP)

# The pytest suite against whatever PARQUET_INTEROP_GEN names (default: the release generator).
test-interop: deps-python
	$(PYTEST_INTEROP)

# The C ABI suite (ctypes straight on the .so) against the release library.
test-abi: deps-python
	$(PYTEST_ENV) $(VENV_PY) -m pytest Tests/ABI $(PYTEST_ARGS)

c-example: build
	$(RUN_C_EXAMPLE)

deps: deps-system deps-python deps-airbyte

# A real Airbyte source that runs offline, for the end-to-end test (Tests/ABI/test_abi_schemas.py).
# Its own venv: through airbyte-cdk it pins numpy<2, which the readers' venv must not get.
AIRBYTE_VENV   := .venv-airbyte
AIRBYTE_FAKER  := $(abspath $(AIRBYTE_VENV))/bin/source-faker
AIRBYTE_STAMP  := $(AIRBYTE_VENV)/.stamp
deps-airbyte: $(AIRBYTE_STAMP)
$(AIRBYTE_STAMP):
	@if [ ! -x "$(AIRBYTE_VENV)/bin/python" ]; then echo "creating $(AIRBYTE_VENV)"; $(PYTHON) -m venv $(AIRBYTE_VENV); fi
	$(AIRBYTE_VENV)/bin/python -m pip install --disable-pip-version-check -q --upgrade pip
	$(AIRBYTE_VENV)/bin/python -m pip install --disable-pip-version-check -q "airbyte-source-faker>=7.2"
	@touch $@

# apt only for what `dpkg -s` says is missing; sudo only when not root.
deps-system:
	@missing=""; \
	for p in $(SYSTEM_PKGS); do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  echo "installing:$$missing"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

deps-python: $(VENV_STAMP)

# Re-run when the venv is missing or requirements.txt is newer than the stamp.
$(VENV_STAMP): $(REQUIREMENTS)
	@if [ ! -x "$(VENV_PY)" ]; then echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); fi
	$(VENV_PY) -m pip install --disable-pip-version-check -q --upgrade pip
	$(VENV_PY) -m pip install --disable-pip-version-check -q -r $(REQUIREMENTS)
	@touch $@

# The Python binding (Bindings/python): its pytest suite against the built libparquet_writer.so,
# and the streaming demo (installs the binding into .venv, then runs examples/demo_pipeline.py;
# DEMO_ARGS="--rows 200000 --compare" to change it).
.PHONY: demo test-python
DEMO_ARGS ?= --compare

test-python: deps-python build
	PARQUET_WRITER_LIBRARY="$(LIBRARY)" $(VENV_PY) -m pytest Bindings/python/tests $(PYTEST_ARGS)

demo: deps-python build
	$(VENV_PY) -m pip install --disable-pip-version-check -q ./Bindings/python
	PARQUET_WRITER_LIBRARY="$(LIBRARY)" $(VENV_PY) Bindings/python/examples/demo_pipeline.py \
	  --out out/transactions.parquet $(DEMO_ARGS)

clean:
	rm -rf $(SCRATCH) .pytest_cache Tests/Interop/.pytest_cache Tests/Interop/__pycache__ \
	  Tests/ABI/.pytest_cache Tests/ABI/__pycache__

distclean: clean
	rm -rf $(VENV) $(AIRBYTE_VENV)

# Benchmark (Benchmarks/README.md): generated NDJSON transactions -> Parquet (zstd), this library
# (C ABI and Python binding) against DuckDB, polars and pyarrow, each in its own process; prints
# rows/s, MB/s, peak RSS, output size and the goals. Knobs: BENCH_ROWS, BENCH_REPEAT (best of N),
# BENCH_ONLY=ours_bytes,duckdb_t1,..., BENCH_SEED, BENCH_INT64_ROWS, BENCH_SAVE=1 (update
# Benchmarks/RESULTS.md). Runs the Swift typed case if $(SCRATCH)/release/parquet-bench exists.
.PHONY: bench
BENCH_ROWS   ?= 1000000
BENCH_REPEAT ?= 1
bench: deps-python build
	BENCH_ROWS=$(BENCH_ROWS) BENCH_REPEAT=$(BENCH_REPEAT) SCRATCH="$(SCRATCH)" \
	  PARQUET_WRITER_LIBRARY="$(LIBRARY)" $(VENV_PY) Benchmarks/bench.py
