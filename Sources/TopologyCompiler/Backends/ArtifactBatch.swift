/// Artifacts gathered until they reach a size in bytes, then handed on together: how a backend
/// that makes thousands of files (a script per shard database) hands them to a staged build in
/// bounded batches instead of all at once.
struct ArtifactBatch {
    /// How many bytes gather before the batch is handed on.
    private let size: Int
    /// Receives each batch.
    private let deliver: ([Artifact]) -> Void
    private var artifacts: [Artifact] = []
    private var bytes = 0

    /// A batch handed to `deliver` whenever it holds `size` bytes or more.
    init(size: Int, deliver: @escaping ([Artifact]) -> Void) {
        self.size = size
        self.deliver = deliver
    }

    /// Adds an artifact; hands the batch on if it is full.
    mutating func append(_ artifact: Artifact) {
        artifacts.append(artifact)
        bytes += artifact.contents.count
        if bytes >= size { flush() }
    }

    /// Hands on what has gathered, if anything.
    mutating func flush() {
        guard !artifacts.isEmpty else { return }
        deliver(artifacts)
        artifacts = []
        bytes = 0
    }
}
