#include "CParquetBuildInfo.h"

#ifndef PARQUET_BUILD_HASH
#define PARQUET_BUILD_HASH "0000000"
#endif

const char *cparquet_build_hash(void) { return PARQUET_BUILD_HASH; }
