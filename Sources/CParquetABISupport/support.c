#include "CParquetABISupport.h"
/* Only for the layout checks below: the public header's struct parquet_writer_sink. */
#include "../../Include/parquet_writer.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The Swift side reads a caller's sink through struct cparquet_writer_sink: the two must agree. */
#define SAME_MEMBER(name)                                                                     \
    _Static_assert(offsetof(struct parquet_writer_sink, name) ==                              \
                       offsetof(struct cparquet_writer_sink, name) &&                         \
                       sizeof(((struct parquet_writer_sink *)0)->name) ==                     \
                           sizeof(((struct cparquet_writer_sink *)0)->name),                  \
                   "struct parquet_writer_sink and struct cparquet_writer_sink differ at " #name)
SAME_MEMBER(context);
SAME_MEMBER(open);
SAME_MEMBER(write);
SAME_MEMBER(finish);
SAME_MEMBER(abort);
SAME_MEMBER(release);
_Static_assert(sizeof(struct parquet_writer_sink) == sizeof(struct cparquet_writer_sink),
               "struct parquet_writer_sink and struct cparquet_writer_sink differ in size");
#undef SAME_MEMBER

/* The text of the calling thread's last error (malloc'd), or NULL for none. The pthread key
 * exists only so the text is freed when the thread exits. */
static _Thread_local char *last_error_text;
/* Set when the last error could not be copied for want of memory. */
static _Thread_local int last_error_lost;
static pthread_key_t last_error_key;
static pthread_once_t last_error_once = PTHREAD_ONCE_INIT;
static int last_error_key_ok;

static const char no_error[] = "null";
static const char out_of_memory[] =
    "{\"code\":\"internal_error\",\"message\":\"out of memory while recording an error\","
    "\"column\":null,\"row\":null,\"offset\":null}";

/* Runs on the exiting thread, whose _Thread_local storage is still there. */
static void free_at_thread_exit(void *text) {
    if (text == last_error_text) last_error_text = NULL;
    free(text);
}

static void make_key(void) {
    last_error_key_ok = pthread_key_create(&last_error_key, free_at_thread_exit) == 0;
}

static void store(char *text) {
    free(last_error_text);
    last_error_text = text;
    pthread_once(&last_error_once, make_key);
    if (last_error_key_ok) pthread_setspecific(last_error_key, text);
}

int cparquet_set_last_error(const char *text, size_t length) {
    char *copy = malloc(length + 1);
    if (copy == NULL) {
        store(NULL);
        last_error_lost = 1;
        return -1;
    }
    last_error_lost = 0;
    memcpy(copy, text, length);
    copy[length] = '\0';
    store(copy);
    return 0;
}

void cparquet_clear_last_error(void) {
    last_error_lost = 0;
    if (last_error_text != NULL) store(NULL);
}

const char *cparquet_last_error(void) {
    if (last_error_text != NULL) return last_error_text;
    return last_error_lost ? out_of_memory : no_error;
}
