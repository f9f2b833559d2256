#ifndef CPARQUET_ABI_SUPPORT_H
#define CPARQUET_ABI_SUPPORT_H

/* C helpers of the C ABI (ParquetCABI): per-thread last-error storage. Hidden from the
 * shared library's dynamic symbol table; only the entry points in Include/parquet_writer.h
 * are exported. */

#include <stddef.h>
#include <stdint.h>

#define CPARQUET_HIDDEN __attribute__((visibility("hidden")))

#ifdef __cplusplus
extern "C" {
#endif

/* Replaces the calling thread's last error with a copy of `length` bytes of `text` (JSON).
 * Returns 0, or -1 when memory ran out (the last error is then a fixed out-of-memory text). */
CPARQUET_HIDDEN int cparquet_set_last_error(const char *text, size_t length);

/* Forgets the calling thread's last error (last_error() then returns "null"). */
CPARQUET_HIDDEN void cparquet_clear_last_error(void);

/* The calling thread's last error: owned by the library, valid until the next call that sets
 * or clears it on this thread. Never NULL. */
CPARQUET_HIDDEN const char *cparquet_last_error(void);

/* struct parquet_writer_sink of Include/parquet_writer.h, member for member, under a name of
 * its own: the public header also declares the entry points that the Swift module defines, so
 * Swift imports this copy instead. support.c checks at compile time that the two layouts are
 * the same. */
struct cparquet_writer_sink {
    void *context;
    int (*open)(void *context, const char *path, void **file);
    int (*write)(void *context, void *file, const uint8_t *bytes, size_t length);
    int (*finish)(void *context, void *file);
    void (*abort)(void *context, void *file);
    void (*release)(void *context);
};

#ifdef __cplusplus
}
#endif

#endif
