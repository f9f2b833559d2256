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
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sched.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/// Frees the blocks of `length` bytes at `offset` without changing the file's size.
/// Returns 0, or -1 with errno set (EOPNOTSUPP where the file system has no holes).
static inline int cfs_punch_hole(int fd, long long offset, long long length) {
    return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
}

/// renameat2(2) by system call number, so a C library older than glibc 2.28 (or musl) that
/// lacks the wrapper still gets it. Returns 0, or -1 with errno set (ENOSYS on kernels
/// before 3.15, EINVAL where the file system does not support the flag).
static inline int cfs_renameat2(const char *from, const char *to, unsigned int flags) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/// Swaps two existing paths (files or directories) in one atomic step.
static inline int cfs_rename_exchange(const char *a, const char *b) {
    return cfs_renameat2(a, b, RENAME_EXCHANGE);
}

/// Renames `from` to `to` only if `to` does not exist (EEXIST otherwise), in one atomic step.
static inline int cfs_rename_noreplace(const char *from, const char *to) {
    return cfs_renameat2(from, to, RENAME_NOREPLACE);
}

/// copy_file_range(2) by system call number (glibc before 2.27 and musl lack the wrapper):
/// copies `length` bytes at `from_offset` of `from` to `to` at its file position (which it
/// advances), inside the kernel. Returns the bytes copied (possibly fewer; 0 at the source's
/// end), or -1 with errno set (ENOSYS, EXDEV, EINVAL or EOPNOTSUPP where the kernel or the
/// file systems cannot).
static inline long long cfs_copy_file_range(int from, long long from_offset, int to, long long length) {
#ifdef SYS_copy_file_range
    long long offset = from_offset;  // loff_t: a 64-bit offset
    return (long long)syscall(SYS_copy_file_range, from, &offset, to, NULL, (size_t)length, 0u);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/// The CPUs this process may run on (its affinity mask, which `taskset` and container
/// runtimes narrow), or 0 when the mask cannot be read.
static inline int cfs_available_cpus(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
    return CPU_COUNT(&set);
}
#endif

#endif
