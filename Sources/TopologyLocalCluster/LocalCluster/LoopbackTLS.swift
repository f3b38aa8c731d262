import Foundation
import TopologyCompiler

/// How `topoc up` and its probes reach an HTTPS endpoint of the deployment (Patroni's REST API,
/// etcd): the CA to verify it against (or none: not verified) and the client certificate etcd asks for.
public struct LoopbackTLS: Sendable, Codable, Equatable {
    /// The CA certificate, absolute; nil to skip verification.
    public var ca: String?
    /// The client certificate and key, absolute.
    public var certificate: String?
    public var key: String?

    public init(ca: String?, certificate: String?, key: String?) {
        self.ca = ca
        self.certificate = certificate
        self.key = key
    }

    /// The client settings towards a component of a localized plan (absolute paths), or nil when
    /// it speaks plain HTTP. Under `prefer` and `require` the CA is not checked, as libpq does.
    public static func towards(_ component: TLS.Component, in plan: Plan) -> LoopbackTLS? {
        guard let files = ClusterLayout.tls(component, in: plan) else { return nil }
        return LoopbackTLS(ca: files.verifies || component == .etcd ? files.ca : nil, certificate: files.certificate, key: files.key)
    }
}

extension LoopbackHTTP {
    /// GETs over HTTPS with `curl` (the only HTTPS client on every machine topoc runs on); nil
    /// when nothing answers, the handshake fails or the certificate is refused.
    static func getHTTPS(host: String, port: Int, path: String, timeout: Double, tls: LoopbackTLS) -> Response? {
        var arguments = ["/usr/bin/curl", "-sS", "--max-time", String(format: "%.1f", timeout), "-o", "-", "-w", "\n%{http_code}"]
        if let ca = tls.ca { arguments += ["--cacert", ca] } else { arguments.append("-k") }
        if let certificate = tls.certificate, let key = tls.key { arguments += ["--cert", certificate, "--key", key] }
        arguments.append("https://\(host):\(port)\(path)")
        let result = Subprocess.run(arguments, environment: ["PATH": "/usr/bin:/bin"], timeout: timeout + 2)
        guard result.status == 0, let split = result.output.lastIndex(of: "\n"),
            let status = Int(result.output[result.output.index(after: split)...]), status > 0
        else { return nil }
        return Response(status: status, body: Array(result.output[..<split].utf8))
    }
}
