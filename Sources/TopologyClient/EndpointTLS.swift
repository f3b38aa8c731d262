import NIOSSL
import PostgresNIO

/// How the client speaks TLS to each kind of endpoint of the deployment: the modes `routing.json`
/// records (the topology's `tls:` section) with the CA the caller trusts.
///
/// - `disable`: plain TCP (and HTTP to the REST API).
/// - `prefer`: the client asks for TLS and does not verify the certificate (PostgreSQL and
///   PgBouncer accept plaintext too; Patroni's REST API speaks only HTTPS then).
/// - `require`: TLS, the certificate not verified (libpq's `sslmode=require`).
/// - `verify-full`: TLS, the certificate chain verified against the CA and the endpoint's host
///   name, or for an IP address the certificate's IP subject alternative names. Without a CA the
///   client refuses to start (``TopologyClientError/missingCertificateAuthority(_:)``).
public struct EndpointTLS: Sendable {
    /// A kind of endpoint.
    public enum Endpoint: String, Sendable {
        /// PgBouncer's pools.
        case pooler
        /// PostgreSQL: each member's read-only frontend (HAProxy passes TCP through, so the
        /// session is the member's), HAProxy's read-write frontend, a member itself.
        case members
        /// Patroni's REST API.
        case restAPI
    }

    /// What one kind of endpoint gets, decided once.
    private enum Choice: Sendable {
        case plain
        case prefer(TLSConfiguration, NIOSSLContext)
        case require(TLSConfiguration, NIOSSLContext)
    }

    private let pooler: Choice
    private let members: Choice
    private let rest: Choice

    /// Loads the CA once (so that a bad file fails here, not at the first connection).
    ///
    /// - Parameters:
    ///   - modes: The deployment's modes (`nil`: no TLS anywhere).
    ///   - caFile: The CA certificate (PEM) that `verify-full` endpoints are verified against.
    /// - Throws: ``TopologyClientError/missingCertificateAuthority(_:)`` for a `verify-full`
    ///   endpoint without `caFile`, or NIOSSL's error when the file cannot be loaded.
    public init(modes: ClientTopology.TLS?, caFile: String?) throws {
        var plain = TLSConfiguration.makeClientConfiguration()
        plain.certificateVerification = .none
        let unverified = (plain, try NIOSSLContext(configuration: plain))
        var verified: (TLSConfiguration, NIOSSLContext)?
        func choice(_ mode: ClientTopology.TLSMode?, _ endpoint: Endpoint) throws -> Choice {
            switch mode ?? .disable {
            case .disable: return .plain
            case .prefer: return .prefer(unverified.0, unverified.1)
            case .require: return .require(unverified.0, unverified.1)
            case .verifyFull:
                if let verified { return .require(verified.0, verified.1) }
                guard let caFile else { throw TopologyClientError.missingCertificateAuthority(endpoint.rawValue) }
                var full = TLSConfiguration.makeClientConfiguration()
                full.certificateVerification = .fullVerification
                full.trustRoots = .file(caFile)
                let loaded = (full, try NIOSSLContext(configuration: full))
                verified = loaded
                return .require(loaded.0, loaded.1)
            }
        }
        pooler = try choice(modes?.pooler, .pooler)
        members = try choice(modes?.members, .members)
        rest = try choice(modes?.restAPI, .restAPI)
    }

    private func choice(_ endpoint: Endpoint) -> Choice {
        switch endpoint {
        case .pooler: pooler
        case .members: members
        case .restAPI: rest
        }
    }

    /// The TLS of a connection pool to `endpoint`.
    public func pool(_ endpoint: Endpoint) -> PostgresClient.Configuration.TLS {
        switch choice(endpoint) {
        case .plain: .disable
        case .prefer(let configuration, _): .prefer(configuration)
        case .require(let configuration, _): .require(configuration)
        }
    }

    /// The TLS of a single connection to `endpoint`.
    public func connection(_ endpoint: Endpoint) -> PostgresConnection.Configuration.TLS {
        switch choice(endpoint) {
        case .plain: .disable
        case .prefer(_, let context): .prefer(context)
        case .require(_, let context): .require(context)
        }
    }

    /// The TLS context of HTTPS to Patroni's REST API, `nil` for plain HTTP (Patroni speaks only
    /// HTTPS once its mode is not `disable`, `prefer` included).
    public var restAPI: NIOSSLContext? {
        switch rest {
        case .plain: nil
        case .prefer(_, let context), .require(_, let context): context
        }
    }
}
