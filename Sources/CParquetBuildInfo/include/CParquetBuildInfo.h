#ifndef CPARQUET_BUILD_INFO_H
#define CPARQUET_BUILD_INFO_H

/// The abbreviated git commit the library was built from ("0000000" when unknown).
/// Package.swift passes it as PARQUET_BUILD_HASH when it compiles this target.
const char *cparquet_build_hash(void);

#endif
