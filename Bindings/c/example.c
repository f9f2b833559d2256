/*
 * A small C program over libparquet_writer.so: create a writer, write two batches (the second
 * with a bad record, skipped), close it and print the summary, freeing everything; then show
 * how errors come back (a bad configuration, a call on a closed writer).
 *
 *   make c-example        builds it with -Wall -Wextra -Werror and runs it
 *   ./example [out.parquet]
 *
 * Exit status 0 when every step behaved as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parquet_writer.h"

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

    if (failures != 0) {
        printf("example: %d unexpected results\n", failures);
        return 1;
    }
    printf("example: all steps behaved as expected\n");
    return 0;
}
