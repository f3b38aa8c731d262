import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster

/// `topoc check --live FILE`
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a running deployment with its topology's plan and report drift (TLV codes).",
        discussion: """
            With --live, reads the running deployment and reports every difference from the plan at the \
            topology line of the object that drifted: the catalog (tables, columns, indexes and indisvalid, \
            keys, triggers, row security, publications, slots, roles, grants), pg_settings and \
            pending_restart on every member, Patroni's /config, PgBouncer's SHOW CONFIG, pg_cron jobs, \
            pg_partman's part_config and a sample of rows stored on the wrong shard. By default it checks \
            the deployment topoc up runs from --run-dir; with --dsn CLUSTER=CONNINFO (repeatable; a bare \
            CONNINFO for a one-cluster topology) it checks clusters reached by libpq connection strings \
            instead (PostgreSQL only; the string names no database, its password comes from PGPASSWORD or \
            the password file). docs/live-check.md.

            Exit status: 0 when nothing drifted, 1 on drift, 2 when the deployment (or a part of it) \
            cannot be reached or on a usage error.
            """)

    @Flag(name: .long, help: "Check the running deployment (the only mode).")
    var live = false

    @Option(name: .long, help: "The run folder of topoc up (default: the topology's local run folder, .topoc/run).")
    var runDir: String?

    @Option(name: .long, help: "CLUSTER=CONNINFO: reach a cluster's leader through a libpq connection string (repeatable).")
    var dsn: [String] = []

    @Option(name: .long, help: "Rows sampled per sharded table and shard.")
    var sample: Int = 1000

    @Option(name: .long, help: "Output format: text, json or sarif.")
    var format: DiagnosticFormat = .text

    @Argument(help: "The topology file.")
    var file: String

    func validate() throws {
        guard live else { throw ValidationError("check needs --live (topoc validate checks the topology alone)") }
        guard sample > 0 else { throw ValidationError("--sample must be positive") }
        if runDir != nil && !dsn.isEmpty { throw ValidationError("--run-dir and --dsn exclude each other") }
    }

    func run() throws {
        let bytes: [UInt8]
        switch CompilerDriver.read(file) {
        case .success(let read): bytes = read
        case .failure(let failure):
            printError("topoc: error: \(failure.message)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        let input = LiveCheck.input(bytes: bytes, file: file)
        guard let topology = input.topology, let planned = input.plan else {
            emit(input.diagnostics, format: .text, files: [file])
            throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue)
        }
        let layout = LocalRunLayout(root: runDir ?? LocalRunLayout.defaultRoot(for: planned))
        // The local target's paths (data directories, PgBouncer's files) live in the run folder.
        let plan = dsn.isEmpty ? layout.localize(planned) : planned
        let target: LiveTarget
        do { target = try makeTarget(plan, layout: layout) } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        var check = LiveCheck(topology: topology, plan: plan, target: target)
        check.sampleSize = sample
        let report = check.run()
        let diagnostics = check.diagnostics(of: report)
        emit(diagnostics, format: format, files: [file])
        if format == .text { printError(report.summary) }
        let status = LiveCheck.exitStatus(diagnostics)
        if status != 0 { throw ExitCode(status) }
    }

    /// The local deployment, or the clusters named by --dsn.
    private func makeTarget(_ plan: Plan, layout: LocalRunLayout) throws -> LiveTarget {
        guard !dsn.isEmpty else { return try LiveTarget.local(plan: plan, layout: layout) }
        var connections: [String: String] = [:]
        for entry in dsn {
            var cluster: String
            var conninfo: String
            if let equals = entry.firstIndex(of: "="), plan.clusters.contains(where: { $0.name == entry[..<equals] }) {
                cluster = String(entry[..<equals])
                conninfo = String(entry[entry.index(after: equals)...])
            } else if plan.clusters.count == 1 {
                cluster = plan.clusters[0].name
                conninfo = entry
            } else {
                throw ValidationError(
                    "--dsn \(entry.prefix(20))...: name the cluster (CLUSTER=CONNINFO); the plan has \(plan.clusters.map(\.name).joined(separator: ", "))"
                )
            }
            if LiveConnection.namesDatabase(conninfo) {
                throw ValidationError("--dsn for \(cluster) names a database; leave it out, the check chooses each database")
            }
            connections[cluster] = conninfo
        }
        return LiveTarget.connections(plan: plan, dsns: connections)
    }
}
