import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A minimal HTTP/1.1 client for Patroni's REST API, over plain TCP or TLS: one request per
/// connection (`Connection: close`), ended within a deadline whatever the server does.
///
/// Foundation's `URLSession` on Linux cannot be told which CA to trust per session, which a
/// `verify-full` deployment's REST API needs; this client takes the TLS context of
/// ``EndpointTLS/restAPI`` instead.
public struct PatroniAPIClient: Sendable {
    /// A response: its status and its whole body.
    public struct Response: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// The body.
        public var body: [UInt8]
    }

    /// Why a request failed before a response ended.
    public enum Failure: Error, Sendable, Equatable {
        /// No complete response within the deadline.
        case timedOut
        /// The server closed the connection before the response ended.
        case closedEarly
    }

    private let tls: NIOSSLContext?
    private let timeout: TimeAmount

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - tls: The TLS context (``EndpointTLS/restAPI``), `nil` for plain HTTP.
    ///   - timeout: How long one request may take, connecting included.
    public init(tls: NIOSSLContext?, timeout: Duration) {
        self.tls = tls
        let (seconds, attoseconds) = timeout.components
        self.timeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Sends one request and returns the response.
    ///
    /// - Parameters:
    ///   - method: The method (`GET`, `PATCH`, ...).
    ///   - host: The API's host (an IP address is verified against the certificate's IP names).
    ///   - port: Its port.
    ///   - path: The path, such as `/patroni`.
    ///   - body: A JSON body, sent with `Content-Type: application/json`.
    ///   - authorization: The `Authorization` header's value, such as `Basic ...`.
    /// - Throws: A connection or TLS error, or ``Failure``.
    public func send(
        _ method: HTTPMethod, host: String, port: Int, path: String, body: [UInt8]? = nil, authorization: String? = nil
    ) async throws -> Response {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Connection", value: "close")
        if let authorization { head.headers.add(name: "Authorization", value: authorization) }
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Response.self)
        let (tls, timeout) = (self.tls, self.timeout)
        let request = head
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        // No SNI for an address: NIOSSL then verifies the peer's address against
                        // the certificate's IP subject alternative names.
                        let name = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
                        try operations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try operations.addHTTPClientHandlers()
                    try operations.addHandler(Exchange(request: request, body: body, promise: promise, timeout: timeout))
                }
            }
        do {
            _ = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
        }
        return try await promise.futureResult.get()
    }
}

/// Sends the request once the connection is up and collects the response; fails the promise
/// when the connection ends first or the deadline passes (closing the connection).
private final class Exchange: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead
    private let body: [UInt8]?
    private let promise: EventLoopPromise<PatroniAPIClient.Response>
    private let timeout: TimeAmount
    private var status = 0
    private var received: [UInt8] = []
    private var deadline: Scheduled<Void>?

    init(request: HTTPRequestHead, body: [UInt8]?, promise: EventLoopPromise<PatroniAPIClient.Response>, timeout: TimeAmount) {
        self.request = request
        self.body = body
        self.promise = promise
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let promise = self.promise
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            promise.fail(PatroniAPIClient.Failure.timedOut)
            channel.close(promise: nil)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if let body {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let buffer):
            received.append(contentsOf: buffer.readableBytesView)
        case .end:
            deadline?.cancel()
            promise.succeed(.init(status: status, body: received))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The connection closed (or never opened): a promise already completed ignores this.
        deadline?.cancel()
        promise.fail(PatroniAPIClient.Failure.closedEarly)
    }
}
