import TopologyClient

/// Collects the history.
actor Recorder {
    private(set) var operations: [HistoryOperation] = []
    /// Counts for the watchdog.
    nonisolated let progress: RunProgress

    init(progress: RunProgress) { self.progress = progress }

    func record(_ operation: HistoryOperation) {
        operations.append(operation)
        progress.count(failed: operation.outcome == .failed, endedAt: operation.endedAt)
    }
}
