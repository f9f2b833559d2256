#ifndef CPARQUET_BUILD_INFO_H
#define CPARQUET_BUILD_INFO_H

/// The abbreviated git commit the library was built from ("0000000" when unknown).
/// Package.swift passes it as PARQUET_BUILD_HASH when it compiles this target.
const char *cparquet_build_hash(void);

/// The project's version, "MAJOR.MINOR.PATCH": the repository's VERSION file, which
/// Package.swift passes as PARQUET_VERSION.
const char *cparquet_version(void);

/// "<version> (build <hash>)", a static string: what parquet_writer_version() returns.
const char *cparquet_version_text(void);

#endif
