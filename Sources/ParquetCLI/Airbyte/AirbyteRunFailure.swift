/// Why a run of the destination stopped early.
struct AirbyteRunFailure: Error, Equatable {
    /// What went wrong, naming the line or stream concerned.
    var message: String
    /// The Airbyte failure type: `system_error`, or `config_error` for a bad catalog or
    /// configuration.
    var failureType = "system_error"
}
