/// Writes one etcd configuration file (`etcd --config-file`) per member: three members under
/// compose, one on loopback for the local target. Patroni keeps each cluster's leader key there.
///
/// Every file bounds etcd's history (``History``): etcd 3.4 keeps every revision of every key
/// until it is compacted and compacts nothing by default, so without it the history of Patroni's
/// rewritten keys grows until the backend reaches its quota, the `NOSPACE` alarm trips, and from
/// then on etcd refuses every write, so no leader key can be taken or renewed.
///
/// Compaction does not shrink the database file: it frees pages inside it that later writes
/// reuse, so the file stops growing but keeps its high-water mark, and the quota is measured
/// against the file. etcd never defragments by itself. An operator runs
/// `etcdctl --endpoints=<one member> defrag`, one member at a time (defragmenting blocks that
/// member's reads and writes while it copies the live data), when `etcdctl endpoint status -w json`
/// shows `dbSize` well above `dbSizeInUse` (say more than twice and above 100 MiB), and always
/// to recover from a `NOSPACE` alarm: `etcdctl compact <current revision>`, `defrag` on every
/// member, then `etcdctl alarm disarm`. For Patroni's few kilobytes of live data a defrag takes
/// milliseconds, far below the leader key's ttl.
public struct EtcdBackend: Backend {
    /// How much history etcd keeps and where its space alarm sits.
    public struct History: Sendable, Equatable {
        /// `auto-compaction-retention` for `auto-compaction-mode: periodic`: a Go duration
        /// ("1h", "2s"); etcd 3.4 reads a bare number as hours and "0" as no compaction. etcd
        /// refuses a YAML number here, so it is always written as a string.
        public var compactionRetention: String
        /// `quota-backend-bytes`: the database size at which etcd raises `NOSPACE`.
        public var quotaBackendBytes: Int64

        public init(compactionRetention: String, quotaBackendBytes: Int64) {
            self.compactionRetention = compactionRetention
            self.quotaBackendBytes = quotaBackendBytes
        }

        /// What topoc deploys for a Patroni DCS.
        ///
        /// Retention one hour (etcd's documented example, "keep one hour of history"). Patroni
        /// rewrites a handful of small keys (leader, members, status, sync; well under 1 KiB each)
        /// once per `loop_wait`, so even with a 2 s loop and three members an hour is at most about
        /// 10,000 revisions, some 10 MiB per cluster. The periodic compactor samples the revision
        /// every retention/10 and compacts every hour to the revision of an hour before, so the
        /// history stays between one and two hours and the file stops growing. Patroni itself
        /// needs little history: its etcd3 client (3.0's `KVCache`) reads the cluster's keys,
        /// watches from the revision it read, and after a broken watch reads them again. The hour
        /// is for operators, who can still read what happened to the leader key around a failover
        /// (`etcdctl get --rev`, `etcdctl watch --rev`), at a cost the quota never notices.
        ///
        /// Quota 2 GiB: etcd's default (what 0 or no setting means) and its recommended normal
        /// size (8 GiB is its suggested maximum), written out so the file says where the alarm
        /// is. With compaction Patroni's database stays in the megabytes, so the quota is only the
        /// backstop should compaction stop; a smaller one would trip the alarm sooner for no gain.
        public static let patroni = History(compactionRetention: "1h", quotaBackendBytes: 2 * 1024 * 1024 * 1024)
    }

    /// The history settings every member's file carries.
    public var history: History

    /// A backend writing `history` (``History/patroni`` unless a test shortens it).
    public init(history: History = .patroni) {
        self.history = history
    }

    public var name: String { "etcd" }
    public var summary: String { "cluster/etcd/<member>.yml: etcd members with client and peer URLs, compaction and quota" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        // CloudNativePG runs PostgreSQL, its pooler and its state on the kubernetes target.
        guard plan.target != .kubernetes else { return [] }
        return plan.etcd.map { member in
            Artifact(
                path: ClusterLayout.etcdPath(member: member.name), contents: Self.text(member: member, plan: plan, history: history),
                producer: name)
        }
    }

    /// The configuration file of one member.
    static func text(member: PlanEtcdMember, plan: Plan, history: History) -> String {
        let compose = plan.target == .compose
        let listenHost = compose ? "0.0.0.0" : member.host
        let tls = ClusterLayout.tls(.etcd, in: plan)
        let scheme = tls == nil ? "http" : "https"
        let initialCluster = DCSLayout.peers(of: member, in: plan).map { "\($0.name)=\(scheme)://\($0.host):\($0.peerPort)" }
            .joined(separator: ",")
        var entries: [(String, DeployYAML)] = [
            ("name", .string(member.name)),
            ("data-dir", .string(compose ? "/var/lib/etcd" : "\(ClusterLayout.localRunDirectory(plan))/\(member.name)")),
            ("listen-client-urls", .string("\(scheme)://\(listenHost):\(member.clientPort)")),
            ("advertise-client-urls", .string("\(scheme)://\(member.host):\(member.clientPort)")),
            ("listen-peer-urls", .string("\(scheme)://\(listenHost):\(member.peerPort)")),
            ("initial-advertise-peer-urls", .string("\(scheme)://\(member.host):\(member.peerPort)")),
            ("initial-cluster", .string(initialCluster)),
            ("initial-cluster-token", .string("topoc-\(plan.topology)" + (member.region.map { "-\($0)" } ?? ""))),
            ("initial-cluster-state", .string("new")),
            // With --config-file, etcd 3.4 leaves the gRPC gateway (/v3 JSON, which Patroni's etcd3 uses) off.
            ("enable-grpc-gateway", .bool(true)),
            // etcd 3.4 compacts nothing unless told to (see History).
            ("auto-compaction-mode", .string("periodic")),
            ("auto-compaction-retention", .string(history.compactionRetention)),
            ("quota-backend-bytes", .int(history.quotaBackendBytes)),
        ]
        if let tls {
            // Clients and peers alike present a certificate signed by the CA (client-cert-auth):
            // only Patroni, the other members and an operator's etcdctl with a certificate get in.
            for key in ["client-transport-security", "peer-transport-security"] {
                var security: [(String, DeployYAML)] = [("cert-file", .string(tls.certificate)), ("key-file", .string(tls.key))]
                if let ca = tls.ca {
                    security += [("trusted-ca-file", .string(ca)), ("client-cert-auth", .bool(true))]
                }
                entries.append((key, .mapping(security)))
            }
        }
        let document = DeployYAML.mapping(entries)
        let member = CommentQuoting.line(member.name)
        return "# Generated by topoc from topology '\(CommentQuoting.line(plan.topology))'. Do not edit.\n"
            + "# etcd member \(member): etcd --config-file \(member).yml\n" + document.rendered()
    }
}
