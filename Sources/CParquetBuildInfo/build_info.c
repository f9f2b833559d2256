#include "CParquetBuildInfo.h"

#ifndef PARQUET_BUILD_HASH
#define PARQUET_BUILD_HASH "0000000"
#endif

#ifndef PARQUET_VERSION
#error "PARQUET_VERSION is not defined: Package.swift defines it from the VERSION file"
#endif

const char *cparquet_build_hash(void) { return PARQUET_BUILD_HASH; }

const char *cparquet_version(void) { return PARQUET_VERSION; }

const char *cparquet_version_text(void) { return PARQUET_VERSION " (build " PARQUET_BUILD_HASH ")"; }
