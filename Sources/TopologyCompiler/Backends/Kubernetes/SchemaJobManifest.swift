/// The schema of a cluster as Kubernetes objects: `ConfigMap`s holding the cluster's generated
/// scripts (the roles script Patroni's post_bootstrap runs elsewhere, and every database's DDL) and
/// a `Job` that applies them in the plan's order at the cluster's `-rw` service, as the superuser
/// (bootstrap only, as on the other targets), retrying each step until the primary accepts it.
///
/// A script shared by several clusters (`sql/shared/`, such as the shards' common schema with its
/// ring) has `ConfigMap`s of its own, written once for the namespace, which each including
/// cluster's Job projects into the same volume. ``ConfigMapPacking`` keeps every `ConfigMap`
/// within what the API server and client-side `kubectl apply` accept, cutting a larger script
/// into parts the Job joins before it runs anything.
///
/// The Job runs the CloudNativePG PostgreSQL image (for psql) as its postgres user (uid 26). It
/// receives the superuser's password and each login role's password from their Secrets through
/// `secretKeyRef`; the scripts read them from the environment (`\getenv`), never from a file in
/// the ConfigMap. Databases are created by the roles script and declared as `Database` objects;
/// multi-primary subscriptions are `Subscription` objects, not scripts.
enum SchemaJobManifest {
    /// Where the scripts are mounted in the Job's container, laid out as under `sql/`: the
    /// cluster's own `ConfigMap`s at `<cluster>/`, the shared ones at `shared/` (each a
    /// projected volume without `items`, so the Job's size does not grow with the scripts).
    static let mountPath = "/etc/topoc/schema"
    /// The folder of the shared scripts under ``mountPath``, as `sql/shared/` (``SharedSchemaGroup``).
    static let sharedFolder = "shared"
    /// The entry point, in the cluster's folder.
    static let runScript = "run.sh"
    /// Where the Job joins scripts held in parts (an `emptyDir`: the root filesystem is read-only).
    static let workPath = "/tmp/topoc-schema"
    /// The databases of the cluster and their scripts, one `<database> <script>` per line in the
    /// order the Job applies them: data, so a cluster of thousands of databases can have it cut
    /// into parts like any script. Neither holds white space: databases are SQL identifiers and
    /// scripts `<cluster>/<database>.sql` (``NameRules``).
    static let stepsFile = "steps.txt"
    /// The roles script inside the ConfigMap.
    static let rolesScript = "post-bootstrap.sh"
    /// How long each step is retried, in seconds.
    static let patience = 900
    /// The uid of the postgres user in CloudNativePG's images.
    static let postgresUID = 26

    /// The scripts of a cluster, in the order the Job runs them: (ConfigMap key, database, path
    /// in the output folder, path in the mounted volume).
    static func steps(
        _ cluster: PlanCluster, plan: Plan, databases: [PlanDatabase]? = nil
    ) -> [(key: String, database: String, path: String, mounted: String)] {
        (databases ?? ClusterLayout.databases(of: cluster, in: plan)).map { database in
            let path = DatabaseScript.path(database)
            return (String(path.split(separator: "/").last ?? Substring(path)), database.name, path, mounted(path))
        }
    }

    /// A script's path in the mounted volume: its path under `sql/`, so a `\ir` between scripts
    /// resolves as in the output folder.
    static func mounted(_ path: String) -> String {
        path.hasPrefix("sql/") ? String(path.dropFirst(4)) : path
    }

    /// The `ConfigMap`s of the shared script at `path` (`sql/shared/<stem>.sql`) whose text's
    /// UTF-8 bytes are `contents`, each handed to `configMap` as soon as it is filled: one, or
    /// the script's parts in several when it is too large for one. Written once for the namespace
    /// and mounted by every cluster whose scripts include it.
    ///
    /// - Returns: What a cluster's volume reads of them: their names and the file joined from
    ///   the parts.
    static func sharedVolume(path: String, contents: [UInt8], configMap: (SchemaConfigMap) -> Void) -> SchemaVolumePart {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let stem = file.hasSuffix(".sql") ? String(file.dropLast(4)) : file
        let first = KubernetesNames.sharedSchema(stem: stem)
        var placer = ConfigMapPlacer(name: { KubernetesNames.configMap(first, index: $0) })
        var names: [String] = []
        var parts: [String] = []
        func placed(_ map: SchemaConfigMap) {
            names.append(map.name)
            configMap(map)
        }
        ConfigMapPacking.split(key: file, path: mounted(path), contents: contents) { piece in
            parts.append(piece.path)
            placer.add(piece, full: placed)
        }
        placer.finish(placed)
        return SchemaVolumePart(
            configMaps: names.map { SchemaConfigMap(name: $0, files: []) },
            joined: parts.count > 1 ? [JoinedFile(path: mounted(path), parts: parts)] : [])
    }

    /// The volume of a cluster's Job: its own `ConfigMap`s (the roles script, `run.sh` and its
    /// databases' scripts) and the shared ones its scripts include (from ``sharedVolume(path:contents:configMap:)``);
    /// `databases` are the cluster's (``ClusterLayout/databases(of:in:)`` when not given).
    static func volume(
        _ cluster: PlanCluster, plan: Plan, namespace: String, scripts: SchemaScripts, includes: [String: String],
        shared: [String: SchemaVolumePart], databases: [PlanDatabase]? = nil
    ) -> SchemaVolume {
        var included: [SchemaVolumePart] = []
        var seen = Set<String>()
        let databases = databases ?? ClusterLayout.databases(of: cluster, in: plan)
        let steps = steps(cluster, plan: plan, databases: databases)
        let folder = cluster.name
        var files = [
            MountedFile(
                key: rolesScript, path: "\(folder)/\(rolesScript)",
                text: PostBootstrapScript.text(cluster: cluster, plan: plan, databases: databases)),
            MountedFile(key: stepsFile, path: "\(folder)/\(stepsFile)", text: stepsText(cluster, steps: steps)),
        ]
        for step in steps {
            files.append(MountedFile(key: step.key, path: step.mounted, text: scripts[step.path] ?? ""))
            if let path = includes[step.path], seen.insert(path).inserted, let part = shared[path] { included.append(part) }
        }
        let pieces = files.map { ConfigMapPacking.split($0) }
        let joined =
            zip(files, pieces).compactMap { ConfigMapPacking.joined($0, pieces: $1) } + included.flatMap(\.joined)
        let run = MountedFile(
            key: runScript, path: "\(folder)/\(runScript)", text: run(cluster, plan: plan, namespace: namespace, joined: joined))
        let first = KubernetesNames.schema(cluster: cluster.name)
        let own = ConfigMapPacking.place([run] + pieces.flatMap { $0 }, name: { KubernetesNames.configMap(first, index: $0) })
        return SchemaVolume(own: own, shared: included.flatMap(\.configMaps), joined: joined)
    }

    /// The text of ``stepsFile``.
    static func stepsText(_ cluster: PlanCluster, steps: [(key: String, database: String, path: String, mounted: String)]) -> String {
        var lines = [
            "# The databases of cluster \(CommentQuoting.line(cluster.name)) and their scripts, in the order run.sh applies them."
        ]
        lines += steps.map { "\($0.database) \($0.mounted)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A cluster's own `ConfigMap`s.
    static func configMaps(_ volume: SchemaVolume, namespace: String) -> [KubernetesObject] {
        volume.own.map { configMap($0, namespace: namespace) }
    }

    /// A `ConfigMap` object: its files' keys and texts, sorted by key.
    static func configMap(_ configMap: SchemaConfigMap, namespace: String) -> KubernetesObject {
        let data = configMap.files.map { ($0.key, DeployYAML.string($0.text)) }.sorted { $0.0 < $1.0 }
        return KubernetesObject(
            apiVersion: "v1", kind: "ConfigMap", name: configMap.name, namespace: namespace, body: [("data", .mapping(data))])
    }

    /// The Job.
    static func job(_ cluster: PlanCluster, plan: Plan, namespace: String, volume: SchemaVolume) -> KubernetesObject {
        var env: [DeployYAML] = [secretEnvironment("PGPASSWORD", variable: plan.secrets.superuser)]
        for secret in ClusterLayout.loginSecrets(plan) {
            env.append(secretEnvironment(secret.variable, variable: secret.variable))
        }
        var mounts: [DeployYAML] = []
        var volumes: [DeployYAML] = []
        for (name, folder, configMaps) in [("schema", cluster.name, volume.own), ("shared", sharedFolder, volume.shared)] {
            guard !configMaps.isEmpty else { continue }
            mounts.append(
                .mapping([("name", .string(name)), ("mountPath", .string("\(mountPath)/\(folder)")), ("readOnly", .bool(true))]))
            let sources: [DeployYAML] = configMaps.map { .mapping([("configMap", .mapping([("name", .string($0.name))]))]) }
            volumes.append(.mapping([("name", .string(name)), ("projected", .mapping([("sources", .sequence(sources))]))]))
        }
        if !volume.joined.isEmpty {
            mounts.append(.mapping([("name", .string("work")), ("mountPath", .string(workPath))]))
            volumes.append(.mapping([("name", .string("work")), ("emptyDir", .mapping([]))]))
        }
        let container: [(String, DeployYAML)] = [
            ("name", .string("schema")),
            ("image", .string(ClusterManifest.image(postgres: plan.postgresVersion))),
            ("command", .strings(["sh", "\(mountPath)/\(cluster.name)/\(runScript)"])),
            ("env", .sequence(env)),
            ("volumeMounts", .sequence(mounts)),
            (
                "securityContext",
                .mapping([
                    ("allowPrivilegeEscalation", .bool(false)), ("readOnlyRootFilesystem", .bool(true)),
                    ("capabilities", .mapping([("drop", .strings(["ALL"]))])),
                ])
            ),
        ]
        let pod: [(String, DeployYAML)] = [
            ("restartPolicy", .string("Never")),
            (
                "securityContext",
                .mapping([
                    ("runAsNonRoot", .bool(true)), ("runAsUser", .int(postgresUID)),
                    ("seccompProfile", .mapping([("type", .string("RuntimeDefault"))])),
                ])
            ),
            ("containers", .sequence([.mapping(container)])),
            ("volumes", .sequence(volumes)),
        ]
        let spec: [(String, DeployYAML)] = [
            ("backoffLimit", .int(3)),
            (
                "template",
                .mapping([("metadata", .mapping([("labels", KubernetesObject.labels(namespace: namespace))])), ("spec", .mapping(pod))])
            ),
        ]
        return KubernetesObject(
            apiVersion: "batch/v1", kind: "Job", name: KubernetesNames.schema(cluster: cluster.name), namespace: namespace,
            body: [("spec", .mapping(spec))])
    }

    private static func secretEnvironment(_ name: String, variable: String) -> DeployYAML {
        .mapping([("name", .string(name)), ("valueFrom", .mapping([("secretKeyRef", SecretReference.passwordKey(variable: variable))]))])
    }

    /// The Job's script: the files held in parts joined (`joined`), then the roles script, then
    /// each database's DDL in the order of ``stepsFile``, each retried. Its size does not grow
    /// with the cluster's databases (only with the parts it joins), so it is never cut.
    static func run(_ cluster: PlanCluster, plan: Plan, namespace: String, joined: [JoinedFile]) -> String {
        let host = KubernetesNames.serviceHost("\(cluster.name)-rw", namespace: namespace)
        var lines = [
            "#!/bin/sh",
            "# Generated by topoc from topology '\(CommentQuoting.line(plan.topology))'. Do not edit.",
            "# The schema Job of cluster \(CommentQuoting.line(cluster.name)): the roles and databases (post-bootstrap.sh), then each",
            "# database's DDL in the order of \(stepsFile), at the primary's service as the superuser (PGPASSWORD from its Secret). Every",
            "# script is idempotent; a step that fails is retried for up to \(patience) s. PGHOST, PGPORT and",
            "# TOPOC_SCHEMA_PATIENCE override the service, its port and the patience (scripts/test-cnpg-schema.sh).",
            "set -eu",
            ": \"${PGPASSWORD:?PGPASSWORD must hold the superuser's password}\"",
            "dir=$(dirname \"$(dirname \"$0\")\")",
        ]
        if !joined.isEmpty {
            lines += [
                "# Scripts larger than a ConfigMap may hold arrive in parts: copy the volume to a writable",
                "# folder (TOPOC_SCHEMA_WORK overrides it) and join each script's parts there.",
                "work=${TOPOC_SCHEMA_WORK:-\(workPath)}",
                "for folder in \"$dir\"/*/; do",
                "    name=$(basename \"$folder\")",
                "    mkdir -p \"$work/$name\"",
                "    cp -L \"$folder\"* \"$work/$name/\"",
                "done",
                "dir=$work",
            ]
            for file in joined {
                let parts = file.parts.map { "\"$dir/\"\(ShellQuoting.word($0))" }.joined(separator: " ")
                lines.append("cat \(parts) > \"$dir/\"\(ShellQuoting.word(file.path))")
                lines.append("rm -f \(parts)")
            }
        }
        lines += [
            "patience=${TOPOC_SCHEMA_PATIENCE:-\(patience)}",
            "export PGHOST=${PGHOST:-\(ShellQuoting.word(host))} PGPORT=${PGPORT:-5432} PGUSER=\(ShellQuoting.word(ClusterLayout.superuser))",
            "export PGCONNECT_TIMEOUT=5 PGAPPNAME=topoc-schema",
            "retry() {",
            "    waited=0",
            "    until \"$@\"; do",
            "        if [ \"$waited\" -ge \"$patience\" ]; then echo \"topoc-schema: '$*' did not succeed within $patience s\" >&2; exit 1; fi",
            "        sleep 5; waited=$((waited + 5))",
            "    done",
            "}",
            "retry sh \"$dir/\"\(ShellQuoting.word("\(cluster.name)/\(rolesScript)")) dbname=postgres",
        ]
        lines += [
            "while read -r database script; do",
            "    case $database in '#'* | '') continue ;; esac",
            "    retry psql -X -q -v ON_ERROR_STOP=1 -d \"$database\" -f \"$dir/$script\" </dev/null",
            "    echo \"topoc-schema: $script applied to $database\"",
            "done <\"$dir/\"\(ShellQuoting.word("\(cluster.name)/\(stepsFile)"))",
            "echo 'topoc-schema: done'",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
