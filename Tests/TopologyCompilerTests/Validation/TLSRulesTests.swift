import Foundation
import Testing

@testable import TopologyCompiler

@Suite("Rules: TLS")
struct TLSRulesTests {
    typealias F = ClusterRuleFixture

    /// A topology of one member with the `tls` section `tls` (indented by two).
    static func topology(_ tls: String) -> String {
        "topology: shop\nclusters:\n  main:\n    members: 1\ntls:\n" + tls
    }

    // MARK: TLS701 tls-verify-without-ca

    @Test func verifyFullWithFilesButNoCAIsAnError() throws {
        let text = Self.topology("  mode: verify-full\n  cert_file: /etc/pki/db.crt\n  key_file: /etc/pki/db.key\n")
        let found = try F.expect(
            .tlsVerifyWithoutCA, in: text, at: "mode", count: 4, message: "names files but no CA certificate")
        #expect(found.contains { $0.message.contains("tls for etcd") && $0.message.contains("client's and peer's certificate") })
        #expect(found.contains { $0.message.contains("tls for postgres") && $0.message.contains("under verify-full") })
    }

    @Test func etcdNeedsACAEvenUnderRequire() throws {
        let text = Self.topology("  mode: require\n  etcd: { cert_file: /etc/pki/etcd.crt, key_file: /etc/pki/etcd.key }\n")
        let found = try F.expect(.tlsVerifyWithoutCA, in: text, at: "{ cert_file", message: "tls for etcd names files but no CA")
        #expect(found.count == 1)
    }

    @Test func aCAOrTheDefaultDirectoryIsEnough() throws {
        try F.expectNothing(.tlsVerifyWithoutCA, in: Self.topology("  mode: verify-full\n"))
        try F.expectNothing(.tlsVerifyWithoutCA, in: Self.topology("  mode: verify-full\n  directory: /etc/pki/topoc\n"))
        try F.expectNothing(
            .tlsVerifyWithoutCA,
            in: Self.topology(
                "  mode: verify-full\n  ca_file: /etc/pki/ca.crt\n  cert_file: /etc/pki/db.crt\n  key_file: /etc/pki/db.key\n"))
    }

    // MARK: TLS702 tls-certificate-or-key-missing

    @Test func aCertificateWithoutItsKeyIsAnError() throws {
        let text = Self.topology("  mode: require\n  ca_file: /etc/pki/ca.crt\n  pgbouncer: { cert_file: /etc/pki/pgb.crt }\n")
        let found = try F.expect(
            .tlsCertificateOrKeyMissing, in: text, at: "mode", count: 4, message: "names files but no")
        let pgbouncer = try #require(found.first { $0.message.contains("tls for pgbouncer") })
        #expect(pgbouncer.message.contains("no key_file"))
        F.expect(pgbouncer.location, at: "{ cert_file", in: text)
        #expect(found.contains { $0.message.contains("tls for postgres names files but no cert_file and key_file") })
    }

    @Test func aDirectoryProvidesBoth() throws {
        try F.expectNothing(.tlsCertificateOrKeyMissing, in: Self.topology("  directory: /etc/pki/topoc\n"))
        try F.expectNothing(.tlsCertificateOrKeyMissing, in: Self.topology("  mode: disable\n  ca_file: /etc/pki/ca.crt\n"))
    }

    // MARK: TLS703 tls-weaker-component

    @Test func aComponentAcceptingPlaintextUnderRequireIsReported() throws {
        let patroni = Self.topology("  mode: require\n  patroni: { mode: disable }\n")
        try F.expect(.tlsWeakerComponent, in: patroni, at: "disable", message: "tls.mode is require, but patroni is disable")
        let pgbouncer = Self.topology("  mode: verify-full\n  pgbouncer: { mode: prefer }\n")
        let found = try F.expect(
            .tlsWeakerComponent, in: pgbouncer, at: "prefer", message: "but pgbouncer is prefer: every application connection")
        F.expectNote(found[0], at: "verify-full", in: pgbouncer)
        try F.expectNothing(.tlsWeakerComponent, in: Self.topology("  mode: require\n  postgres: { mode: verify-full }\n"))
        try F.expectNothing(.tlsWeakerComponent, in: Self.topology("  mode: prefer\n  etcd: { mode: disable }\n"))
    }

    // MARK: TLS704 tls-prefer-accepts-plaintext

    @Test func preferIsReportedOncePerWrittenMode() throws {
        let text = Self.topology("  mode: prefer\n  etcd: { mode: require }\n")
        let found = try F.expect(.tlsPreferAcceptsPlaintext, in: text, at: "prefer", message: "tls mode prefer lets clients connect")
        #expect(found.count == 1)
        try F.expectNothing(.tlsPreferAcceptsPlaintext, in: Self.topology("  mode: require\n"))
    }

    @Test func everyCodeIsExplained() {
        for code in [DiagnosticCode.tlsVerifyWithoutCA, .tlsCertificateOrKeyMissing, .tlsWeakerComponent, .tlsPreferAcceptsPlaintext] {
            #expect(RuleCatalog.rule(code.code) != nil)
            #expect(code.explanation.count > 200)
        }
    }
}
