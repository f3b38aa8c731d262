import Foundation

/// A client that commits numbered rows as fast as it can through one connection string
/// (PgBouncer), reconnecting after every failure, and records each acknowledged commit with the
/// server port that committed it (`inet_server_port()`, so the tests see which member took it).
final class FailoverWriter: @unchecked Sendable {
    /// One acknowledged commit.
    struct Ack {
        var id: Int64
        var port: Int
        var at: Date
    }

    private let conninfo: String
    private let table: String
    private let lock = NSLock()
    private var acks: [Ack] = []
    private var failures = 0
    private var unknownOutcomes = 0
    private var lastErrorMessage = ""
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(conninfo: String, table: String) {
        self.conninfo = conninfo
        self.table = table
    }

    /// Starts writing on a thread of its own.
    func start() {
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        self.thread = thread
        thread.start()
    }

    /// Stops and waits for the thread.
    func stop() {
        lock.withLock { stopping = true }
        finished.wait()
    }

    /// The acknowledged commits so far.
    var acknowledged: [Ack] { lock.withLock { acks } }
    /// Statements that failed.
    var failureCount: Int { lock.withLock { failures } }
    /// The last error the writer saw.
    var lastError: String { lock.withLock { lastErrorMessage } }
    /// Statements whose outcome is unknown (the connection died or timed out while waiting).
    var unknownCount: Int { lock.withLock { unknownOutcomes } }

    private var shouldStop: Bool { lock.withLock { stopping } }

    private func loop() {
        guard let library = LibPQ.shared else { return }
        var connection: LibPQ.Connection?
        var next: Int64 = 1
        while !shouldStop {
            if connection == nil {
                connection = try? library.connect(conninfo)
                if connection == nil {
                    usleep(50_000)
                    continue
                }
            }
            let id = next
            next += 1
            do {
                // A client-side timeout: a commit waiting for a synchronous standby ignores statement_timeout.
                let port = try connection?.value(
                    "INSERT INTO \(table) (id, port) VALUES (\(id), inet_server_port()) RETURNING port", timeout: 3)
                lock.withLock { acks.append(Ack(id: id, port: Int(port ?? "") ?? 0, at: Date())) }
            } catch {
                lock.withLock {
                    failures += 1
                    lastErrorMessage = error.message.trimmingCharacters(in: .whitespacesAndNewlines)
                    if error.outcomeUnknown { unknownOutcomes += 1 }
                }
                connection?.close()
                connection = nil
                usleep(50_000)
            }
        }
        connection?.close()
    }
}
