import Foundation
import TopologyCompiler

/// An authenticated request to a member's Patroni REST API (`PATCH /config`, `POST /restart`,
/// `POST /reload`) through `curl`, with the REST API user's password in a netrc file of mode 0600
/// (never on a command line).
struct PatroniRESTRequest {
    /// The REST API user's password.
    var password: String
    /// HTTPS settings, nil for plain HTTP.
    var tls: LoopbackTLS?
    /// A folder only this user can read, for the netrc and body files.
    var folder: URL

    /// Sends `method path` with a JSON body to `127.0.0.1:port`; returns the HTTP status (0 when
    /// nothing answered) and the body.
    func send(_ method: String, _ path: String, json: String?, port: Int, timeout: Double = 30) -> (status: Int, body: String) {
        let netrc = folder.appendingPathComponent(".patroni-netrc")
        let bodyFile = folder.appendingPathComponent(".patroni-body.json")
        defer {
            try? FileManager.default.removeItem(at: netrc)
            try? FileManager.default.removeItem(at: bodyFile)
        }
        let credentials = "machine 127.0.0.1 login \(ClusterLayout.restAPIUser) password \(password)\n"
        guard
            FileManager.default.createFile(
                atPath: netrc.path, contents: Data(credentials.utf8), attributes: [.posixPermissions: 0o600])
        else { return (0, "cannot write \(netrc.path)") }
        var arguments = [
            "/usr/bin/curl", "-sS", "--max-time", String(format: "%.0f", timeout), "--netrc-file", netrc.path, "-X", method, "-o", "-",
            "-w", "\n%{http_code}",
        ]
        if let json {
            guard FileManager.default.createFile(atPath: bodyFile.path, contents: Data(json.utf8), attributes: [.posixPermissions: 0o600])
            else { return (0, "cannot write \(bodyFile.path)") }
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@" + bodyFile.path]
        }
        if let tls {
            if let ca = tls.ca { arguments += ["--cacert", ca] } else { arguments.append("-k") }
            if let certificate = tls.certificate, let key = tls.key { arguments += ["--cert", certificate, "--key", key] }
        }
        arguments.append("\(tls == nil ? "http" : "https")://127.0.0.1:\(port)\(path)")
        let result = Subprocess.run(arguments, environment: ["PATH": "/usr/bin:/bin"], timeout: timeout + 5)
        guard let split = result.output.lastIndex(of: "\n"), let status = Int(result.output[result.output.index(after: split)...])
        else { return (0, result.error) }
        return (status, String(result.output[..<split]) + result.error)
    }
}
