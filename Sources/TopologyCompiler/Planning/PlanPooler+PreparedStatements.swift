extension PlanPooler {
    /// How many prepared statements PgBouncer tracks per server connection when the application
    /// declares them under transaction or statement pooling (PgBouncer's own default from 1.24; 1.21 and later track none until it is set).
    public static let trackedPreparedStatements = 200

    /// `max_prepared_statements` for a pooling section: set only where prepared statements go
    /// through a connection-sharing pool and the PgBouncer release can track them.
    static func maxPreparedStatements(_ pooling: Pooling) -> Int? {
        guard pooling.mode.value != .session, pooling.version >= .preparedStatementTracking,
            pooling.sessionFeatures.contains(where: { $0.value == .preparedStatements })
        else { return nil }
        return trackedPreparedStatements
    }
}
