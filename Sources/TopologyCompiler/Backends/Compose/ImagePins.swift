/// The versions the compose image installs, written in one place: the base image and the Debian
/// 12 package versions `scripts/test-compose.sh` builds and runs (it checks them against the
/// mirror with `apt-cache policy` before building, and inside the built image with `dpkg-query`).
///
/// Debian's archive keeps only the newest version of a package in `bookworm`, `bookworm-updates`
/// and `bookworm-security`: when Debian publishes a new one, the pinned version disappears, the
/// image build fails with apt's "version not found", and these pins must be updated to what
/// `apt-cache policy` then offers (and the compose stage run again). Only the packages the
/// Dockerfile names are pinned; their dependencies are whatever those versions require.
public enum ImagePins {
    /// The base image: Debian 12 at the point release the packages below come from. The test
    /// command builds it with debootstrap and tags it with this name (there is no registry here);
    /// under Docker it is Docker Hub's image of that tag, which was never pulled here.
    public static let baseImage = "docker.io/library/debian:12.15"

    /// The major version Debian 12 ships; other majors come from the PostgreSQL project's
    /// repository (PGDG), unpinned, and are not built or run by the test command.
    public static let debianPostgresMajor = 15

    /// Debian 12's packages, by name, with the version installed in the image.
    public static let debian: [String: String] = [
        "ca-certificates": "20250419~deb12u2",
        "curl": "7.88.1-10+deb12u15",
        "etcd-client": "3.4.23-4+b4",
        "etcd-server": "3.4.23-4+b4",
        "gnupg": "2.2.40-1.1+deb12u2",
        "haproxy": "2.6.12-1+deb12u4",
        "patroni": "3.0.2-1",
        "pgbackrest": "2.45-1",
        "pgbouncer": "1.18.0-1+deb12u1",
        "postgresql-15": "15.20-0+deb12u1",
        "postgresql-15-cron": "1.4.2-2+b1",
        "postgresql-15-partman": "4.7.2-1",
        "postgresql-15-wal2json": "2.5-1+b1",
        "postgresql-common": "248+deb12u2",
        "python3-psycopg2": "2.9.5-1+b1",
    ]

    /// The major version of pg_partman the image installs for a PostgreSQL major, when known:
    /// Debian 12's 4.7 for PostgreSQL 15 (the version the generated SQL's API is written and
    /// tested for); nil for other majors, whose pg_partman comes from PGDG.
    public static func partmanMajor(postgres: Int) -> Int? {
        postgres == debianPostgresMajor ? 4 : nil
    }

    /// `name=version` for a pinned package, or the bare name for one that is not pinned (the
    /// PGDG packages of a major Debian does not ship).
    static func install(_ package: String) -> String {
        debian[package].map { "\(package)=\($0)" } ?? package
    }
}
