/// The Dockerfile of the one image every server container runs (etcd, Patroni with PostgreSQL,
/// HAProxy, PgBouncer, and the one-shot schema service), on the pinned Debian 12 base image with
/// the pinned Debian package versions (``ImagePins``).
enum ServerDockerfile {
    /// The PostgreSQL packages of the image: the server and the extensions the plan loads.
    static func postgresPackages(plan: Plan) -> [String] {
        let version = plan.postgresVersion
        var packages = ["postgresql-\(version)"]
        if plan.clusters.contains(where: { ClusterLayout.runsCron($0, in: plan) }) {
            packages.append("postgresql-\(version)-cron")
        }
        if plan.clusters.contains(where: { ClusterLayout.usesPartman($0, in: plan) }) {
            packages.append("postgresql-\(version)-partman")
        }
        if plan.replication.slots.contains(where: { $0.plugin == .wal2json }) {
            packages.append("postgresql-\(version)-wal2json")
        }
        return packages
    }

    /// The Debian packages every image installs besides PostgreSQL (etcdctl comes with etcd-client).
    static let toolPackages = [
        "patroni", "python3-psycopg2", "etcd-server", "etcd-client", "pgbouncer", "haproxy", "curl", "ca-certificates",
    ]

    /// The Dockerfile's text: the `Dockerfile` template over ``DockerfileTemplateContext``.
    static func text(plan: Plan) -> String {
        TemplateSet.renderCurrent("Dockerfile", context: DockerfileTemplateContext(plan: plan), language: .dockerfile)
    }
}
