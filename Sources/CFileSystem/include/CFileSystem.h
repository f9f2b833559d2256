// System calls Swift's Glibc module does not import (declared only under _GNU_SOURCE),
// wrapped so the file layer (Sources/Parquet/File/FileSystemCalls.swift) can make them.
#ifndef CFILESYSTEM_H
#define CFILESYSTEM_H

#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <errno.h>

/// Frees the blocks of `length` bytes at `offset` without changing the file's size.
/// Returns 0, or -1 with errno set (EOPNOTSUPP where the file system has no holes).
static inline int cfs_punch_hole(int fd, long long offset, long long length) {
    return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}
#endif

#endif
