/// Writes HAProxy's configuration: per cluster a read-write frontend that follows the leader
/// (`GET /primary` on Patroni's REST API) and a read-only frontend (see ``ReadOnlyRoute``): the
/// leader for strong consistency and single-member clusters, else the replicas within the lag
/// bound (bytes, and `max_staleness` as time through `staleness-agent.py`), falling back to the
/// leader when no replica qualifies. Clients never pin a member, so a demoted or cut-off primary
/// stops receiving writes as soon as its REST API stops answering 200.
public struct HAProxyBackend: Backend {
    public init() {}

    public var name: String { "haproxy" }
    public var summary: String {
        "cluster/haproxy/haproxy.cfg and staleness-agent.py: leader-following rw and staleness-bounded ro frontends per cluster"
    }

    /// The agent that decides which replicas are within `max_staleness`, inside the output folder.
    public static let stalenessAgentPath = "\(ClusterLayout.root)/haproxy/staleness-agent.py"

    public func artifacts(for plan: Plan) -> [Artifact] {
        // CloudNativePG runs PostgreSQL, its pooler and its state on the kubernetes target.
        guard plan.target != .kubernetes else { return [] }
        var artifacts = [Artifact(path: ClusterLayout.haproxyPath, contents: Self.text(plan: plan), producer: name)]
        if Self.usesStalenessAgent(plan) {
            artifacts.append(Artifact(path: Self.stalenessAgentPath, contents: StalenessAgentScript.text(plan: plan), producer: name))
        }
        return artifacts
    }

    /// Whether a read-only frontend of the plan asks the staleness agent (and so the agent runs
    /// beside HAProxy).
    public static func usesStalenessAgent(_ plan: Plan) -> Bool {
        plan.clusters.contains {
            if case .replicas(.staleness) = ReadOnlyRoute.of($0, in: plan) { return true }
            return false
        }
    }

    /// The configuration file: the `haproxy.cfg` template over ``HAProxyTemplateContext``.
    package static func text(plan: Plan) -> String {
        TemplateSet.renderCurrent("haproxy.cfg", context: HAProxyTemplateContext(plan: plan), language: .haproxy)
    }

    /// The read-only frontend of a cluster.
    static func readOnly(_ cluster: PlanCluster, section: String, bind: String, plan: Plan) -> HAProxyTemplateContext.Frontend {
        let compose = plan.target == .compose
        let name = CommentQuoting.line(cluster.name)
        switch ReadOnlyRoute.of(cluster, in: plan) {
        case .leader(let reason):
            let why =
                reason == .strongConsistency
                ? "strong consistency: only the leader is sure to hold every acknowledged write"
                : "a single member: no replica to read from"
            return HAProxyTemplateContext.Frontend(
                comments: ["\(name): read-only, the current leader (\(why))."], bind: bind,
                defaultServer: defaultServer(cluster, compose: compose),
                options: ["option httpchk GET /primary", "http-check expect status 200"],
                servers: servers(cluster, plan: plan))
        case .replicas(let check):
            var frontend: HAProxyTemplateContext.Frontend
            switch check {
            case .lagBytes(let bytes):
                frontend = HAProxyTemplateContext.Frontend(
                    comments: ["\(name): read-only, replicas at most \(bytes) bytes behind (Patroni's check); the leader when none is."],
                    bind: bind, defaultServer: defaultServer(cluster, compose: compose),
                    options: ["balance roundrobin", "option httpchk GET /replica?lag=\(bytes)", "http-check expect status 200"],
                    servers: servers(cluster, plan: plan, extra: replicaServerOptions))
            case .staleness(let bytes, let milliseconds):
                frontend = HAProxyTemplateContext.Frontend(
                    comments: [
                        "\(name): read-only, replicas at most \(bytes) bytes behind that have replayed everything the leader",
                        "wrote or whose last replayed commit is at most \(milliseconds) ms old (max_staleness); the leader when none is.",
                    ],
                    bind: bind,
                    defaultServer: defaultServer(
                        cluster, compose: compose, interval: stalenessCheckInterval(cluster, milliseconds: milliseconds)),
                    options: [
                        "balance roundrobin",
                        "# Asks staleness-agent.py (it polls Patroni); no answer marks the replica down.",
                        "option tcp-check",
                        "tcp-check connect addr 127.0.0.1 port \(StalenessAgentScript.port(plan))",
                        "tcp-check send-lf \"%[be_name]/%[srv_name]\\n\"",
                        "tcp-check expect rstring ^up",
                    ],
                    servers: cluster.members.map {
                        "\(ClusterLayout.token($0.name)) \($0.host):\($0.port) check\(replicaServerOptions)"
                    })
            }
            // The fallback: each member again, as a backup that is up exactly while the read-write
            // frontend sees it as the leader.
            frontend.servers += cluster.members.map { member in
                let token = ClusterLayout.token(member.name)
                return "\(token).leader \(member.host):\(member.port) backup track \(section)_rw/\(token)"
            }
            return frontend
        }
    }

    /// The per-member read-only frontends of a cluster (`<cluster>_ro_<member>`): each forwards
    /// to its one member only while Patroni's `GET /replica` answers 200 (running, a replica), and
    /// cuts its sessions when the member stops being one. A client that picks replicas by their
    /// replay position (TopologyClient) reads through them; a member that is or becomes the
    /// leader is never reachable here, so nothing written through this path can land on a
    /// primary, demoted or not.
    static func memberReadOnly(_ cluster: PlanCluster, frontend: PlanFrontend, bindHost: String, plan: Plan)
        -> [HAProxyTemplateContext.MemberFrontend]
    {
        guard let ports = frontend.memberReadOnly else { return [] }
        let section = ClusterLayout.token(cluster.name)
        return ports.compactMap { entry in
            guard let member = cluster.members.first(where: { $0.name == entry.member }) else { return nil }
            let token = ClusterLayout.token(member.name)
            return HAProxyTemplateContext.MemberFrontend(
                section: "\(section)_ro_\(token)",
                frontend: HAProxyTemplateContext.Frontend(
                    comments: [
                        "\(CommentQuoting.line(cluster.name))/\(CommentQuoting.line(member.name)): read-only, this member only, while Patroni reports it a running replica."
                    ],
                    bind: "\(bindHost):\(entry.port)",
                    defaultServer: defaultServer(cluster, compose: plan.target == .compose),
                    options: ["option httpchk GET /replica", "http-check expect status 200"],
                    servers: ["\(token) \(member.host):\(member.port) check port \(member.restPort)\(checkTLS(plan))"]))
        }
    }

    /// The check interval of replicas under `max_staleness`: at most half the bound (so a stale
    /// replica is out within the bound plus one interval and two one-second rechecks), at most
    /// the leader's interval, at least one second.
    static func stalenessCheckInterval(_ cluster: PlanCluster, milliseconds: Int64) -> Int64 {
        max(1, min(checkInterval(cluster), milliseconds / 2000))
    }

    /// How often a member's REST API is asked while it is up: half of Patroni's loop_wait (the
    /// answer cannot change faster than Patroni's loop), at least every second.
    static func checkInterval(_ cluster: PlanCluster) -> Int64 {
        max(1, cluster.failover.loopWait / 2)
    }

    /// Consecutive failed checks before a member is marked down and its sessions are cut: a
    /// healthy leader survives two slow REST replies in a row.
    static let checksToFall = 3

    /// The check timing of a cluster's servers, derived from its Patroni timing: a demoted leader
    /// is marked down within one interval plus two one-second rechecks (`fastinter`), and a newly
    /// promoted member is marked up at its first successful check (`downinter 1s`, `rise 1`).
    static func defaultServer(_ cluster: PlanCluster, compose: Bool, interval: Int64? = nil) -> String {
        "inter \(interval ?? checkInterval(cluster))s fastinter 1s downinter 1s rise 1 fall \(checksToFall) on-marked-down shutdown-sessions"
            + (compose ? " init-addr last,libc,none resolvers compose resolve-prefer ipv4" : "")
    }

    /// A replica that qualifies again ends the sessions on the leader fallback, so that pooled
    /// connections (PgBouncer keeps its server connections) move back to the replicas.
    static let replicaServerOptions = " on-marked-up shutdown-backup-sessions"

    /// One server line per member (without the keyword), checked on its REST port.
    static func servers(_ cluster: PlanCluster, plan: Plan, extra: String = "") -> [String] {
        cluster.members.map { member in
            "\(ClusterLayout.token(member.name)) \(member.host):\(member.port) check port \(member.restPort)\(checkTLS(plan))\(extra)"
        }
    }

    /// The health check's TLS towards Patroni's REST API: HTTPS, with the REST API's certificate
    /// chain verified against the CA under verify-full (HAProxy names servers by address, so no
    /// host name is compared), unverified otherwise. Only the check speaks TLS: the PostgreSQL
    /// traffic passes through HAProxy untouched, encrypted end to end by libpq.
    static func checkTLS(_ plan: Plan) -> String {
        guard let files = ClusterLayout.tls(.patroni, in: plan) else { return "" }
        if files.verifies, let ca = files.ca { return " check-ssl verify required ca-file \(ca)" }
        return " check-ssl verify none"
    }
}
