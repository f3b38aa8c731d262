/// The context of the `Dockerfile` template (docs/templates.md), the compose target's one server
/// image. Package words are pinned `name=version` words (``ImagePins/install(_:)``); comment text
/// passes ``CommentQuoting``.
public struct DockerfileTemplateContext: Encodable, Sendable {
    /// The version of this contract; it changes when a field is renamed or removed.
    public var contextVersion = 1
    /// The topology's name (comment text).
    public var topology: String
    /// The PostgreSQL major version.
    public var postgresVersion: Int
    /// The comment lines on where the packages come from (without `# `).
    public var provenance: [String]
    /// The pinned base image.
    public var baseImage: String
    /// The packages installed before PGDG's repository is set up, space-separated.
    public var firstPackages: String
    /// Whether PostgreSQL comes from PGDG (any major but Debian 12's).
    public var pgdg: Bool
    /// Every other package, space-separated.
    public var packages: String
}

extension DockerfileTemplateContext {
    /// The context of a plan.
    init(plan: Plan) {
        let debian = plan.postgresVersion == ImagePins.debianPostgresMajor
        topology = CommentQuoting.line(plan.topology)
        postgresVersion = plan.postgresVersion
        // Debian 12 ships PostgreSQL 15; other majors come from the PostgreSQL project's apt
        // repository, whose packages are not pinned. The pinned Debian versions of Patroni,
        // PgBouncer and psycopg2 win over PGDG's newer ones because they are named with `=`.
        provenance =
            debian
            ? ["Every named package is pinned to the Debian 12 version topoc's test command builds and runs."]
            : [
                "PostgreSQL \(plan.postgresVersion) and its extensions come from PGDG (apt.postgresql.org) and are NOT pinned:",
                "topoc's test command cannot reach PGDG and has never built or run this image. The Debian",
                "packages (Patroni, PgBouncer, etcd, HAProxy) are pinned to the versions it runs.",
            ]
        baseImage = ImagePins.baseImage
        firstPackages = (["postgresql-common", "ca-certificates", "curl"] + (debian ? [] : ["gnupg"])).map(ImagePins.install)
            .joined(separator: " ")
        pgdg = !debian
        packages =
            (ServerDockerfile.postgresPackages(plan: plan) + ServerDockerfile.toolPackages + (plan.backup != nil ? ["pgbackrest"] : []))
            .map(ImagePins.install).joined(separator: " ")
    }
}
