/// The TLS parts of a Patroni member's configuration: PostgreSQL's `ssl_*` parameters, the REST
/// API's certificate, `patronictl`'s client settings and the etcd3 client.
enum PatroniTLS {
    /// `ssl` and the `ssl_*` parameters PostgreSQL serves TLS with (kept in the DCS, the same for
    /// every member: every member reads the same paths).
    static func serverParameters(_ plan: Plan) -> [(String, String)] {
        guard let files = ClusterLayout.tls(.postgres, in: plan, fromDataDirectory: true), let tls = plan.tls else { return [] }
        var parameters = [
            ("ssl", "on"), ("ssl_cert_file", files.certificate), ("ssl_key_file", files.key),
            ("ssl_min_protocol_version", tls.minimumProtocol.rawValue),
        ]
        if let ca = files.ca { parameters.append(("ssl_ca_file", ca)) }
        return parameters
    }

    /// `restapi.certfile` and `restapi.keyfile`: the REST API then speaks HTTPS only.
    static func restAPI(_ plan: Plan) -> [(String, DeployYAML)] {
        guard let files = ClusterLayout.tls(.patroni, in: plan) else { return [] }
        return [("certfile", .string(files.certificate)), ("keyfile", .string(files.key))]
    }

    /// `ctl`: how `patronictl` (and Patroni's calls to other members) reach the REST API: the CA
    /// under verify-full, else without verification (`insecure`).
    static func ctl(_ plan: Plan) -> DeployYAML? {
        guard let files = ClusterLayout.tls(.patroni, in: plan) else { return nil }
        var entries: [(String, DeployYAML)] = []
        if files.verifies, let ca = files.ca {
            entries.append(("cacert", .string(ca)))
        } else {
            entries.append(("insecure", .bool(true)))
        }
        entries += [("certfile", .string(files.certificate)), ("keyfile", .string(files.key))]
        return .mapping(entries)
    }

    /// The etcd3 client's `protocol: https`, the CA etcd's certificate is checked against, and the
    /// client certificate etcd requires (`client-cert-auth`).
    static func etcd(_ plan: Plan) -> [(String, DeployYAML)] {
        guard let files = ClusterLayout.tls(.etcd, in: plan) else { return [] }
        var entries: [(String, DeployYAML)] = [("protocol", .string("https"))]
        if let ca = files.ca { entries.append(("cacert", .string(ca))) }
        entries += [("cert", .string(files.certificate)), ("key", .string(files.key))]
        return entries
    }
}
