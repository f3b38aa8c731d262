import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The throwaway certificates of a local deployment: `topoc up` makes a CA, a server certificate
/// for 127.0.0.1 and localhost (used by every server, and by Patroni as etcd's client) and a
/// client certificate, with `openssl`, in the run folder's `tls/` — never in the output folder.
/// Keys are mode 0600 and owned by the user the servers run as. The CA's key stays there too:
/// the CA exists only for this run folder and `topoc down` removes it with the rest.
public enum LocalCertificates {
    /// How long the certificates are valid.
    static let days = 30

    /// Makes the certificates unless the run folder already has them; does nothing when the plan
    /// uses no default TLS directory. With any TLS, `curl` must be there: `topoc up` and
    /// `topoc status` reach Patroni's REST API and etcd over HTTPS through it (``LoopbackTLS``).
    public static func ensure(plan: Plan, layout: LocalRunLayout, progress: (String) -> Void) throws {
        if plan.tls != nil, !FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") {
            throw LocalClusterError(
                "the topology asks for TLS, and topoc up needs /usr/bin/curl to reach the HTTPS endpoints (apt-get install curl)")
        }
        guard plan.target == .local, plan.tls?.usesDefaultDirectory == true else { return }
        let directory = layout.root.appendingPathComponent("tls")
        let manager = FileManager.default
        let names = [TLSFileNames.ca, TLSFileNames.certificate, TLSFileNames.key, TLSFileNames.clientCertificate, TLSFileNames.clientKey]
        if names.allSatisfy({ manager.fileExists(atPath: directory.appendingPathComponent($0).path) }) { return }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o700)
        let openssl = ["/usr/bin/openssl"]
        guard manager.isExecutableFile(atPath: openssl[0]) else {
            throw LocalClusterError(
                "the topology asks for TLS, and topoc up needs /usr/bin/openssl to make its certificates (apt-get install openssl)")
        }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            openssl + ["req", "-x509"] + key + [
                "-keyout", path("ca.key"), "-out", path(TLSFileNames.ca), "-days", String(days), "-subj", "/CN=topoc throwaway CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            openssl + ["req"] + key + ["-keyout", path(TLSFileNames.key), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"],
            openssl + ["req"] + key + ["-keyout", path(TLSFileNames.clientKey), "-out", path("client.csr"), "-subj", "/CN=topoc-client"],
        ]
        try write(
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
            to: path("server.ext"))
        try write(
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n", to: path("client.ext"))
        let signing: [[String]] = [
            openssl + [
                "x509", "-req", "-in", path("server.csr"), "-CA", path(TLSFileNames.ca), "-CAkey", path("ca.key"), "-CAcreateserial",
                "-days", String(days), "-extfile", path("server.ext"), "-out", path(TLSFileNames.certificate),
            ],
            openssl + [
                "x509", "-req", "-in", path("client.csr"), "-CA", path(TLSFileNames.ca), "-CAkey", path("ca.key"), "-CAcreateserial",
                "-days", String(days), "-extfile", path("client.ext"), "-out", path(TLSFileNames.clientCertificate),
            ],
        ]
        for step in steps + signing {
            let result = Subprocess.run(step, environment: ["PATH": "/usr/bin:/bin"], timeout: 30)
            guard result.status == 0 else {
                throw LocalClusterError("openssl \(step.dropFirst().prefix(2).joined(separator: " ")) failed: \(result.error)")
            }
        }
        for name in ["server.csr", "client.csr", "server.ext", "client.ext", "ca.srl"] {
            try? manager.removeItem(atPath: path(name))
        }
        for name in ["ca.key", TLSFileNames.key, TLSFileNames.clientKey] { chmod(path(name), 0o600) }
        for name in [TLSFileNames.ca, TLSFileNames.certificate, TLSFileNames.clientCertificate] { chmod(path(name), 0o644) }
        if ProcessSpawner.isRoot {
            // The servers run as postgres: PostgreSQL refuses a key it does not own (or root's, 0640).
            let owner = Subprocess.run(
                ["/bin/chown", "-R", "postgres:postgres", directory.path], environment: LocalTools.serverEnvironment())
            guard owner.status == 0 else { throw LocalClusterError("cannot give \(directory.path) to postgres: \(owner.error)") }
        }
        progress("TLS: throwaway CA and certificates for 127.0.0.1/localhost in \(directory.path)")
    }

    private static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw LocalClusterError("cannot write \(path): \(error)")
        }
    }
}
