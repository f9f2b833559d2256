/*
 * parquet_writer.h -- the C ABI of libparquet_writer.so, a native Apache Parquet writer.
 *
 * A writer takes batches of JSON records and streams them into one Parquet file, row group
 * by row group, in bounded memory. The file appears at its path only when close_writer()
 * succeeds (it is written under a temporary name in the same directory, fsynced, then
 * renamed); abort_writer(), a failed close, or a crash of the process leaves nothing at the
 * path.
 *
 * The library needs only libc, libstdc++, libm, libzstd, libsnappy, zlib, liblz4 and
 * libbrotlienc at run time: the Swift runtime is linked in statically and hidden. The functions below are its only
 * exported symbols, so it can be loaded into any process, one with its own Swift runtime too.
 *
 * Outputs: create_writer() writes local files (atomically, as above);
 * create_writer_with_sink() (section SINKS at the end) hands the bytes to the caller's
 * callbacks instead -- a socket, an object store upload, memory -- and leaves atomicity to
 * the sink's finish and abort.
 *
 * ---------------------------------------------------------------------------------------
 * Memory
 *   Every `char *` a function returns is JSON text (UTF-8, NUL-terminated) allocated by the
 *   library with malloc: the caller owns it and releases it with free_string(). They are
 *   NULL only if memory ran out. The `const char *` of last_error() and
 *   parquet_writer_version() are owned by the library: never free them.
 *   Input strings are only read during the call; the caller keeps ownership.
 *
 * Threads
 *   Different writers may be used from different threads at the same time. One writer must
 *   be used by one thread at a time (calls on the same writer from several threads are
 *   serialised by a lock inside the handle, so they do not corrupt it, but their order is
 *   unspecified: a write_batch racing close_writer either lands before the close and is in
 *   the file, or fails with writer_closed or invalid_handle). A writer may be handed from one
 *   thread to another between calls. last_error() is per thread.
 *
 * Errors
 *   No function aborts the process or throws across the boundary on bad input: every
 *   failure -- NULL arguments, bad configuration, malformed JSON, invalid values, I/O errors,
 *   a handle that was already closed -- is reported as JSON. Functions returning a result
 *   report `{"ok":false,"error":ERROR}`; create_writer returns NULL; abort_writer returns
 *   nothing. In each case last_error() returns the ERROR object on the same thread until the
 *   next call into the library on that thread.
 *
 *   ERROR = {"code":"...","message":"...","column":"<name>"|null,
 *            "row":<0-based record in the batch>|null,"offset":<byte offset>|null}
 *
 *   Every result is compact JSON: no spaces between tokens, as the shapes in this header are
 *   written where they show a result ({"ok":true,...}; the wrapped lines and notes beside
 *   them are for reading). Parse results with a JSON parser rather than matching their text.
 *
 *   Error codes (stable strings):
 *     invalid_argument    a NULL pointer or impossible length was passed
 *     invalid_handle      the writer handle is not live (closed, aborted, never created)
 *     invalid_schema      the configuration's schema is wrong (unknown type, bad key, ...)
 *     invalid_options     another configuration key is wrong (unknown key, bad value, ...)
 *     type_mismatch       a JSON value of a type the column cannot take
 *     value_out_of_range  a number outside the column type's range
 *     invalid_value       a value of the right JSON type that is not valid for the column
 *                         (a malformed UUID, date, decimal, base64, invalid UTF-8, ...)
 *     row_count_mismatch  internal: columns of different lengths
 *     io_error            the file could not be created, written, synced or renamed
 *     compression_error   a codec failed
 *     writer_closed       the writer was closed, or failed earlier (after an io_error the
 *                         writer is unusable and its file discarded)
 *     limit_exceeded      input beyond a limit (nesting depth, a value over 1 GiB, ...)
 *     malformed_json      the input is not well-formed JSON (the whole batch is rejected)
 *     missing_value       a non-nullable column's key is missing or null
 *     invalid_record      a batch element is valid JSON but not an object, repeats a key, or
 *                         has a key outside the schema under "unknown_keys":"fail"
 *     invalid_arrow       Arrow input that breaks the C Data Interface's rules (a malformed
 *                         format string, a missing buffer, offsets out of order)
 *     internal_error      a bug; please report it
 *
 * Handles
 *   A parquet_writer * is an opaque token, not the address of anything: never dereference it
 *   (it is deliberately not a valid address, so doing so faults). create_writer() never
 *   returns the same token twice in the life of the process, so a token used after
 *   close_writer() or abort_writer() -- or any value create_writer() did not return -- is an
 *   invalid_handle error however many writers were created since: it can never reach another
 *   writer. Up to 1048576 writers can be open at once, and about 2^48 created in a process.
 * ---------------------------------------------------------------------------------------
 */
#ifndef PARQUET_WRITER_H
#define PARQUET_WRITER_H

#include <stddef.h>
#include <stdint.h>

/* The version of this header, which is the version of the library it came with: the string
 * parquet_writer_version() returns starts with PARQUET_WRITER_VERSION. One number for the
 * library, this header, the CLI and the Python package (the repository's VERSION file;
 * `make set-version VERSION=x.y.z` writes every copy, `make test` compares them). */
#define PARQUET_WRITER_VERSION_MAJOR 0
#define PARQUET_WRITER_VERSION_MINOR 1
#define PARQUET_WRITER_VERSION_PATCH 0
#define PARQUET_WRITER_VERSION "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons. */
#define PARQUET_WRITER_VERSION_NUMBER \
    (PARQUET_WRITER_VERSION_MAJOR * 10000 + PARQUET_WRITER_VERSION_MINOR * 100 + PARQUET_WRITER_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* An open writer: one output file, or a dataset (a directory of files). Opaque. */
typedef struct parquet_writer parquet_writer;

/*
 * Opens a writer.
 *
 * config_json: a NUL-terminated JSON object (read only during the call):
 *   {"path": "out.parquet",                       a file (its directory must exist), or
 *    "directory": "out/events",                   a dataset: a directory of files, created
 *                                                 if missing (see DATASETS below); one of the
 *                                                 two is required
 *    "schema": {"fields": [FIELD, ...]},          the native schema: at least one field
 *    "json_schema": {JSON Schema},                or a JSON Schema instead (see below)
 *    "compression": "snappy|zstd|gzip|lz4_raw|brotli|none",
 *                                                 default "snappy"; lz4_raw is the LZ4 block
 *                                                 format (Parquet's LZ4_RAW, not the
 *                                                 deprecated Hadoop-framed LZ4, which is not
 *                                                 offered)
 *    "compression_level": n,                      only with a codec that has levels: zstd
 *                                                 (libzstd's range, default 3), gzip (0-9,
 *                                                 default 6), lz4_raw (1-12, default 1: 1-2
 *                                                 are LZ4's fast mode, 3-12 LZ4HC, smaller
 *                                                 and slower to write, as in Arrow C++),
 *                                                 brotli (quality 0-11, default 8, window
 *                                                 2^22); outside the range: invalid_options
 *                                                 naming the codec and its range
 *    "row_group_rows": n,                         default 1048576
 *    "row_group_bytes": n,                        default 134217728 (encoded bytes)
 *    "column_buffer_bytes": n|null,               default 262144: finished pages a column
 *                                                 keeps in memory; the rest of the row group
 *                                                 waits in a nameless (O_TMPFILE) scratch file
 *                                                 beside the output; null keeps it in memory
 *    "page_bytes": n,                             default 1048576 (at most 2^30)
 *    "dictionary": true|false,                    default true
 *    "page_index": true|false,                    default true: a ColumnIndex (per data page
 *                                                 min/max, null count, null page, boundary
 *                                                 order) and an OffsetIndex (offset, size,
 *                                                 first row) per column chunk, written after
 *                                                 the row groups, before the footer
 *    "page_checksum": true|false,                 default false: each page header carries
 *                                                 the CRC-32 of the page's stored bytes
 *    "data_page_version": 1|2,                    default 1: 2 writes V2 data pages (levels
 *                                                 uncompressed, values compressed alone)
 *    "bloom_filter_columns": ["a", "b.c"],        default none: leaf columns (dotted paths)
 *                                                 that get a split-block bloom filter per
 *                                                 column chunk, after its row group, sized
 *                                                 from the chunk's distinct values; not for
 *                                                 booleans; an unknown name is an error
 *    "bloom_filter_fpp": 0.01,                    default 0.01: the false-positive
 *                                                 probability they are sized for, in (0, 1)
 *    "on_invalid": "fail|skip",                   default "fail" (see write_batch)
 *    "unknown_keys":"ignore|fail|collect",       default "ignore": what keys outside the
 *                                                 schema do (see UNKNOWN KEYS at write_batch)
 *    "unknown_keys_column": "_unknown",           collect only (an error otherwise, and when
 *                                                 a field has the name): the json column
 *                                                 appended to the schema for them
 *    "infer_strings": true|false,                 default true; only without a schema (an
 *                                                 error with one): inference types strings
 *                                                 that are timestamps, dates or decimals
 *    "metadata": {"key": "value", ...},           footer key-value metadata, strings only
 *    "mode": "error|overwrite|...",               what happens to data already at the
 *                                                 output; see MODES below
 *    "threads": N|"auto"}                         default 1; N (1 to 1024) encodes each
 *                                                 batch's columns on N threads (the caller's
 *                                                 and N - 1 of the writer's) within the call;
 *                                                 "auto": the cores the process may use (its
 *                                                 CPU affinity). The file is the same bytes
 *                                                 for every N.
 *    "sort_by": [KEY, ...],                       sort each file's rows, first key first;
 *                                                 KEY = "column" (ascending, nulls last) or
 *                                                 {"column": "...", "descending": false,
 *                                                 "nulls_first": false}; top-level primitive
 *                                                 columns only; values order as their
 *                                                 statistics do (NaN above every number);
 *                                                 ties keep the order rows were written in.
 *                                                 Rows are held until the file is finished,
 *                                                 spilled as sorted runs past half of
 *                                                 memory_limit_bytes, then merged; every row
 *                                                 group records the keys (sorting_columns)
 *    "memory_limit_bytes": n,                     single file with sort_by: the sort's memory,
 *                                                 default 268435456, at least 4 MiB
 *   DATASETS ("directory" instead of "path"; these keys are errors with "path"):
 *    "file_prefix": "part",                       files are <prefix>-<sequence>-<run>.parquet,
 *                                                 <run> random per writer, so names never clash
 *    "max_rows_per_file": n,                      a batch is split so no file holds more
 *    "max_bytes_per_file": n,                     a file is finished once its size (row groups
 *                                                 written + the open one's pages) reaches n,
 *                                                 checked after each batch
 *    "partition_by": [PART, ...],                 hive-style key=value/ directories, outermost
 *                                                 first; PART = "column" or {"column": "...",
 *                                                 "transform": "identity|year|month|day|hour",
 *                                                 "name": "key"}; identity takes integer,
 *                                                 boolean, string and date columns, year/month/
 *                                                 day dates and timestamps, hour timestamps;
 *                                                 values: 2024 / 2024-03 / 2024-03-09 /
 *                                                 2024-03-09-17 (UTC); null or "" ->
 *                                                 __HIVE_DEFAULT_PARTITION__; the characters
 *                                                 Hive escapes (controls, " # % ' * / : = ?
 *                                                 backslash, DEL, { [ ] ^)
 *                                                 are %XX-escaped, the rest (UTF-8) kept; a value whose
 *                                                 directory name passes 255 bytes rejects the
 *                                                 batch (invalid_value); default name: the
 *                                                 column (identity) or <column>_<transform>
 *    "max_open_files": n,                         default 100: files open at once (file
 *                                                 descriptors, uploads); a partition without
 *                                                 one waits, staged or spilled: files are never
 *                                                 finished early to make room
 *    "memory_limit_bytes": n,                     default 268435456 (256 MiB), at least 4 MiB:
 *                                                 what a partitioned (or sorting) writer holds
 *                                                 across all partitions besides the batch;
 *                                                 see below
 *    "write_partition_columns": false,            identity partition columns are left out of
 *                                                 the files (readers take them from the path)
 *   Each file is committed atomically (temporary name, fsync, rename, fsync of the directory)
 *   when it reaches a limit, by commit_files(), or by close_writer(); write_batch and
 *   close_writer list the files they finished. A killed process leaves its finished files
 *   complete and readable and no partial .parquet file; its hidden
 *   .parquet-<host>-<pid>-*.tmp files are removed by the next writer opened on the directory
 *   on the same host (another host's temporaries are never touched). Partitioned, each
 *   partition's rows are staged and written to its file a row group at a time; when staged
 *   rows pass half of memory_limit_bytes, the partition holding the most is written out if it
 *   has rows for a useful row group (65,536, or a quarter of the row-group size), else spilled
 *   to a nameless scratch file and merged into a full row group later. So every partition gets
 *   ceil(rows / max_rows_per_file) files whatever order its rows arrive in. With sort_by a
 *   file is written whole when its rows are all known (at max_rows_per_file, commit_files or
 *   close): staged rows over half the budget are spilled as sorted runs of the partition
 *   holding the most, and merged into the file in order. "threads": N encodes every
 *   file's columns on one set of N threads shared by the dataset's files.
 *   MODES ("mode"; the defaults follow DuckDB's COPY, which replaces a file and refuses a
 *   non-empty partitioned directory unless told):
 *    "overwrite"             a file: the default; the new file is renamed over the old one on
 *                            close_writer (atomic: readers see the old file until then). A
 *                            dataset: written into a hidden sibling directory
 *                            .<name>.staging-<host>-<pid>-<random> (same parent, same file
 *                            system), swapped with the root in one step by
 *                            renameat2(RENAME_EXCHANGE) at the first commit_files() or
 *                            close_writer(), the parent fsynced, then the old tree removed.
 *                            A crash (even SIGKILL) leaves the old dataset or the new one,
 *                            never a mix; the staging directory of a dead writer is removed by
 *                            the next writer opened on the root on the same host. Files
 *                            finished after that first commit are added to the new data. A
 *                            file system without RENAME_EXCHANGE fails the commit with
 *                            io_error and keeps the old data. Overwriting with no rows leaves
 *                            an empty directory. The root must not be a symbolic link.
 *    "error"                 a file: refused (io_error naming it) when it exists, and the
 *                            final rename never replaces one created meanwhile. A dataset: the
 *                            default; refused when the directory holds a visible entry (a name
 *                            not starting with "." or "_"); a missing or empty one is fine.
 *    "overwrite_partitions"  datasets: staged as "overwrite", but at commit only the leaf
 *                            partition directories written in this run are replaced, each in
 *                            one atomic step (exchanged, or renamed in when new); the others
 *                            stay, as Spark's dynamic partition overwrite does. The set of
 *                            partitions is not replaced in one step: a crash between two
 *                            leaves some replaced and some not. Without partition_by it is
 *                            "overwrite".
 *    "append"                datasets: new files beside the old ones (names never clash).
 *   With create_writer_with_sink the library can neither list nor rename: a dataset takes only
 *   "append" (its default) and a file only "overwrite" (the sink decides what replacing means).
 *   "append" and "overwrite_partitions" with "path", or an unknown mode: invalid_options.
 *   FIELD = {"name": "...", "type": TYPE, "nullable": true|false (default true),
 *            "field_id": 0-2147483647 (optional), "encoding": ENCODING (optional), ...}
 *   "field_id" (on any field object, items/keys/values included) is written as the Parquet
 *   field id, which Iceberg readers resolve columns by; ids are unique in a schema. A
 *   schema derived from Arrow takes them from "PARQUET:field_id" field metadata.
 *   ENCODING = plain | dictionary | delta_binary_packed | delta_length_byte_array
 *            | delta_byte_array | byte_stream_split, on leaf fields only (items/keys/values
 *   included); without it the writer chooses (dictionary while it pays, else PLAIN). One the
 *   type cannot take is invalid_schema naming the field (README "Encodings" lists which).
 *   TYPE  = boolean | int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64
 *         | float32 | float64 | string | binary | date | uuid | json
 *         | fixed_binary  (+ "length": n, required)
 *         | time_ms | time_us | time_ns
 *         | timestamp_ms | timestamp_us | timestamp_ns  (+ "utc": true|false, default true)
 *         | decimal  (+ "precision": 1-38, required; "scale": 0-precision, default 0)
 *         | list (+ "items": FIELD without name) | struct (+ "fields": [FIELD, ...])
 *         | map (+ "keys", "values": FIELDs without names; keys never null)
 *   Nesting: a leaf may sit at most 99 schema elements below the root (a list or a map adds
 *   two, a struct one): deeper files are refused by pyarrow/Arrow C++ readers, so a deeper
 *   schema is an invalid_schema error here. (The configuration's own JSON nesting limit,
 *   128, allows about 62 nested lists or structs anyway.)
 *   Times of day (time_*) are in [00:00:00, 24:00:00): "24:00:00" and 86400 s in the unit
 *   are invalid values.
 *   An unknown or repeated key, an unknown type, a key not valid for the field's type
 *   (e.g. "length" on int64), a value of the wrong JSON type or range, or a missing
 *   path/name/type is an error naming it.
 *
 * Schema sources: give "schema" or "json_schema" (both is an invalid_schema error), or
 * neither to infer the schema from the first batch.
 *   "json_schema": the draft-07 subset Airbyte catalogs use; the root is an object schema
 *   with "properties", each property one column, in order (nothing is dropped):
 *    - every column is nullable unless listed in "required" (and "null" not in its type);
 *    - integer -> int64, number -> float64, boolean -> boolean, string -> string;
 *    - string + "format": date-time -> timestamp_us (utc), date -> date, time -> time_us;
 *    - "airbyte_type": timestamp_with_timezone -> timestamp_us utc, timestamp_without_timezone
 *      -> timestamp_us local, integer -> int64, date -> date, time_* -> time_us;
 *    - object with non-empty "properties" -> struct (recursively); other objects -> json;
 *    - array with an "items" schema -> list of it (nullable elements); without -> json;
 *    - several non-null types (["string", "integer"]) -> json (["integer", "number"] ->
 *      float64); anyOf/oneOf -> the one non-null alternative's type, else json;
 *    - no "type" -> json. "$ref", "definitions", "$defs", "allOf", "not" are invalid_schema
 *      errors naming the property; other keywords (description, enum, ...) are ignored.
 *   Neither (inference): create_writer checks the path and options (a probe file is created
 *   and removed) but creates the file at the first write_batch whose records are not empty.
 *   That batch fixes the schema: columns are its records' keys in order of first
 *   appearance, all nullable; true/false -> boolean; integers -> int64, widened to float64
 *   when non-integers appear too; strings -> string, unless "infer_strings" is true (the
 *   default) and every non-null string at the key is of one kind:
 *     - "YYYY-MM-DD" (a valid date) -> date;
 *     - RFC 3339 "YYYY-MM-DD(T|t| )HH:MM:SS[.fraction][Z|z|+HH:MM|-HH:MM]" (at most 6
 *       fraction digits that are not zero) -> timestamp_us, utc when every value has Z or
 *       an offset, local when none has (both at one key -> string, as DuckDB's read_json);
 *     - "-?digits.digits" -> decimal, scale the most fraction digits seen, precision the
 *       most integer digits (leading zeros aside) plus the scale, at most 38 (else string);
 *   kinds mixed at one key -> string; only nulls -> string; objects ->
 *   struct (keys merged across records, recursively; never a key -> json); arrays -> list
 *   (element types merged); conflicting kinds (number with string or boolean, object or
 *   array with anything else) -> json. More than 10000 distinct keys (all nesting levels
 *   counted) is a limit_exceeded error, and a schema too deep (above) an invalid_schema
 *   error; neither fixes the schema. A malformed or empty first batch fixes nothing (the
 *   error or the empty result is returned as usual), nor does one whose records have no
 *   key at all (an invalid_schema error). Later records that do not fit the
 *   schema are invalid records (on_invalid). close_writer() with no schema fixed yet fails
 *   with invalid_schema ("no schema: nothing was written to infer one from") and leaves
 *   nothing at the path.
 *
 * Returns the writer (a handle never returned before; see Handles above), or NULL on failure
 * (last_error() says why: invalid_argument for a NULL config, malformed_json,
 * invalid_options, invalid_schema, io_error when the file cannot be created, e.g. a missing
 * directory or a path that is a directory, limit_exceeded when 1048576 writers are open).
 * Release the writer with exactly one close_writer() or abort_writer().
 */
parquet_writer *create_writer(const char *config_json);

/*
 * Writes a batch of records.
 *
 * records_json: NUL-terminated; a JSON array of objects, or NDJSON (one object per line).
 *   Each object maps column names to values; a missing key or null is a null (an error for a
 *   non-nullable column); keys that are not columns are counted and, by default, ignored
 *   (their values must still be valid JSON; see UNKNOWN KEYS below);
 *   a repeated key makes the record invalid. Values per column type: true/false; integers
 *   as JSON numbers with an exact integer value within the type's range; floats as numbers
 *   (or the strings "NaN", "Infinity", "-Infinity"); string as a JSON string; json as any
 *   JSON value, stored as its JSON text; binary/fixed_binary as base64 strings; date as
 *   "YYYY-MM-DD" or days since the epoch; time as "HH:MM:SS[.fraction]" or a count of the
 *   unit; timestamps as RFC 3339 text (an offset is applied) or a count of the unit since
 *   the epoch; decimal as an exact number or decimal string (no rounding); uuid as canonical
 *   text; list as an array; struct as an object; map as an object (keys are its member
 *   names, converted to the key type; a repeated name is invalid) or as an array of entries,
 *   [key, value] or {"key": key, "value": value}, as Arrow gives maps to Python (keys are
 *   values of the key type; entries are kept as given). Nesting of any depth is skipped
 *   without recursion. (Exact rules: JSONBatchDecoder.)
 *
 * Policy (create_writer's on_invalid):
 *   "fail" (default): one invalid record rejects the whole batch -- nothing of it is written:
 *      {"ok":false,"error":ERROR}   (ERROR names the record's row, column and offset)
 *   "skip": invalid records are left out and listed; the valid ones are written.
 *   Malformed JSON always rejects the whole batch.
 *   In every case the writer stays usable and earlier batches are intact, except after an
 *   io_error, when the writer is unusable (later calls report writer_closed).
 *
 * UNKNOWN KEYS (create_writer's unknown_keys): keys that are not in the schema, given or
 * inferred (an inferred schema is fixed by the first batch, so keys first seen later are
 * unknown), and keys of struct objects that are not fields of the struct. Under every policy
 * they are counted: "unknown_keys" in each result maps each key to the accepted records that
 * carried it (a record counts once; records left out under skip do not count), a record's
 * key by its name, a struct's key by its dotted path ("address.zip",
 * "items.list.element.note"). A writer tracks at most 1000 names; records with keys past
 * those are counted under "(other)". Then:
 *   "ignore" (default): the record is written without them.
 *   "fail": the first one rejects the whole batch, under either on_invalid, as an
 *      invalid_record ERROR naming the key (column), the record (row) and its byte offset.
 *   "collect": a nullable json column (unknown_keys_column, default "_unknown") is appended
 *      to the schema; each record's unknown top-level members are written to it as one JSON
 *      object, {"key":value,...}, keys and values copied byte for byte from the input (null
 *      when the record has none). Keys unknown inside structs are only counted. Arrow input
 *      (write_arrow, write_arrow_stream) is refused with invalid_options under collect.
 *
 * Returns (malloc'd; free with free_string):
 *   {"ok":true,"rows_written":n,"rows_rejected":m,
 *    "errors":[ERROR,...],           one per rejected record (skip), row 0-based in the batch
 *    "files":[FILE,...],             files finished by this call (a dataset's files that
 *                                     reached a limit or were evicted; FILE as close_writer)
 *    "unknown_keys":{"<key>":n}}     keys outside the schema in this batch (always present;
 *                                     {} when none; see UNKNOWN KEYS)
 * or {"ok":false,"error":ERROR}; ERROR.code is invalid_argument for a NULL writer or NULL
 * records, invalid_handle for a closed writer.
 */
char *write_batch(parquet_writer *w, const char *records_json);

/*
 * Same as write_batch() for `length` bytes at `data`, which need not be NUL-terminated (a
 * slice of a larger buffer, a memory-mapped file). Embedded NUL bytes are malformed JSON.
 */
char *write_batch_n(parquet_writer *w, const char *data, size_t length);

/*
 * Dataset writers only: finishes every open file now, so every record written so far is in a
 * committed, durable file (what a pipeline does before it acknowledges a checkpoint). The
 * writer stays open; later records go to new files.
 *
 * Returns (malloc'd; free with free_string) the same object as close_writer(): the totals so
 * far and the files finished by this call; or {"ok":false,"error":ERROR}: invalid_options
 * for a single-file writer (a file is committed only by close_writer), io_error (the writer is
 * then unusable), invalid_argument / invalid_handle as write_batch.
 */
char *commit_files(parquet_writer *w);

/*
 * Finishes the output: for a file, writes the last row group and the footer, fsyncs, and
 * renames it to its path; for a dataset, does so for every open file. The handle is released
 * whatever the outcome: do not use `w` afterwards.
 *
 * Returns (malloc'd; free with free_string):
 *   {"ok":true,"rows_written":n,"rows_rejected":m,      totals for the writer's life
 *    "files":[FILE,...],                                   the files finished by this call
 *    "unknown_keys":{"<key>":n}}                           over every batch written
 *   FILE = {"path":"...","rows":n,"bytes":n,"row_groups":n,
 *           "columns":{"<name>":{"null_count":n,"min":V,"max":V},...}}
 *   min/max are whole-file statistics in the column's natural form, left out when there are
 *   none (all null, all NaN, or a bound lost to truncation): numbers for integers (uint64
 *   exact) and floats, true/false, strings; decimals as exact text at the column's scale
 *   ("-123.45"); date "YYYY-MM-DD"; time "HH:MM:SS.fff" with 3/6/9 fractional digits for
 *   ms/us/ns; timestamps RFC 3339 with the unit's digits, "Z" when utc, no offset when local;
 *   binary/fixed_binary base64; uuid canonical text; json the text. String, binary and json
 *   bounds are truncated to 64 bytes (min a prefix, max rounded up).
 * or {"ok":false,"error":ERROR}: nothing is left at the path (invalid_argument for NULL,
 * invalid_handle for a writer already closed or aborted).
 */
char *close_writer(parquet_writer *w);

/*
 * Discards the writer: the temporary file is removed and nothing appears at the path. The
 * handle is released: do not use `w` afterwards. A NULL or dead handle sets last_error()
 * (invalid_argument / invalid_handle) and does nothing else.
 */
void abort_writer(parquet_writer *w);

/* ---------------------------------------------------------------------------------------
 * Arrow input (the Arrow C Data Interface and C Stream Interface)
 *
 * Arrow data goes straight into the writer's columns, with no JSON in between: a record batch
 * from pyarrow, polars, DuckDB, nanoarrow, arrow-rs or Arrow C++ (anything that exports the
 * C Data Interface). The structures are the specification's; define them yourself or include
 * arrow/c/abi.h or nanoarrow.h first (the guard macros are the specification's own).
 *
 * Types: every Arrow type with a Parquet counterpart here is taken: bool; int8..int64 and
 * uint8..uint64; halffloat (as float32), float, double; string, large_string, string_view
 * (json with the arrow.json extension); binary, large_binary, binary_view; fixed_size_binary
 * (uuid with the arrow.uuid extension); decimal128 (decimal256 up to 38 digits); date32,
 * date64; time32/time64 (time32[s] as milliseconds); timestamp in every unit, with or without
 * a time zone (seconds as milliseconds; UTC-adjusted exactly when a time zone is given);
 * list, large_list, fixed_size_list, struct and map at any depth; dictionary arrays of any of
 * the leaf types; slices (non-zero offsets) and validity bitmaps at every level. null,
 * duration, interval, union, list_view and run-end encoded arrays are refused (a null-type
 * column can be written when the writer's schema gives the column a type).
 *
 * Schema: a writer created without "schema" takes it from the first Arrow batch (the mapping
 * above; schema_from_arrow() shows it). With a schema, the Arrow fields must be the schema's
 * by name (any order; none missing, none extra) and of a type that converts to the column's:
 * integers into integer, float, date, time and timestamp columns (checked against the
 * column's range); floats into float columns; strings into string, json, binary, uuid
 * (canonical text) and decimal (exact text); binaries into binary, string/json (UTF-8
 * checked), fixed_binary and uuid (of the column's width); decimals into decimals of an
 * equal or larger scale; dates, times and timestamps into their kind in any unit (a value a
 * coarser unit cannot hold exactly is value_out_of_range). Anything else is type_mismatch or
 * invalid_schema naming the field.
 *
 * Memory: a record batch is staged and written 65,536 rows at a time, so the writer's memory
 * does not grow with the producer's batch size (a whole table combined into one chunk is
 * one batch).
 *
 * Errors and rejects: under "on_invalid": "skip" only the rows with a rejected value are left
 * out and reported in "errors" (rows 0-based in the batch, or in the stream). Under "fail"
 * (the default) a rejected value stops the call: its 65,536-row slice and everything after
 * it are not written, the slices before it are, and the result says so:
 *   {"ok":false,"error":ERROR,"rows_written":n,"rows_rejected":m,
 *    "errors":[...],"files":[...],"unknown_keys":{}}
 * ERROR names the column and the row. A record batch of at most 65,536 rows is therefore
 * written whole or not at all, as a JSON batch is. A null in a non-nullable column is
 * missing_value. The writer stays usable after every error but io_error.
 * ------------------------------------------------------------------------------------- */

struct ArrowSchema;
struct ArrowArray;
struct ArrowArrayStream;

/*
 * Writes one Arrow record batch: `array` is a struct array whose children are the columns,
 * `schema` its schema (format "+s"). Columns stored exactly as Arrow holds them (int64,
 * double, string, ...) are copied in bulk.
 *
 * Ownership: both structures are moved into the call. The library calls their release
 * callbacks before returning, whatever the outcome (errors included), and keeps no pointer
 * into them; afterwards their `release` is NULL, as the specification says. Do not release
 * them yourself. A NULL or already released structure is invalid_argument.
 *
 * Thread-safety: as write_batch (one thread at a time per writer). The arrays are only read.
 *
 * Returns (malloc'd; free with free_string) the same object as write_batch(), rows 0-based in
 * the batch; or the failure object above (invalid_arrow for a malformed array, invalid_schema
 * / type_mismatch when the fields do not fit the writer's schema: nothing is written then;
 * or the first rejected value under "on_invalid": "fail"), or {"ok":false,"error":ERROR}
 * for a NULL or released argument or a dead handle.
 *
 *   struct ArrowSchema schema; struct ArrowArray array;
 *   export_batch(&schema, &array);                 // your producer
 *   char *result = write_arrow(w, &schema, &array); // both released by the call
 *   free_string(result);
 */
char *write_arrow(parquet_writer *w, struct ArrowSchema *schema, struct ArrowArray *array);

/*
 * Writes every record batch of an Arrow stream (a pyarrow RecordBatchReader or Table, a
 * polars or DuckDB result, ...) in order, one batch at a time: memory holds one batch, not
 * the stream.
 *
 * Ownership: the stream is moved into the call: the library calls get_schema once, get_next
 * until the end of the stream, releases every schema and array it receives, and releases the
 * stream before returning, whatever the outcome.
 *
 * Returns (malloc'd; free with free_string) the object of write_batch() summed over the
 * stream ("errors" rows 0-based in the stream); or, when a value is rejected or the stream
 * fails (invalid_arrow with the producer's get_last_error text), the failure object above:
 * what was written before the failure stays written (as with one write_arrow call per
 * batch), nothing after it is read; ERROR.row is 0-based in the stream.
 */
char *write_arrow_stream(parquet_writer *w, struct ArrowArrayStream *stream);

/*
 * The native schema an Arrow schema maps to (see "Types" above), as the "schema" object
 * create_writer takes: {"ok":true,"schema":{"fields":[...]}}; or {"ok":false,"error":ERROR}
 * (invalid_schema naming a field with no Parquet type, invalid_arrow).
 *
 * Ownership: `schema` is only read; the caller keeps it and releases it.
 * Thread-safety: any thread, any time. Returns malloc'd text; free with free_string.
 */
char *schema_from_arrow(const struct ArrowSchema *schema);

/* Frees a string returned by write_batch, write_batch_n, write_arrow, write_arrow_stream,
 * schema_from_arrow, commit_files or close_writer. NULL is a no-op. */
void free_string(char *s);

/*
 * The calling thread's last error as JSON: the ERROR object of the most recent failed call
 * on this thread, or the text `null` when that call succeeded. Never NULL. Owned by the
 * library; valid until the next call into the library on this thread.
 */
const char *last_error(void);

/* The library version, "<PARQUET_WRITER_VERSION> (build <commit>)", e.g.
 * "0.1.0 (build 40c5031a2b3c)". Static; never NULL. */
const char *parquet_writer_version(void);

/* ---------------------------------------------------------------------------------------
 * SINKS: output anywhere
 *
 * create_writer_with_sink() opens a writer like create_writer(), with the same configuration,
 * but the Parquet bytes go to the caller's callbacks instead of local files, so a C caller can
 * stream a file or a dataset to any place it can write: a socket, memory, an object store's
 * multipart upload. Everything else -- write_batch, write_batch_n, commit_files, close_writer,
 * abort_writer, results, errors, last_error -- is unchanged.
 *
 * The configuration's "path" (one file) or "directory" (a dataset) is then only a name: the
 * library creates no file or directory. "path" is handed to open() as it is. For a dataset,
 * open() gets each file's path relative to "directory" ("part-00000-1a2b3c4d.parquet", or
 * "country=DE/part-00000-1a2b3c4d.parquet" with partition_by: "/"-separated, partition
 * directories first; a sink on an object store takes them as key suffixes), and results
 * report files as "<directory>/<that path>". "column_buffer_bytes" scratch pages go to a
 * nameless file in $TMPDIR (else /tmp) instead of beside the output.
 * "mode" is "append" (datasets) or "overwrite" (files) only: see MODES.
 *
 * The callbacks (the struct is copied during the call; the caller may free it afterwards):
 *
 *   int open(void *context, const char *path, void **file)
 *       Starts one output. `path` (NUL-terminated UTF-8) is valid only during the call. Store
 *       a handle of your own in *file (it is passed back to write/finish/abort; NULL is a valid
 *       handle) and return 0, or return nonzero to refuse: the call that needed the output then
 *       fails with io_error. For one file, open() is called by create_writer_with_sink itself;
 *       for a dataset, when a file is started (by write_batch, as with local files).
 *   int write(void *context, void *file, const uint8_t *bytes, size_t length)
 *       Appends `length` bytes (length > 0) to the output; `bytes` is valid only during the
 *       call. Return 0, or nonzero on failure: the writer then fails as on an I/O error
 *       (io_error from the call in progress; the output is aborted; later calls report
 *       writer_closed). A file's bytes come in order, front to back, in pieces of a few bytes
 *       to a few MiB (pages, column chunks, the footer).
 *   int finish(void *context, void *file)
 *       The file is complete: make it appear (complete an upload, rename, fsync). Return 0, or
 *       nonzero when it could not be made to appear: the call fails with io_error and abort()
 *       is then called for the same file.
 *   void abort(void *context, void *file)
 *       Discard the output: make sure nothing appears (abort an upload, delete a temporary).
 *   void release(void *context)        (may be NULL)
 *       Called once, after every other callback, when the library is done with `context`.
 *
 * Each file open() accepted ends with exactly one successful finish() or one abort() (a
 * failed finish() is followed by abort()), never both finish() and abort() otherwise, and
 * nothing is called for a file after that. abort() comes from abort_writer(), from a failed
 * write_batch/commit_files/close_writer (a callback failure included), and from a dataset's
 * failure for each file still open; files already finished stay. Where the sink can do so,
 * finish() alone makes an output visible, and then the writer is as atomic as with local
 * files: a single file appears only at close_writer(), a dataset's files one by one as each
 * is committed. A sink that cannot take bytes back (a pipe) is not atomic: its reader must
 * discard the output when the writer reports a failure.
 *
 * Ownership: if `sink` is not NULL, the library owns `context` from the call on: release()
 * (when not NULL) is called exactly once, whether create_writer_with_sink succeeds or fails,
 * after the last other callback. On failure that is before it returns; on success it is when
 * the writer is released, normally within close_writer() or abort_writer().
 *
 * Threads: callbacks are called on the thread making the library call (create, write_batch,
 * commit_files, close_writer, abort_writer), whatever "threads" is (the writer's threads
 * encode columns; the caller's thread writes the bytes). Never two callbacks of one writer at
 * the same time. A callback must not call back into the same writer; it may use the library
 * for other writers.
 *
 * Returns the writer, or NULL on failure with last_error() set: invalid_argument for a NULL
 * config, a NULL sink or a NULL open/write/finish/abort callback; io_error when open()
 * refused or the first write() failed (abort() was then called); otherwise as
 * create_writer(). Release the writer with exactly one close_writer() or abort_writer().
 *
 * Example: a file held in memory (error handling shortened).
 *
 *   struct memory { uint8_t *bytes; size_t length; int finished; };
 *
 *   static int memory_open(void *context, const char *path, void **file) {
 *       (void)path;
 *       *file = context;              // one output: the context itself
 *       return 0;
 *   }
 *   static int memory_write(void *context, void *file, const uint8_t *bytes, size_t length) {
 *       (void)context;
 *       struct memory *m = file;
 *       uint8_t *grown = realloc(m->bytes, m->length + length);
 *       if (grown == NULL) return 1;  // the writer fails with io_error
 *       memcpy(grown + m->length, bytes, length);
 *       m->bytes = grown;
 *       m->length += length;
 *       return 0;
 *   }
 *   static int memory_finish(void *context, void *file) {
 *       (void)context;
 *       ((struct memory *)file)->finished = 1;
 *       return 0;
 *   }
 *   static void memory_abort(void *context, void *file) {
 *       (void)context;
 *       struct memory *m = file;
 *       free(m->bytes);
 *       m->bytes = NULL;
 *       m->length = 0;
 *   }
 *
 *   struct memory m = {0};
 *   struct parquet_writer_sink sink = {&m, memory_open, memory_write, memory_finish,
 *                                      memory_abort, NULL};
 *   parquet_writer *w = create_writer_with_sink(
 *       "{\"path\": \"memory\", \"schema\": {\"fields\": [{\"name\": \"id\", \"type\": \"int64\"}]}}",
 *       &sink);
 *   if (w == NULL) { fprintf(stderr, "%s\n", last_error()); return 1; }
 *   free_string(write_batch(w, "[{\"id\": 1}, {\"id\": 2}]"));
 *   char *summary = close_writer(w);  // finish() ran: m.bytes holds the whole Parquet file
 *   free_string(summary);
 *
 * Bindings/c/example.c runs this sink (`make c-example`).
 * ---------------------------------------------------------------------------------------
 */

/* The caller's output callbacks; see SINKS above. */
struct parquet_writer_sink {
    void *context;
    int (*open)(void *context, const char *path, void **file);
    int (*write)(void *context, void *file, const uint8_t *bytes, size_t length);
    int (*finish)(void *context, void *file);
    void (*abort)(void *context, void *file);
    void (*release)(void *context);
};

/* Opens a writer whose output goes to `sink` (copied during the call); see SINKS above. */
parquet_writer *create_writer_with_sink(const char *config_json, const struct parquet_writer_sink *sink);

#ifdef __cplusplus
}
#endif

#endif /* PARQUET_WRITER_H */
