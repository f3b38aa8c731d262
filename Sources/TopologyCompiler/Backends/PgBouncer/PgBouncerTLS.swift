/// PgBouncer's TLS settings (1.18 names): `client_tls_*` towards applications, from
/// `tls.pgbouncer`, and `server_tls_*` towards PostgreSQL (through HAProxy, which passes TLS
/// through untouched), from `tls.postgres`.
enum PgBouncerTLS {
    /// The `[pgbouncer]` lines, or none when neither side uses TLS.
    static func settings(_ plan: Plan) -> [String] {
        var lines: [String] = []
        if let client = ClusterLayout.tls(.pgbouncer, in: plan) {
            // verify-full is the application's side (it verifies PgBouncer's certificate);
            // PgBouncer itself requires TLS but no client certificate (clients log in with SCRAM).
            let mode = client.mode.requiresTLS ? "require" : "prefer"
            lines += [
                ";; TLS towards clients (tls.pgbouncer: \(client.mode.rawValue)).",
                "client_tls_sslmode = \(mode)",
                "client_tls_cert_file = \(PgBouncerConfig.setting(client.certificate))",
                "client_tls_key_file = \(PgBouncerConfig.setting(client.key))",
            ]
            lines.append("client_tls_protocols = \(protocols(plan))")
        }
        if let server = ClusterLayout.tls(.postgres, in: plan) {
            lines += [
                ";; TLS towards PostgreSQL (tls.postgres: \(server.mode.rawValue)).",
                "server_tls_sslmode = \(server.mode.rawValue)",
            ]
            if server.verifies, let ca = server.ca { lines.append("server_tls_ca_file = \(PgBouncerConfig.setting(ca))") }
            lines.append("server_tls_protocols = \(protocols(plan))")
        }
        return lines
    }

    /// `*_tls_protocols`: the minimum version and every later one PgBouncer 1.18 knows.
    static func protocols(_ plan: Plan) -> String {
        switch plan.tls?.minimumProtocol ?? .tls12 {
        case .tls12: "tlsv1.2,tlsv1.3"
        case .tls13: "tlsv1.3"
        }
    }
}
