/// The destination sync modes this destination implements, and the message for the others.
enum AirbyteSyncModes {
    /// What `spec` advertises: `append` adds each sync's files beside the earlier ones;
    /// `overwrite` replaces the stream's data with the sync's generation at its end.
    static let supported = ["overwrite", "append"]

    /// Why a stream's `destination_sync_mode` cannot be written, nil when it can (absent is
    /// `append`, as the protocol's default).
    /// - Parameter stream: The configured stream.
    /// - Returns: A message naming the stream and the mode.
    static func refusal(of stream: AirbyteConfiguredStream) -> String? {
        switch stream.destinationSyncMode {
        case nil, "append"?, "overwrite"?:
            return nil
        case "append_dedup"?:
            return "stream '\(stream.displayName)': destination_sync_mode 'append_dedup' is not supported: "
                + "this destination writes files and does not deduplicate by primary key; "
                + "use 'append' (readers can deduplicate on the primary key and _airbyte_extracted_at) or 'overwrite'"
        case let other?:
            return "stream '\(stream.displayName)': destination_sync_mode '\(other)' is not supported; "
                + "this destination takes 'append' or 'overwrite'"
        }
    }
}
