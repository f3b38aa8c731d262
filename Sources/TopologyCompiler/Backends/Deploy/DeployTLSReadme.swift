/// The README's TLS section: which files each component reads, and where they come from.
enum DeployTLSReadme {
    /// The section, or nil when nothing is encrypted.
    static func text(plan: Plan) -> String? {
        guard let tls = plan.tls else { return nil }
        var rows: [String] = []
        for component in TLS.Component.allCases {
            guard let files = ClusterLayout.tls(component, in: plan) else {
                rows.append("| \(component.rawValue) | disable | plaintext | | |")
                continue
            }
            rows.append(
                "| \(component.rawValue) | \(files.mode.rawValue) | `\(files.certificate)` | `\(files.key)` | \(files.ca.map { "`\($0)`" } ?? "(none)") |"
            )
        }
        var text = """
            ## TLS

            No certificate or key is written in this folder: the configurations name these paths, and
            the lowest protocol accepted is \(tls.minimumProtocol.rawValue). Under `require` a plaintext connection
            is refused (pg_hba and PgBouncer's HBA have only `hostssl` lines; Patroni's REST API and etcd
            speak HTTPS only); under `verify-full` every client between components also verifies the
            server's certificate against the CA (PgBouncer's `server_tls_sslmode`, Patroni's replication
            `sslmode`, HAProxy's `check-ssl verify required`, patronictl's `ctl.cacert`). etcd requires a
            client certificate signed by the CA from every client and peer.

            | component | mode | certificate | key | CA |
            | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))

            Each certificate needs subject alternative names for every address it is reached by, and
            `extendedKeyUsage = serverAuth, clientAuth` (Patroni and etcd members present it as clients
            of etcd too). The keys must be readable by the user the servers run as (`postgres`), mode
            0600 (PostgreSQL refuses a key readable by others).

            Applications verify the deployment the same way: libpq with `sslmode=verify-full
            sslrootcert=<the CA>`; TopologyClient reads each endpoint's mode from `routing.json`
            (`tls`) and needs the CA as `ClientConfiguration.caFile` when any of them is `verify-full`.

            """
        if plan.target == .compose, tls.usesDefaultDirectory {
            let names =
                (plan.etcd.map(\.host) + plan.clusters.flatMap { $0.members.map(\.host) }
                    + plan.pooler.frontends.map(\.host) + [plan.pooler.host, "localhost"])
            var unique: [String] = []
            for name in names where !unique.contains(name) { unique.append(name) }
            text += """

                The compose file mounts the host folder named by `\(ComposeFile.tlsDirectoryVariable)` read-only at
                `\(ClusterLayout.composeTLSDirectory)` in every server container, and refuses to start without it. Put
                `\(TLSFileNames.ca)`, `\(TLSFileNames.certificate)` and `\(TLSFileNames.key)` there (owned by the uid of
                `postgres` in the image, key mode 0600), with these names in the certificate's
                subject alternative names: \(unique.map { "`\($0)`" }.joined(separator: ", ")), and `127.0.0.1`.

                """
        } else if plan.target == .local, tls.usesDefaultDirectory {
            text += """

                On the local target `topoc up` makes a throwaway CA and a certificate for `127.0.0.1` and
                `localhost` in the run folder's `tls/` (keys mode 0600, owned by the user the servers run
                as), plus `\(TLSFileNames.clientCertificate)`/`\(TLSFileNames.clientKey)` for etcdctl and curl.

                """
        }
        return text
    }
}
