import Foundation
import NIOSSL
import XCTest

@testable import TopologyClient

/// ``PatroniAPIClient`` and ``EndpointTLS`` against a real HTTPS server (Python's `http.server`
/// behind `ssl`, certificates made with `openssl`): verified against the right CA only, the
/// address checked against the certificate's IP names, plain HTTP with a body and credentials,
/// and a server that never answers ended by the deadline.
final class PatroniAPIClientTests: XCTestCase {
    private static let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "topoc-patroni-api-\(UInt32.random(in: 0...UInt32.max))")
    private var servers: [Process] = []

    override class func setUp() {
        super.setUp()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ext = folder.appendingPathComponent("ext").path
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.crt"), "-days", "2",
                "-subj", "/CN=test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            ],
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("other.key"), "-out", path("other.crt"), "-days", "2",
                "-subj", "/CN=another CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            ],
        ]
        for step in steps { _ = run("/usr/bin/openssl", step) }
        // One certificate for 127.0.0.1, one that names another address only.
        for (name, names) in [("server", "IP:127.0.0.1,DNS:localhost"), ("elsewhere", "IP:10.1.2.3")] {
            try? "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=\(names)\n".write(
                toFile: ext, atomically: true, encoding: .utf8)
            _ = run(
                "/usr/bin/openssl",
                [
                    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj",
                    "/CN=\(name)",
                ])
            _ = run(
                "/usr/bin/openssl",
                [
                    "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"), "-CAcreateserial",
                    "-days", "2", "-extfile", ext, "-out", path("\(name).crt"),
                ])
        }
    }

    override class func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    override func tearDown() {
        // SIGKILL: a SIGTERM that the test runner's parent ignores is ignored by its children too,
        // and a server left behind would hold the runner's output open.
        for server in servers where server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        servers = []
        super.tearDown()
    }

    private static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A server on a free loopback port: `GET /patroni` answers a replica's status, `PATCH`
    /// echoes its body and `Authorization`, `GET /hang` never answers. With `certificate`, HTTPS.
    private func server(certificate: String?) throws -> Int {
        let script = """
            import http.server, json, ssl, sys, time
            class Handler(http.server.BaseHTTPRequestHandler):
                def answer(self, body):
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_GET(self):
                    if self.path == "/hang":
                        time.sleep(30)
                    self.answer(b'{"state": "running", "role": "replica", "timeline": 2, "xlog": {"replayed_location": 42}}')
                def do_PATCH(self):
                    data = self.rfile.read(int(self.headers["Content-Length"]))
                    self.answer(json.dumps({"body": data.decode(), "auth": self.headers.get("Authorization", "")}).encode())
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            if len(sys.argv) > 1:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(sys.argv[1] + ".crt", sys.argv[1] + ".key")
                server.socket = context.wrap_socket(server.socket, server_side=True)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + (certificate.map { [Self.path($0)] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        servers.append(process)
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        return try XCTUnwrap(Int(String(decoding: line, as: UTF8.self)), "the test server did not start")
    }

    private func tls(_ mode: ClientTopology.TLSMode, ca: String? = "ca.crt") throws -> EndpointTLS {
        try EndpointTLS(
            modes: ClientTopology.TLS(pooler: mode, members: mode, restAPI: mode), caFile: ca.map { Self.path($0) })
    }

    func testVerifyFullTrustsOnlyTheDeploymentsCA() async throws {
        let port = try server(certificate: "server")
        let api = PatroniAPIClient(tls: try tls(.verifyFull).restAPI, timeout: .seconds(5))
        let response = try await api.send(.GET, host: "127.0.0.1", port: port, path: "/patroni")
        XCTAssertEqual(response.status, 200)
        let status = try JSONDecoder().decode(PatroniStatus.self, from: Data(response.body))
        XCTAssertTrue(status.isReplica)
        let byName = try await api.send(.GET, host: "localhost", port: port, path: "/patroni")
        XCTAssertEqual(byName.status, 200, "the certificate's DNS name")

        let foreign = PatroniAPIClient(tls: try tls(.verifyFull, ca: "other.crt").restAPI, timeout: .seconds(5))
        await assertThrowsTLSError { try await foreign.send(.GET, host: "127.0.0.1", port: port, path: "/patroni") }
        // Plain HTTP to an HTTPS API gets no answer it could take for one.
        let plain = PatroniAPIClient(tls: nil, timeout: .seconds(2))
        let answer = try? await plain.send(.GET, host: "127.0.0.1", port: port, path: "/patroni")
        XCTAssertNotEqual(answer?.status, 200)
    }

    func testVerifyFullChecksTheAddressAgainstTheCertificate() async throws {
        let port = try server(certificate: "elsewhere")
        let verified = PatroniAPIClient(tls: try tls(.verifyFull).restAPI, timeout: .seconds(5))
        await assertThrowsTLSError { try await verified.send(.GET, host: "127.0.0.1", port: port, path: "/patroni") }
        // `require` encrypts without verifying: the same server answers.
        let unverified = PatroniAPIClient(tls: try tls(.require, ca: nil).restAPI, timeout: .seconds(5))
        let answer = try await unverified.send(.GET, host: "127.0.0.1", port: port, path: "/patroni")
        XCTAssertEqual(answer.status, 200)
    }

    func testPlainHTTPSendsTheBodyAndCredentials() async throws {
        let port = try server(certificate: nil)
        let api = PatroniAPIClient(tls: try tls(.disable, ca: nil).restAPI, timeout: .seconds(5))
        let response = try await api.send(
            .PATCH, host: "127.0.0.1", port: port, path: "/config", body: Array(#"{"pause": true}"#.utf8), authorization: "Basic eDp5")
        XCTAssertEqual(response.status, 200)
        let echo = try JSONDecoder().decode([String: String].self, from: Data(response.body))
        XCTAssertEqual(echo, ["body": #"{"pause": true}"#, "auth": "Basic eDp5"])
    }

    func testAServerThatNeverAnswersEndsAtTheDeadline() async throws {
        let port = try server(certificate: nil)
        let api = PatroniAPIClient(tls: nil, timeout: .milliseconds(300))
        let start = ContinuousClock.now
        do {
            _ = try await api.send(.GET, host: "127.0.0.1", port: port, path: "/hang")
            XCTFail("a server that never answers answered")
        } catch let failure as PatroniAPIClient.Failure {
            XCTAssertEqual(failure, .timedOut)
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
        // Nobody listening: a connection error, not a hang.
        let closed = PatroniAPIClient(tls: nil, timeout: .seconds(1))
        let answer = try? await closed.send(.GET, host: "127.0.0.1", port: 1, path: "/patroni")
        XCTAssertNil(answer)
    }

    func testVerifyFullNeedsACertificateAuthority() throws {
        XCTAssertThrowsError(try tls(.verifyFull, ca: nil)) { error in
            XCTAssertEqual(
                (error as? TopologyClientError)?.description,
                TopologyClientError.missingCertificateAuthority("pooler").description)
        }
        XCTAssertThrowsError(try tls(.verifyFull, ca: "missing.crt"))
        XCTAssertNoThrow(try tls(.require, ca: nil))
        let none = try EndpointTLS(modes: nil, caFile: nil)
        XCTAssertNil(none.restAPI, "no tls section: plain HTTP")
        XCTAssertNotNil(try tls(.prefer, ca: nil).restAPI, "Patroni speaks only HTTPS under prefer")
    }

    private func assertThrowsTLSError(
        _ body: () async throws -> PatroniAPIClient.Response, file: StaticString = #filePath, line: UInt = #line
    ) async {
        do {
            _ = try await body()
            XCTFail("the request succeeded with a certificate it must refuse", file: file, line: line)
        } catch {
            XCTAssertTrue(
                error is NIOSSLError || error is BoringSSLError || "\(error)".contains("certificate"),
                "not a TLS error: \(error)", file: file, line: line)
        }
    }
}
