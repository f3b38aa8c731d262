/// The codes of the TLS rules (TLS7xx).
extension DiagnosticCode {
    /// A component that verifies certificates has no CA.
    public static let tlsVerifyWithoutCA = DiagnosticCode(
        code: "TLS701", slug: "tls-verify-without-ca", defaultSeverity: .error,
        summary: "A component at verify-full, or etcd (which checks client certificates), names no CA certificate.",
        explanation: """
            Under verify-full every client between components checks the server's certificate \
            against the CA: PgBouncer's server_tls_ca_file, Patroni's sslrootcert for replication \
            and pg_rewind, HAProxy's ca-file on its REST health checks, patronictl's ctl.cacert. \
            etcd asks every client and peer for a certificate signed by the CA \
            (client-cert-auth), at any mode. Without a CA file these settings would be missing and \
            every connection refused (or, worse, a library default trust store used). Name the CA \
            with `ca_file`, or a `directory` holding ca.crt, in the section or the component's \
            override; or leave all paths out to use the target's default directory (the local \
            target's throwaway CA, or /etc/topoc/tls under compose).
            """,
        source: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION")

    /// A component with TLS has no certificate or no key.
    public static let tlsCertificateOrKeyMissing = DiagnosticCode(
        code: "TLS702", slug: "tls-certificate-or-key-missing", defaultSeverity: .error,
        summary: "A component that serves TLS is given explicit files but no certificate or no key.",
        explanation: """
            A server that offers TLS needs both its certificate and the certificate's private key: \
            PostgreSQL refuses to start with ssl=on without ssl_cert_file and ssl_key_file, \
            PgBouncer refuses client_tls_sslmode without client_tls_cert_file and \
            client_tls_key_file, and Patroni's REST API and etcd need both to listen on HTTPS. \
            Once any path is given explicitly, topoc no longer uses the target's default \
            directory for that component, so the missing one would be written as nothing. Give \
            `cert_file` and `key_file` together, or a `directory` holding server.crt and \
            server.key.
            """,
        source: "https://www.postgresql.org/docs/current/ssl-tcp.html#SSL-SETUP")

    /// A component is weaker than the section's mode.
    public static let tlsWeakerComponent = DiagnosticCode(
        code: "TLS703", slug: "tls-weaker-component", defaultSeverity: .warning,
        summary: "The section requires TLS but a component's override accepts plaintext.",
        explanation: """
            Encryption is only as strong as the weakest hop: clients reach PgBouncer, PgBouncer \
            reaches PostgreSQL through HAProxy, HAProxy asks Patroni's REST API which member \
            leads, Patroni keeps the leader key in etcd. With `tls.mode: require` (or \
            verify-full) and one component at prefer or disable, passwords and rows cross that \
            hop in plaintext (PgBouncer's server connections carry every SCRAM exchange and \
            every row; Patroni's REST API carries its basic-auth password; etcd holds the \
            cluster's leader key, which a writer in the middle can steal to cause a failover). \
            Give every component require or verify-full, or lower the section's mode so that the \
            topology says what it delivers.
            """,
        source: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS")

    /// prefer accepts plaintext.
    public static let tlsPreferAcceptsPlaintext = DiagnosticCode(
        code: "TLS704", slug: "tls-prefer-accepts-plaintext", defaultSeverity: .warning,
        summary: "tls mode prefer encrypts only clients that ask, and cannot stop a downgrade.",
        explanation: """
            Under prefer PostgreSQL and PgBouncer offer TLS but keep plain `host` lines, so a \
            client that does not ask for TLS (or one whose request a man in the middle strips) \
            talks in plaintext, and nothing on either side notices. libpq's documentation calls \
            prefer a mode for compatibility, not security. Patroni's REST API and etcd cannot \
            offer both on one port, so topoc serves them over HTTPS under prefer, without \
            verification by their clients. Use require to refuse plaintext, verify-full to also \
            defeat a man in the middle; prefer is for migrating clients one by one.
            """,
        source: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS")
}
