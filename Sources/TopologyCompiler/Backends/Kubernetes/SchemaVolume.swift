/// The `ConfigMap`s of one script shared by several clusters (`sql/shared/<stem>.sql`), and the
/// script when they hold it in parts, as a cluster's volume reads them once they are written:
/// the `ConfigMap`s' names, without the files they hold
/// (``SchemaJobManifest/sharedVolume(path:contents:configMap:)``).
struct SchemaVolumePart: Sendable {
    /// Its `ConfigMap`s, in order.
    var configMaps: [SchemaConfigMap]
    /// The script, when it is held in parts.
    var joined: [JoinedFile]
}

/// What a cluster's schema Job mounts: one projected volume of its own `ConfigMap`s and the
/// shared ones its scripts include, and the files the Job joins from parts before it runs.
struct SchemaVolume: Sendable {
    /// The cluster's `ConfigMap`s: the first holds `run.sh`.
    var own: [SchemaConfigMap]
    /// The shared `ConfigMap`s it mounts, in the order its scripts first include them.
    var shared: [SchemaConfigMap]
    /// The files held in parts.
    var joined: [JoinedFile]
}
