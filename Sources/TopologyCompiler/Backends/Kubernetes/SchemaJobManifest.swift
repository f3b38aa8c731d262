/// The schema of a cluster as Kubernetes objects: a `ConfigMap` holding the cluster's generated
/// scripts (the roles script Patroni's post_bootstrap runs elsewhere, and every database's DDL) and
/// a `Job` that applies them in the plan's order at the cluster's `-rw` service, as the superuser
/// (bootstrap only, as on the other targets), retrying each step until the primary accepts it.
///
/// The Job runs the CloudNativePG PostgreSQL image (for psql) as its postgres user (uid 26). It
/// receives the superuser's password and each login role's password from their Secrets through
/// `secretKeyRef`; the scripts read them from the environment (`\getenv`), never from a file in
/// the ConfigMap. Databases are created by the roles script and declared as `Database` objects;
/// multi-primary subscriptions are `Subscription` objects, not scripts.
enum SchemaJobManifest {
    /// Where the ConfigMap is mounted in the Job's container.
    static let mountPath = "/etc/topoc/schema"
    /// The entry point inside the ConfigMap.
    static let runScript = "run.sh"
    /// The roles script inside the ConfigMap.
    static let rolesScript = "post-bootstrap.sh"
    /// How long each step is retried, in seconds.
    static let patience = 900
    /// The uid of the postgres user in CloudNativePG's images.
    static let postgresUID = 26

    /// The scripts of a cluster, in the order the Job runs them: (ConfigMap key, database, path
    /// in the output folder, path in the mounted volume).
    static func steps(_ cluster: PlanCluster, plan: Plan) -> [(key: String, database: String, path: String, mounted: String)] {
        ClusterLayout.databases(of: cluster, in: plan).map { database in
            let path = DatabaseScript.path(database)
            return (String(path.split(separator: "/").last ?? Substring(path)), database.name, path, mounted(path))
        }
    }

    /// The shared scripts the cluster's scripts include (`\ir`): (ConfigMap key, path in the
    /// output folder, path in the mounted volume).
    static func includedScripts(_ cluster: PlanCluster, plan: Plan, includes: [String: String]) -> [(
        key: String, path: String, mounted: String
    )] {
        var seen = Set<String>()
        return steps(cluster, plan: plan).compactMap { step in
            guard let shared = includes[step.path], seen.insert(shared).inserted else { return nil }
            let name = shared.split(separator: "/").last.map(String.init) ?? shared
            return ("shared.\(name)", shared, mounted(shared))
        }
    }

    /// A script's path in the mounted volume: its path under `sql/`, so a `\ir` between scripts
    /// resolves as in the output folder.
    static func mounted(_ path: String) -> String {
        path.hasPrefix("sql/") ? String(path.dropFirst(4)) : path
    }

    /// The ConfigMap, from the postgres backend's scripts (`scripts`: path -> text).
    static func configMap(
        _ cluster: PlanCluster, plan: Plan, namespace: String, scripts: [String: String], includes: [String: String]
    ) -> KubernetesObject {
        var data: [(String, DeployYAML)] = [
            (rolesScript, .string(PostBootstrapScript.text(cluster: cluster, plan: plan))),
            (runScript, .string(run(cluster, plan: plan, namespace: namespace))),
        ]
        for step in steps(cluster, plan: plan) {
            data.append((step.key, .string(scripts[step.path] ?? "")))
        }
        for shared in includedScripts(cluster, plan: plan, includes: includes) {
            data.append((shared.key, .string(scripts[shared.path] ?? "")))
        }
        return KubernetesObject(
            apiVersion: "v1", kind: "ConfigMap", name: KubernetesNames.schema(cluster: cluster.name), namespace: namespace,
            body: [("data", .mapping(data.sorted { $0.0 < $1.0 }))])
    }

    /// The ConfigMap's keys and where the Job's volume mounts each: the scripts keep the
    /// `sql/` folder's layout (`<cluster>/<database>.sql`, `shared/...`).
    static func volumeItems(_ cluster: PlanCluster, plan: Plan, includes: [String: String]) -> [(key: String, path: String)] {
        var items = [(rolesScript, rolesScript), (runScript, runScript)]
        items += steps(cluster, plan: plan).map { ($0.key, $0.mounted) }
        items += includedScripts(cluster, plan: plan, includes: includes).map { ($0.key, $0.mounted) }
        return items
    }

    /// The Job.
    static func job(_ cluster: PlanCluster, plan: Plan, namespace: String, includes: [String: String]) -> KubernetesObject {
        var env: [DeployYAML] = [secretEnvironment("PGPASSWORD", variable: plan.secrets.superuser)]
        for secret in ClusterLayout.loginSecrets(plan) {
            env.append(secretEnvironment(secret.variable, variable: secret.variable))
        }
        let container: [(String, DeployYAML)] = [
            ("name", .string("schema")),
            ("image", .string(ClusterManifest.image(postgres: plan.postgresVersion))),
            ("command", .strings(["sh", "\(mountPath)/\(runScript)"])),
            ("env", .sequence(env)),
            (
                "volumeMounts",
                .sequence([.mapping([("name", .string("schema")), ("mountPath", .string(mountPath)), ("readOnly", .bool(true))])])
            ),
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
            (
                "volumes",
                .sequence([
                    .mapping([
                        ("name", .string("schema")),
                        (
                            "configMap",
                            .mapping([
                                ("name", .string(KubernetesNames.schema(cluster: cluster.name))),
                                (
                                    "items",
                                    .sequence(
                                        volumeItems(cluster, plan: plan, includes: includes).map {
                                            .mapping([("key", .string($0.key)), ("path", .string($0.path))])
                                        })
                                ),
                            ])
                        ),
                    ])
                ])
            ),
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

    /// The Job's script: the roles script, then each database's DDL, each retried.
    static func run(_ cluster: PlanCluster, plan: Plan, namespace: String) -> String {
        let host = KubernetesNames.serviceHost("\(cluster.name)-rw", namespace: namespace)
        var lines = [
            "#!/bin/sh",
            "# Generated by topoc from topology '\(CommentQuoting.line(plan.topology))'. Do not edit.",
            "# The schema Job of cluster \(CommentQuoting.line(cluster.name)): the roles and databases (post-bootstrap.sh), then each",
            "# database's DDL, at the primary's service as the superuser (PGPASSWORD from its Secret). Every",
            "# script is idempotent; a step that fails is retried for up to \(patience) s. PGHOST, PGPORT and",
            "# TOPOC_SCHEMA_PATIENCE override the service, its port and the patience (scripts/test-cnpg-schema.sh).",
            "set -eu",
            ": \"${PGPASSWORD:?PGPASSWORD must hold the superuser's password}\"",
            "dir=$(dirname \"$0\")",
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
            "retry sh \"$dir/\(rolesScript)\" dbname=postgres",
        ]
        for step in steps(cluster, plan: plan) {
            lines.append(
                "retry psql -X -q -v ON_ERROR_STOP=1 -d \(ShellQuoting.word(step.database)) -f \"$dir/\"\(ShellQuoting.word(step.mounted))")
            lines.append("echo \(ShellQuoting.word("topoc-schema: \(step.key) applied to \(step.database)"))")
        }
        lines.append("echo 'topoc-schema: done'")
        return lines.joined(separator: "\n") + "\n"
    }
}
