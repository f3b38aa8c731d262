/// A backend whose one file is a value's JSON (plan.json, routing.json): the largest files of a
/// build (59 and 52 MB at 4,096 shards). A build writes them into its staging piece by piece
/// (``stage(_:into:)``), so their text is never held whole; ``Backend/artifacts(for:)`` gives the
/// same bytes in memory (``jsonArtifacts(for:)``).
protocol JSONFileBackend: StagingBackend {
    /// The value the file holds.
    associatedtype Document: Encodable
    /// The file's path inside the output folder.
    var path: String { get }
    /// What the file holds for `plan`.
    func document(for plan: Plan) -> Document
}

extension JSONFileBackend {
    /// The backend's one artifact: the document's JSON (``DeterministicJSON/bytes(_:)``).
    func jsonArtifacts(for plan: Plan) -> [Artifact] {
        [Artifact(path: path, contents: DeterministicJSON.bytes(document(for: plan)), producer: name)]
    }

    /// Writes the bytes of ``jsonArtifacts(for:)`` into `staging` as the encoder lays them out.
    func stage(_ plan: Plan, into staging: OutputStaging) {
        let document = document(for: plan)
        staging.stage(path, producer: name) { (file) throws(OutputSystemError) in
            var sink = file
            try DeterministicJSON.write(document, to: &sink)
        }
    }
}
