import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster

/// `topoc up FILE`
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a topology's local target as real processes on 127.0.0.1 (etcd, Patroni, HAProxy, PgBouncer).",
        discussion: """
            Builds the local-target artifacts into RUN/generated, takes each password from its variable when set, else makes a random one (RUN/secrets.env, \
            mode 0600, shell-quoted), starts etcd, every Patroni member, HAProxy and PgBouncer, waits until every cluster \
            has a leader and its replicas stream, applies the DDL through each leader when this topoc has \
            the postgres backend, and prints the endpoints. As root, the servers run as the postgres user. \
            Stop with topoc down; look with topoc status.

            When a deployment already runs from the run folder, topoc up changes it to the topology \
            instead: it prints the change set (topoc diff between the plan the deployment runs, \
            RUN/generated/plan.json, and the new one), writes the migration (topoc migrate) into \
            RUN/migrations/, applies each database's ledger-guarded script on its leader, patches \
            Patroni's dynamic configuration (restarting members with a pending restart, replicas \
            first) and reloads PgBouncer. Run again, it changes nothing. Changes that need new \
            processes (clusters, members), move rows between shards (topoc rebalance) or are manual \
            are refused with exit status 3, as are changes that drop data without --allow-destructive.
            """)

    @Option(name: .long, help: "The run folder (default: the topology's local run folder, .topoc/run).")
    var runDir: String?

    @Option(name: .long, help: "Seconds to wait until every cluster is ready.")
    var timeout: Double = 180

    @Flag(name: .long, help: "Let a change to a running deployment drop tables, columns, partitions or indexes.")
    var allowDestructive = false

    @Argument(help: "The topology file.")
    var file: String

    func run() throws {
        let compiled = try compile(file, target: .local)
        emit(compiled.diagnostics, format: .text, files: [file])
        guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        let layout = LocalRunLayout(root: runDir ?? LocalRunLayout.defaultRoot(for: plan))
        let up = LocalClusterUp(plan: plan, layout: layout, timeout: timeout, allowDestructive: allowDestructive) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        let interrupts = up.stopWhenInterrupted()
        defer { withExtendedLifetime(interrupts) {} }
        let state: LocalClusterState
        do { state = try up.run() } catch let refusal as LocalMigrationRefusal {
            printError("topoc: error: \(refusal)")
            throw ExitCode(MigrationExit.refused)
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        print("")
        print("ready: topology \(state.topology), run folder \(state.runDirectory)")
        print("  pgbouncer \(state.pgbouncer): pools \(state.pools.joined(separator: ", "))")
        for frontend in state.frontends {
            print(
                "  \(frontend.cluster): haproxy rw \(frontend.host):\(frontend.readWritePort), ro \(frontend.host):\(frontend.readOnlyPort)"
            )
        }
        print("  passwords: \(layout.secrets.path) (mode 0600)")
        print("  topoc status --run-dir \(state.runDirectory)    topoc down --run-dir \(state.runDirectory)")
    }
}
