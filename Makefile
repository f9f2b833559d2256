# parquet-writer build and test entry points.
#
#   make build         release build of every product
#   make test          every test: swift test (debug), the release interop generator, pytest Tests/Interop
#   make deps          system libraries (apt, only when missing) + the Python venv (.venv)
#   make clean         remove build products; `make distclean` also removes .venv
#   make test-swift | interop-gen | test-interop    the stages of `make test` on their own
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
SYSTEM_PKGS  := libzstd-dev libsnappy-dev zlib1g-dev
INTEROP_PRODUCT := parquet-interop-gen
PARQUET_INTEROP_GEN ?= $(abspath $(SCRATCH))/release/$(INTEROP_PRODUCT)
PYTEST_ARGS  ?=

.PHONY: build test test-swift interop-gen test-interop deps deps-system deps-python clean distclean help

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

build: deps-system
	$(SWIFT) build -c release $(SWIFT_FLAGS)

SWIFT_TEST      = $(SWIFT) test $(SWIFT_FLAGS)
# Release build of every product: the interop generator and libparquet_writer.so.
BUILD_INTEROP   = $(SWIFT) build -c release $(SWIFT_FLAGS)
PYTEST_INTEROP  = PARQUET_INTEROP_GEN="$(PARQUET_INTEROP_GEN)" \
                  PARQUET_WRITER_LIB="$(abspath $(SCRATCH))/release/libparquet_writer.so" \
                  $(VENV_PY) -m pytest Tests/Interop $(PYTEST_ARGS)

# Stops at the first failing stage; the pytest summary is the last line printed.
test: deps-system deps-python
	$(SWIFT_TEST)
	$(BUILD_INTEROP)
	$(PYTEST_INTEROP)

# The stages on their own.
test-swift: deps-system
	$(SWIFT_TEST)

interop-gen: deps-system
	$(BUILD_INTEROP)

# The pytest suite against whatever PARQUET_INTEROP_GEN names (default: the release generator).
test-interop: deps-python
	$(PYTEST_INTEROP)

deps: deps-system deps-python

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

clean:
	rm -rf $(SCRATCH) .pytest_cache Tests/Interop/.pytest_cache Tests/Interop/__pycache__

distclean: clean
	rm -rf $(VENV)
