/// PostgreSQL scripts by path, as the schema `ConfigMap`s read them (a cluster's databases'
/// scripts as ``ManifestStream`` gets them), each decoded into text when a `ConfigMap` needs it.
struct SchemaScripts: Sendable {
    private let artifacts: [String: Artifact]

    /// The scripts among `artifacts` (the first of any path given twice).
    init(_ artifacts: [Artifact]) {
        self.artifacts = Dictionary(artifacts.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The text of the script at `path` (`sql/<cluster>/<database>.sql`, `sql/shared/...`), if
    /// there is one.
    subscript(path: String) -> String? {
        artifacts[path].map { String(decoding: $0.contents, as: UTF8.self) }
    }
}
