import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The compose image: the pinned base image and package versions (``ImagePins``, the one place
/// they are written) and the schema service's script.
struct ComposeImageTests {
    /// `name=version` pairs of a Dockerfile's install lines.
    private func pins(_ dockerfile: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in dockerfile.split(separator: "\n") where line.contains("apt-get install") {
            for word in line.split(separator: " ") where word.contains("=") && !word.hasPrefix("DEBIAN_FRONTEND") {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                result[parts[0]] = parts[1]
            }
        }
        return result
    }

    /// A PostgreSQL 15 image names every package with its pinned version and starts from the
    /// pinned base image; the PostgreSQL 16 image pins the Debian packages (so PGDG's newer
    /// Patroni and PgBouncer are not installed) and says its PostgreSQL is not pinned.
    @Test func everyPackageIsPinnedToOneSourceOfTruth() throws {
        let fifteen = try #require(try PlanTestSupport.plan(example: "timeseries-range.yaml"))
        #expect(fifteen.postgresVersion == 15)
        let dockerfile = try #require(ClusterBackendSupport.artifacts(fifteen)[ClusterLayout.dockerfilePath])
        #expect(dockerfile.contains("\nFROM \(ImagePins.baseImage)\n"))
        let pinned = pins(dockerfile)
        let named = ServerDockerfile.postgresPackages(plan: fifteen) + ServerDockerfile.toolPackages + ["postgresql-common"]
        #expect(named.contains("postgresql-15-partman") && named.contains("postgresql-15-cron"))
        for package in named {
            #expect(pinned[package] != nil && pinned[package] == ImagePins.debian[package], "\(package) pinned")
        }
        #expect(!dockerfile.contains("apt.postgresql.org"))

        let sixteen = try #require(try PlanTestSupport.plan(example: "single-node.yaml"))
        let other = try #require(ClusterBackendSupport.artifacts(sixteen)[ClusterLayout.dockerfilePath])
        let otherPins = pins(other)
        #expect(otherPins["postgresql-16"] == nil && other.contains(" postgresql-16 "))
        for package in ServerDockerfile.toolPackages { #expect(otherPins[package] == ImagePins.debian[package], "\(package)") }
        #expect(other.contains("are NOT pinned"))
    }

    /// Every pinned name is a Debian 12 package this machine's apt knows. The versions are checked
    /// by scripts/test-compose.sh against the image's fresh apt lists (`apt-cache policy`) and
    /// inside the built image (`dpkg-query`), where a mismatch fails the run.
    @Test func pinnedPackagesExistAsDebianPackages() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-cache") else { return }
        let names = ImagePins.debian.keys.sorted()
        let result = Subprocess.run(["/usr/bin/apt-cache", "show", "--no-all-versions"] + names, environment: ["PATH": "/usr/bin:/bin"])
        for name in names {
            #expect(result.output.contains("Package: \(name)\n"), "\(name) is a Debian package")
        }
    }

    /// The schema script is valid POSIX shell (checked by dash), names each cluster's members with
    /// their ports, and reads placement.json's steps in order.
    @Test func schemaScriptParsesAndNamesEveryLeaderCandidate() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let script = try #require(ClusterBackendSupport.artifacts(plan)[ComposeSchemaService.scriptPath])
        let check = Subprocess.run(["/bin/sh", "-n", ClusterBackendSupport.write(script, name: "apply-schema.sh")], environment: [:])
        #expect(check.status == 0, "\(check.error)")
        let members = plan.clusters[0].members.map { "\($0.host):\($0.port):\($0.restPort)" }.joined(separator: " ")
        #expect(script.contains("'main') echo '\(members)' ;;"))
        #expect(script.contains("sorted(manifest[\"steps\"], key=lambda s: s[\"order\"])"))
        #expect(script.contains("-U 'postgres'"))
    }
}

/// The compose README: how the schema arrives, and what topoc's tests do and do not show.
struct ComposeReadmeTests {
    @Test func readmeSaysTheDeploymentAppliesTheSchemaAndWhatIsNotShown() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml"))
        let readme = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.readmePath])
        #expect(readme.contains("The schema is applied by the deployment itself"))
        #expect(readme.contains("There is no manual `psql` step"))
        #expect(readme.contains("docker-compose logs schema"))
        #expect(readme.contains("superuser `\(plan.roles.superuser)` (bootstrap only"))
        #expect(readme.contains("shown there: a Docker engine, the healthcheck-gated start order above"))
        #expect(readme.contains("and `vault`, which requires one, never elects a leader under compose (TPC070)"))
        #expect(readme.contains(ImagePins.baseImage))
        let local = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        #expect(ClusterBackendSupport.artifacts(local)[ClusterLayout.readmePath]?.contains("schema service") == false)
    }
}
