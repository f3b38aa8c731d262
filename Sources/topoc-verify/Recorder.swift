import TopologyClient

/// Collects the history.
actor Recorder {
    private(set) var operations: [HistoryOperation] = []

    func record(_ operation: HistoryOperation) {
        operations.append(operation)
    }
}
