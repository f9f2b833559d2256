/*
 * A small C program over libparquet_writer.so: create a writer, write two batches (the second
 * with a bad record, skipped), close it and print the summary, freeing everything; then show
 * how errors come back (a bad configuration, a call on a closed writer); then write a file
 * into memory through a sink of callbacks (create_writer_with_sink).
 *
 *   make c-example        builds it with -Wall -Wextra -Werror and runs it
 *   ./example [out.parquet]
 *
 * Exit status 0 when every step behaved as expected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parquet_writer.h"

/* A sink that keeps one output in memory (create_writer_with_sink). The context is the
 * memory itself; each callback returns 0 for success. */
struct memory {
    uint8_t *bytes;
    size_t length;
    int finished;
    int released;
};

static int memory_open(void *context, const char *path, void **file) {
    (void)path; /* the configuration's "path": a name only, nothing is created there */
    *file = context;
    return 0;
}

static int memory_write(void *context, void *file, const uint8_t *bytes, size_t length) {
    (void)context;
    struct memory *m = file;
    uint8_t *grown = realloc(m->bytes, m->length + length);
    if (grown == NULL) return 1; /* the writer then fails with io_error and calls abort */
    memcpy(grown + m->length, bytes, length);
    m->bytes = grown;
    m->length += length;
    return 0;
}

static int memory_finish(void *context, void *file) {
    (void)context;
    ((struct memory *)file)->finished = 1;
    return 0;
}

static void memory_abort(void *context, void *file) {
    (void)context;
    struct memory *m = file;
    free(m->bytes);
    m->bytes = NULL;
    m->length = 0;
}

static void memory_release(void *context) {
    ((struct memory *)context)->released = 1;
}

/* Prints a result string, checks whether it reports success, and frees it. */
static int print_result(const char *label, char *result) {
    if (result == NULL) {
        fprintf(stderr, "%s: out of memory\n", label);
        return 0;
    }
    printf("%s: %s\n", label, result);
    int ok = strncmp(result, "{\"ok\":true", 10) == 0;
    free_string(result);
    return ok;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "example.parquet";
    int failures = 0;

    /* The header and the library loaded at run time must be the same version. */
    const char *version = parquet_writer_version();
    printf("libparquet_writer %s (header %s)\n", version, PARQUET_WRITER_VERSION);
    if (strncmp(version, PARQUET_WRITER_VERSION " ", strlen(PARQUET_WRITER_VERSION) + 1) != 0) {
        fprintf(stderr, "the library is not the header's version %s\n", PARQUET_WRITER_VERSION);
        failures++;
    }

    /* The configuration: where, which columns, and what to do with invalid records. */
    char config[4096];
    int length = snprintf(config, sizeof config,
        "{\"path\": \"%s\","
        " \"schema\": {\"fields\": ["
        "   {\"name\": \"id\", \"type\": \"int64\", \"nullable\": false},"
        "   {\"name\": \"name\", \"type\": \"string\"},"
        "   {\"name\": \"price\", \"type\": \"decimal\", \"precision\": 10, \"scale\": 2},"
        "   {\"name\": \"at\", \"type\": \"timestamp_ms\"}]},"
        " \"compression\": \"zstd\", \"on_invalid\": \"skip\","
        " \"metadata\": {\"written_by\": \"example.c\"}}",
        path);
    if (length < 0 || (size_t)length >= sizeof config) {
        fprintf(stderr, "path too long\n");
        return 2;
    }

    parquet_writer *writer = create_writer(config);
    if (writer == NULL) {
        fprintf(stderr, "create_writer failed: %s\n", last_error());
        return 1;
    }

    /* Batch 1: a JSON array of records. */
    failures += !print_result("batch 1", write_batch(writer,
        "[{\"id\": 1, \"name\": \"apple\", \"price\": \"1.25\", \"at\": \"2024-01-02T03:04:05.678Z\"},"
        " {\"id\": 2, \"name\": null, \"price\": 10.5, \"at\": 1700000000000}]"));

    /* Batch 2: NDJSON, not NUL-terminated, with one bad record (id is not an integer) that
       "skip" leaves out and reports with its row, column and byte offset. */
    static const char ndjson[] =
        "{\"id\": 3, \"name\": \"cherry\", \"price\": \"-0.01\"}\n"
        "{\"id\": \"four\", \"name\": \"bad\"}\n"
        "{\"id\": 5, \"name\": \"elderberry\"}\n"
        "trailing bytes the length below leaves out";
    size_t ndjson_length = strstr(ndjson, "trailing") - ndjson;
    char *result = write_batch_n(writer, ndjson, ndjson_length);
    int rejected_one = result != NULL && strstr(result, "\"rows_rejected\":1") != NULL;
    failures += !print_result("batch 2", result);
    if (!rejected_one) {
        fprintf(stderr, "batch 2 should have rejected exactly one record\n");
        failures++;
    }

    /* Close: the file appears at its path only now; the summary has per-column statistics. */
    failures += !print_result("close", close_writer(writer));

    writer = NULL; /* close_writer released the handle */

    /* Errors come back as JSON, never as a crash: a NULL writer ... */
    char *refused = write_batch(writer, "[]");
    int handled = refused != NULL && strstr(refused, "\"invalid_argument\"") != NULL;
    print_result("write to NULL", refused);
    if (!handled) {
        fprintf(stderr, "a NULL writer should be reported as invalid_argument\n");
        failures++;
    }

    /* ... and a bad configuration (an unknown key), explained by last_error(). */
    parquet_writer *bad = create_writer("{\"path\": \"x.parquet\", \"schema\": {\"fields\": []}, \"colour\": 1}");
    if (bad != NULL) {
        fprintf(stderr, "a bad configuration should not create a writer\n");
        abort_writer(bad);
        failures++;
    } else {
        printf("bad config: %s\n", last_error());
    }

    /* abort_writer discards a file instead of finishing it. */
    char discard[4200];
    snprintf(discard, sizeof discard,
        "{\"path\": \"%s.discarded\", \"schema\": {\"fields\": [{\"name\": \"x\", \"type\": \"int32\"}]}}", path);
    parquet_writer *scratch = create_writer(discard);
    if (scratch == NULL) {
        fprintf(stderr, "create_writer failed: %s\n", last_error());
        return 1;
    }
    failures += !print_result("scratch batch", write_batch(scratch, "[{\"x\": 1}]"));
    abort_writer(scratch);

    /* A sink: the same writer, its bytes handed to the callbacks above instead of a file. */
    struct memory memory = {NULL, 0, 0, 0};
    struct parquet_writer_sink sink = {&memory, memory_open, memory_write, memory_finish, memory_abort,
                                       memory_release};
    parquet_writer *in_memory = create_writer_with_sink(
        "{\"path\": \"in-memory.parquet\", \"schema\": {\"fields\": [{\"name\": \"x\", \"type\": \"int32\"}]}}",
        &sink);
    if (in_memory == NULL) {
        fprintf(stderr, "create_writer_with_sink failed: %s\n", last_error());
        return 1;
    }
    failures += !print_result("sink batch", write_batch(in_memory, "[{\"x\": 1}, {\"x\": 2}, {\"x\": 3}]"));
    failures += !print_result("sink close", close_writer(in_memory));
    /* A whole Parquet file: "PAR1" at both ends; release ran when the writer was released. */
    int whole = memory.finished && memory.released && memory.length > 8 && memcmp(memory.bytes, "PAR1", 4) == 0 &&
                memcmp(memory.bytes + memory.length - 4, "PAR1", 4) == 0;
    printf("sink: %zu bytes in memory\n", memory.length);
    if (!whole) {
        fprintf(stderr, "the sink should hold a whole Parquet file\n");
        failures++;
    }
    free(memory.bytes);

    if (failures != 0) {
        printf("example: %d unexpected results\n", failures);
        return 1;
    }
    printf("example: all steps behaved as expected\n");
    return 0;
}
