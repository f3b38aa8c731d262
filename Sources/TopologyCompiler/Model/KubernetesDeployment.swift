/// `deployment.kubernetes`: what only the kubernetes target (CloudNativePG) reads: each
/// instance's volume and resources, and the object store its backups go to. Every value is a
/// checked Kubernetes quantity or name; nil means the target's default (docs/kubernetes.md).
public struct KubernetesDeployment: Sendable {
    /// The volume size of each instance (a Kubernetes quantity such as `20Gi`).
    public var storageSize: Located<KubernetesQuantity>?
    /// The StorageClass of each instance's volume; nil for the Kubernetes cluster's default.
    public var storageClass: Located<String>?
    /// The CPU request of each instance (`500m`, `2`).
    public var cpu: Located<KubernetesQuantity>?
    /// The memory request of each instance (`4Gi`).
    public var memory: Located<KubernetesQuantity>?
    /// The CPU limit of each instance; nil for none.
    public var cpuLimit: Located<KubernetesQuantity>?
    /// The memory limit of each instance; nil for the memory request.
    public var memoryLimit: Located<KubernetesQuantity>?
    /// The object store the operator archives WAL and base backups to.
    public var backupRepository: ObjectStoreRepository?
    /// Where the section is.
    public var location: SourceLocation?

    /// An empty section: every value takes the target's default.
    public init(location: SourceLocation? = nil) { self.location = location }
}

/// An object store backups go to (Barman Cloud, as CloudNativePG uses it).
public struct ObjectStoreRepository: Sendable {
    /// The kind of store.
    public var kind: Located<ObjectStoreKind>
    /// Where in the store: `s3://bucket/path`, `gs://bucket/path`, or
    /// `https://account.blob.core.windows.net/container/path`.
    public var destination: Located<String>
    /// The endpoint of an S3-compatible store that is not AWS (`https://minio.example:9000`).
    public var endpoint: Located<String>?
    /// The Kubernetes Secret holding the store's credentials, by name; nil to use the pod's
    /// cloud identity (IAM role, GKE workload identity, Azure AD).
    public var secret: Located<String>?
    /// Where the repository is declared.
    public var location: SourceLocation
}

/// The object stores CloudNativePG backs up to.
public enum ObjectStoreKind: String, Sendable, CaseIterable, Codable {
    /// Amazon S3 or an S3-compatible store (`s3://bucket/path`).
    case s3
    /// Google Cloud Storage (`gs://bucket/path`).
    case gcs
    /// Azure Blob Storage (`https://account.blob.core.windows.net/container/path`).
    case azure

    /// The URL scheme a destination of this kind starts with.
    public var scheme: String {
        switch self {
        case .s3: "s3://"
        case .gcs: "gs://"
        case .azure: "https://"
        }
    }
}
