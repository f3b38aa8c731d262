extension ClusterLayout {
    /// One component's TLS files as a process of the deployment names them.
    public struct TLSFiles: Sendable, Equatable {
        /// The component's mode.
        public var mode: TLS.Mode
        /// The CA certificate, when there is one.
        public var ca: String?
        /// The certificate the component presents.
        public var certificate: String
        /// Its key.
        public var key: String

        /// Whether clients of the component verify its certificate and host name.
        public var verifies: Bool { mode == .verifyFull }
    }

    /// Where the certificates are in every compose container (mounted read-only from the host).
    public static let composeTLSDirectory = "\(containerConfigRoot)/tls"

    /// The folder on the compose host that the compose file mounts at ``composeTLSDirectory``,
    /// relative to the compose file, unless `TOPOC_TLS_DIR` names another.
    public static let composeTLSSource = "./tls"

    /// The default TLS directory of the plan's target: the local run folder's `tls/` (as seen from
    /// the output folder, where every process but PostgreSQL starts), or the compose mount.
    public static func tlsDirectory(_ plan: Plan) -> String {
        plan.target == .compose ? composeTLSDirectory : "\(localRunDirectory(plan))/tls"
    }

    /// A component's files, or nil when it does not use TLS. PostgreSQL reads relative paths from
    /// its data directory (`fromDataDirectory`), which on the local target sits in the run folder.
    public static func tls(_ component: TLS.Component, in plan: Plan, fromDataDirectory: Bool = false) -> TLSFiles? {
        guard let endpoint = plan.tls?.endpoint(component), endpoint.enabled else { return nil }
        if endpoint.usesDefaultDirectory {
            var directory = tlsDirectory(plan)
            if fromDataDirectory, plan.target == .local, !directory.hasPrefix("/") { directory = "../tls" }
            return TLSFiles(
                mode: endpoint.mode, ca: "\(directory)/\(TLSFileNames.ca)", certificate: "\(directory)/\(TLSFileNames.certificate)",
                key: "\(directory)/\(TLSFileNames.key)")
        }
        return TLSFiles(mode: endpoint.mode, ca: endpoint.caFile, certificate: endpoint.certFile ?? "", key: endpoint.keyFile ?? "")
    }

    /// The libpq `sslmode` a client inside the deployment uses towards a component: it follows
    /// the component's mode (`disable` when the component has no TLS).
    public static func sslmode(towards component: TLS.Component, in plan: Plan) -> String {
        tlsMode(of: component, in: plan).rawValue
    }

    /// A component's TLS mode (`disable` when the topology has no `tls:` section).
    public static func tlsMode(of component: TLS.Component, in plan: Plan) -> TLS.Mode {
        plan.tls?.endpoint(component).mode ?? .disable
    }
}
