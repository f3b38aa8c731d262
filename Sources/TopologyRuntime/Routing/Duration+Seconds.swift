extension Duration {
    /// The duration in seconds, as the wall-clock arithmetic of routing and the checker uses it.
    package var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
