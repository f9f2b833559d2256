/// How the destination batches records and treats bad input.
struct AirbyteDestinationOptions {
    /// Lines that are not usable messages: stop or skip.
    var onMalformed = MalformedLinePolicy.fail
    /// The most records a stream's batch holds before it is written.
    var batchRows = 10_000
    /// The most bytes a stream's batch holds before it is written.
    var batchBytes = 8 << 20
    /// `on_invalid: null_field`: a value that does not fit its nullable column is written as a
    /// null and recorded in the record's `_airbyte_meta.changes`, instead of the record being
    /// left out (the writer configuration's `on_invalid` still decides for records invalid
    /// otherwise).
    var nullsInvalidValues = false
    /// The longest input line accepted; a longer one is malformed.
    var maximumLineBytes = 256 << 20
    /// The most malformed lines and rejected records reported one by one (per kind and per
    /// stream); past it they are only counted, so a bad source cannot flood the logs.
    var maximumReports = 1000
}
