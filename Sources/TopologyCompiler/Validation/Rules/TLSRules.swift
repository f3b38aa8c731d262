extension RuleCatalog {
    /// The TLS rules (TLS7xx): what a `tls:` section cannot deliver as written.
    static let tlsRules: [Rule] = [
        Rule(.tlsVerifyWithoutCA) { TLSChecks.missingCA($0) },
        Rule(.tlsCertificateOrKeyMissing) { TLSChecks.missingCertificateOrKey($0) },
        Rule(.tlsWeakerComponent) { TLSChecks.weakerComponents($0) },
        Rule(.tlsPreferAcceptsPlaintext) { TLSChecks.prefer($0) },
    ]
}

/// The checks of the TLS rules; each reads the plan's per-component resolution
/// (``PlanTLS/resolve(_:)``) so that rules and backends agree on which files a component gets.
enum TLSChecks {
    /// The components that use TLS with explicit files, with where each is decided.
    static func explicitComponents(_ context: RuleContext) -> [(TLS.Component, PlanTLS.Endpoint, SourceLocation)] {
        guard let tls = context.topology.tls, let plan = PlanTLS.resolve(tls), let section = tls.location else { return [] }
        return TLS.Component.allCases.compactMap { component in
            let endpoint = plan.endpoint(component)
            guard endpoint.enabled, !endpoint.usesDefaultDirectory else { return nil }
            return (component, endpoint, tls.overrides[component]?.location ?? section)
        }
    }

    // MARK: TLS701

    static func missingCA(_ context: RuleContext) {
        for (component, endpoint, location) in explicitComponents(context) where endpoint.caFile == nil {
            guard endpoint.mode == .verifyFull || component == .etcd else { continue }
            let why =
                component == .etcd
                ? "etcd checks every client's and peer's certificate against the CA"
                : "under verify-full its clients check its certificate against the CA"
            context.report(
                "tls for \(component.rawValue) names files but no CA certificate, and \(why); add 'ca_file' or a 'directory' holding \(TLSFileNames.ca)",
                at: location)
        }
    }

    // MARK: TLS702

    static func missingCertificateOrKey(_ context: RuleContext) {
        for (component, endpoint, location) in explicitComponents(context) {
            let missing = [endpoint.certFile == nil ? "cert_file" : nil, endpoint.keyFile == nil ? "key_file" : nil].compactMap { $0 }
            guard !missing.isEmpty else { continue }
            context.report(
                "tls for \(component.rawValue) names files but no \(missing.joined(separator: " and ")); a server needs its certificate and its key (or a 'directory' holding \(TLSFileNames.certificate) and \(TLSFileNames.key))",
                at: location)
        }
    }

    // MARK: TLS703

    static func weakerComponents(_ context: RuleContext) {
        guard let tls = context.topology.tls, tls.mode.value.requiresTLS else { return }
        for component in TLS.Component.allCases {
            guard let override = tls.overrides[component], let mode = override.mode, !mode.value.requiresTLS else { continue }
            context.report(
                "tls.mode is \(tls.mode.value.rawValue), but \(component.rawValue) is \(mode.value.rawValue): \(hop(component)) accepts plaintext",
                at: mode.location,
                notes: [Diagnostic.Note("the section's mode", at: tls.mode.location)])
        }
    }

    /// The connection a component's mode protects, for messages.
    static func hop(_ component: TLS.Component) -> String {
        switch component {
        case .postgres: "every connection to PostgreSQL (PgBouncer's server connections, replication, pg_rewind)"
        case .pgbouncer: "every application connection to PgBouncer"
        case .patroni: "Patroni's REST API (HAProxy's health checks, patronictl)"
        case .etcd: "etcd, which holds each cluster's leader key,"
        }
    }

    // MARK: TLS704

    static func prefer(_ context: RuleContext) {
        guard let tls = context.topology.tls else { return }
        var reported: Set<SourceLocation> = []
        for component in TLS.Component.allCases {
            let mode = tls.mode(of: component)
            guard mode.value == .prefer, reported.insert(mode.location).inserted else { continue }
            context.report(
                "tls mode prefer lets \(component == .postgres || component == .pgbouncer ? "clients" : "every client") connect in plaintext (or be downgraded to it) unnoticed; use require, or verify-full",
                at: mode.location)
        }
    }
}
