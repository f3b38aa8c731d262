import Testing

@testable import TopologyCompiler

enum TLSKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.tls, "mode", DecodeFixture.document("tls:\n  mode: verify-full\n")) {
            let tls = try #require($0.topology.tls)
            #expect(tls.mode.value == .verifyFull)
            $0.expect(tls.mode.location, at: "verify-full")
            $0.expect(tls.location, at: "mode:")
        },
        GrammarKeyCase(.tls, "directory", DecodeFixture.document("tls:\n  directory: /etc/pki/topoc\n")) {
            let tls = try #require($0.topology.tls)
            #expect(tls.mode.value == .require, "a section without a mode requires TLS")
            let directory = try #require(tls.files.directory)
            #expect(directory.value == "/etc/pki/topoc")
            $0.expect(directory.location, at: "/etc/pki/topoc")
        },
        GrammarKeyCase(.tls, "ca_file", DecodeFixture.document("tls:\n  ca_file: /etc/pki/ca.pem\n")) {
            let file = try #require($0.topology.tls?.files.caFile)
            #expect(file.value == "/etc/pki/ca.pem")
            $0.expect(file.location, at: "/etc/pki/ca.pem")
        },
        GrammarKeyCase(.tls, "cert_file", DecodeFixture.document("tls:\n  cert_file: /etc/pki/db.crt\n")) {
            let file = try #require($0.topology.tls?.files.certFile)
            #expect(file.value == "/etc/pki/db.crt")
            $0.expect(file.location, at: "/etc/pki/db.crt")
        },
        GrammarKeyCase(.tls, "key_file", DecodeFixture.document("tls:\n  key_file: /etc/pki/db.key\n")) {
            let file = try #require($0.topology.tls?.files.keyFile)
            #expect(file.value == "/etc/pki/db.key")
            $0.expect(file.location, at: "/etc/pki/db.key")
        },
        GrammarKeyCase(.tls, "min_protocol", DecodeFixture.document("tls:\n  min_protocol: TLSv1.3\n")) {
            let minimum = try #require($0.topology.tls?.minimumProtocol)
            #expect(minimum.value == "TLSv1.3")
            $0.expect(minimum.location, at: "TLSv1.3")
        },
        GrammarKeyCase(.tls, "postgres", DecodeFixture.document("tls:\n  postgres: { mode: verify-full }\n")) {
            let tls = try #require($0.topology.tls)
            #expect(tls.mode(of: .postgres).value == .verifyFull)
            #expect(tls.mode(of: .etcd).value == .require)
            $0.expect(tls.overrides[.postgres]?.location, at: "{ mode")
        },
        GrammarKeyCase(.tls, "pgbouncer", DecodeFixture.document("tls:\n  pgbouncer: { mode: prefer }\n")) {
            #expect($0.topology.tls?.mode(of: .pgbouncer).value == .prefer)
        },
        GrammarKeyCase(.tls, "patroni", DecodeFixture.document("tls:\n  patroni: { mode: disable }\n")) {
            #expect($0.topology.tls?.mode(of: .patroni).value == .disable)
        },
        GrammarKeyCase(.tls, "etcd", DecodeFixture.document("tls:\n  etcd: { directory: /etc/etcd/pki }\n")) {
            #expect($0.topology.tls?.overrides[.etcd]?.files.directory?.value == "/etc/etcd/pki")
        },
        GrammarKeyCase(.tlsComponent, "mode", DecodeFixture.document("tls:\n  etcd:\n    mode: verify-full\n")) {
            let mode = try #require($0.topology.tls?.overrides[.etcd]?.mode)
            #expect(mode.value == .verifyFull)
            $0.expect(mode.location, at: "verify-full")
        },
        GrammarKeyCase(.tlsComponent, "directory", DecodeFixture.document("tls:\n  patroni:\n    directory: /etc/patroni/tls\n")) {
            let directory = try #require($0.topology.tls?.overrides[.patroni]?.files.directory)
            $0.expect(directory.location, at: "/etc/patroni/tls")
        },
        GrammarKeyCase(.tlsComponent, "ca_file", DecodeFixture.document("tls:\n  postgres:\n    ca_file: /etc/pg/root.crt\n")) {
            let file = try #require($0.topology.tls?.overrides[.postgres]?.files.caFile)
            $0.expect(file.location, at: "/etc/pg/root.crt")
        },
        GrammarKeyCase(.tlsComponent, "cert_file", DecodeFixture.document("tls:\n  pgbouncer:\n    cert_file: /etc/pgb/pgb.pem\n")) {
            let file = try #require($0.topology.tls?.overrides[.pgbouncer]?.files.certFile)
            $0.expect(file.location, at: "/etc/pgb/pgb.pem")
        },
        GrammarKeyCase(.tlsComponent, "key_file", DecodeFixture.document("tls:\n  pgbouncer:\n    key_file: /etc/pgb/pgb.key\n")) {
            let file = try #require($0.topology.tls?.overrides[.pgbouncer]?.files.keyFile)
            $0.expect(file.location, at: "/etc/pgb/pgb.key")
        },
    ]
}

@Suite("Decoding: tls")
struct TLSDecodingTests {
    @Test(arguments: TLSKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func absentSectionEncryptsNothing() throws {
        let topology = try DecodeFixture.decode(DecodeFixture.document())
        #expect(topology.tls == nil)
    }

    @Test func unknownModeIsLocated() throws {
        let diagnostic = try DecodeFixture.expectError(
            DecodeFixture.document("tls:\n  mode: required\n"), .invalidValue, at: "required",
            message: "'required' is not a valid 'mode'; did you mean 'require'? (expected one of: disable, prefer, require, verify-full)")
        #expect(diagnostic.severity == .error)
    }

    @Test func relativePathIsRefused() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tls:\n  cert_file: certs/server.crt\n"), .unsafeValue, at: "certs/server.crt",
            message: "'cert_file' must be an absolute path without '..', such as /etc/topoc/tls/server.crt")
    }

    @Test func keyWhereACertificateBelongsIsRefused() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tls:\n  cert_file: /etc/pki/server.key\n"), .unsafeValue, at: "/etc/pki/server.key",
            message: "'cert_file' must name a certificate file ending in .crt or .pem (PEM)")
        try DecodeFixture.expectError(
            DecodeFixture.document("tls:\n  postgres: { key_file: /etc/pki/server.crt }\n"), .unsafeValue, at: "/etc/pki/server.crt",
            message: "'key_file' must name a private key file ending in .key or .pem (PEM)")
    }

    @Test func directoryWithShellSyntaxIsRefused() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tls:\n  directory: /etc/$(reboot)\n"), .unsafeValue, at: "/etc/$(reboot)",
            message: "'directory' may contain only letters, digits, '.', '_', '-', '+' and '/', found '$'")
    }

    @Test func unknownComponentKeySuggests() throws {
        let diagnostics = DecodeFixture.rejected(DecodeFixture.document("tls:\n  etcd: { cert: /etc/x.crt }\n"))
        #expect(diagnostics.contains { $0.code == .unknownKey && $0.message.contains("cert") }, "\(diagnostics)")
    }

    @Test func protocolOutsideTheListIsRefused() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("tls:\n  min_protocol: TLSv1.1\n"), .unsafeValue, at: "TLSv1.1",
            message: "'min_protocol' takes TLSv1.2 or TLSv1.3")
    }
}
