extension RuleCatalog {
    /// The ChangeDataCapture rules.
    static let changeDataCaptureRules: [Rule] = []
}
