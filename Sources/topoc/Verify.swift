import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster
import TopologyRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// `topoc verify`
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a running local deployment's guarantees under load and faults.",
        subcommands: [VerifyConsistency.self])
}

/// `topoc verify consistency FILE`
struct VerifyConsistency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency",
        abstract: "Drive a mixed load through TopologyClient against a running `topoc up` deployment and check its history.",
        discussion: """
            Sessions write and read back at read-your-writes, hand their tokens to others that read at causal, \
            and read at eventual, on every database of every cluster with replicas, while replay is paused on \
            every replica (15-45 % of the run) and the first cluster's leader is killed (Patroni and postmaster, \
            SIGKILL, at 60 %; the deployment stays degraded: topoc down, then topoc up). Every operation is \
            recorded and checked: no read-your-writes or causal violation, no acknowledged write lost at rpo 0, \
            every eventual read within max_staleness. Prints the operations, reads per level and member, the \
            staleness distribution and `N violations`; exits 1 on any violation. The work runs in topoc-verify \
            (beside topoc, or TOPOC_VERIFY), so topoc itself does not link the PostgreSQL driver. It creates the \
            table topoc_verify in each database and uses the superuser only for that and for pausing replay.
            """)

    @Option(name: .long, help: "The run folder (default: the topology's local run folder, .topoc/run).")
    var runDir: String?

    @Option(name: .long, help: "Seconds of load.")
    var seconds: Double = 20

    @Option(
        name: .long,
        help:
            "Where reads go: routed (TopologyClient), ro-pool (PgBouncer's _ro pools, no token check: the control) or checked-ro-pool (TopologyClient through the _ro pools, each replica checked in the read's transaction: its Kubernetes path)."
    )
    var readPath: VerifySpec.ReadPath = .routed

    @Flag(name: .long, help: "Do not kill the leader.")
    var noKill = false

    @Flag(name: .long, help: "Do not pause replay.")
    var noPause = false

    @Option(
        name: .long,
        help:
            "The CA certificate that verify-full endpoints are verified against (default: the run folder's tls/ca.crt that topoc up made, else the topology's ca_file)."
    )
    var caFile: String?

    @Argument(help: "The topology file.")
    var file: String

    func run() throws {
        let compiled = try compile(file, target: .local)
        emit(compiled.diagnostics, format: .text, files: [file])
        guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        let layout = LocalRunLayout(root: runDir ?? LocalRunLayout.defaultRoot(for: plan))
        let specURL: URL
        do {
            let state = try LocalClusterState.load(from: layout.state)
            guard let secrets = LocalSecrets.load(from: layout.secrets),
                let password = secrets.values[plan.secrets.app], let superuser = secrets.values[plan.secrets.superuser],
                let rest = secrets.values[plan.secrets.restAPI]
            else { throw VerifyCommandError("no passwords in \(layout.secrets.path): is the deployment up?") }
            let members = state.members.map {
                VerifySpec.Member(
                    cluster: $0.cluster ?? "", name: $0.name, port: $0.port ?? 0, restPort: $0.restPort ?? 0, patroniPID: $0.process.pid,
                    dataDirectory: $0.dataDirectory ?? "")
            }
            let spec = VerifySpec(
                routing: layout.generated.appendingPathComponent("routing.json").path, username: plan.roles.application,
                password: password, superuserPassword: superuser, restUser: ClusterLayout.restAPIUser, restPassword: rest,
                members: members, seconds: seconds, readPath: readPath,
                pauseReplay: !noPause, killLeader: !noKill, caFile: caFile ?? Self.deploymentCA(plan, layout))
            specURL = layout.root.appendingPathComponent("verify-spec.json")
            // The spec holds passwords: created 0600 first, then written in place (a failed
            // create must not leave the write to make the file with the default mode).
            guard FileManager.default.createFile(atPath: specURL.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: specURL.path])
            }
            try DeterministicJSON.data(spec).write(to: specURL)
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        guard let verifier = Self.verifier() else {
            try? FileManager.default.removeItem(at: specURL)
            printError("topoc: error: topoc-verify not found beside topoc (swift build --product topoc-verify) nor in TOPOC_VERIFY")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        // topoc-verify replaces this process (same PID, same output), so whoever runs
        // `topoc verify` and stops it stops the check itself; it removes the spec once read.
        fflush(nil)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(verifier.path), strdup(specURL.path), nil]
        execv(verifier.path, argv)
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: specURL)
        printError("topoc: error: cannot run \(verifier.path): \(reason)")
        throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
    }

    /// The CA a client of the deployment trusts: the one `topoc up` made in the run folder, else
    /// the topology's own (`tls.ca_file`, as given); nil without TLS.
    static func deploymentCA(_ plan: Plan, _ layout: LocalRunLayout) -> String? {
        guard let tls = plan.tls else { return nil }
        if tls.usesDefaultDirectory { return layout.root.appendingPathComponent("tls").appendingPathComponent(TLSFileNames.ca).path }
        return ClusterLayout.tls(.postgres, in: plan)?.ca ?? ClusterLayout.tls(.pgbouncer, in: plan)?.ca
    }

    /// topoc-verify: `TOPOC_VERIFY`, else beside this executable.
    static func verifier() -> URL? {
        if let path = ProcessInfo.processInfo.environment["TOPOC_VERIFY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let sibling = own.deletingLastPathComponent().appendingPathComponent("topoc-verify")
        return FileManager.default.isExecutableFile(atPath: sibling.path) ? sibling : nil
    }
}

/// A reason `topoc verify` cannot start.
struct VerifyCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
extension VerifySpec.ReadPath: ExpressibleByArgument {}
