import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small PostgreSQL client over libpq, loaded at run time (libpq.so.5 ships with PostgreSQL's
/// client packages), so the tests need no extra Swift dependency. Queries run with a client-side
/// timeout: a commit waiting for a synchronous standby is not cancelled by statement_timeout.
final class LibPQ: @unchecked Sendable {
    private typealias ConnectDB = @convention(c) (UnsafePointer<CChar>) -> OpaquePointer?
    private typealias ConnStatus = @convention(c) (OpaquePointer?) -> Int32
    private typealias ConnMessage = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    private typealias Finish = @convention(c) (OpaquePointer?) -> Void
    private typealias SendQuery = @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> Int32
    private typealias ResultStatus = @convention(c) (OpaquePointer?) -> Int32
    private typealias ResultMessage = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    private typealias Count = @convention(c) (OpaquePointer?) -> Int32
    private typealias GetValue = @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafePointer<CChar>?
    private typealias GetResult = @convention(c) (OpaquePointer?) -> OpaquePointer?

    private let connectdb: ConnectDB
    private let status: ConnStatus
    private let errorMessage: ConnMessage
    private let finish: Finish
    private let sendQuery: SendQuery
    private let socket: ConnStatus
    private let consumeInput: ConnStatus
    private let isBusy: ConnStatus
    private let flush: ConnStatus
    private let getResult: GetResult
    private let resultStatus: ResultStatus
    private let resultErrorMessage: ResultMessage
    private let ntuples: Count
    private let nfields: Count
    private let getvalue: GetValue
    private let clear: Finish

    /// The library, loaded once.
    static let shared: LibPQ? = LibPQ()

    private init?() {
        guard let handle = dlopen("libpq.so.5", RTLD_NOW) else { return nil }
        func load<T>(_ name: String, _: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
        }
        guard let connectdb = load("PQconnectdb", ConnectDB.self), let status = load("PQstatus", ConnStatus.self),
            let errorMessage = load("PQerrorMessage", ConnMessage.self), let finish = load("PQfinish", Finish.self),
            let sendQuery = load("PQsendQuery", SendQuery.self), let socket = load("PQsocket", ConnStatus.self),
            let consumeInput = load("PQconsumeInput", ConnStatus.self), let isBusy = load("PQisBusy", ConnStatus.self),
            let flush = load("PQflush", ConnStatus.self), let getResult = load("PQgetResult", GetResult.self),
            let resultStatus = load("PQresultStatus", ResultStatus.self),
            let resultErrorMessage = load("PQresultErrorMessage", ResultMessage.self),
            let ntuples = load("PQntuples", Count.self), let nfields = load("PQnfields", Count.self),
            let getvalue = load("PQgetvalue", GetValue.self), let clear = load("PQclear", Finish.self)
        else { return nil }
        self.connectdb = connectdb
        self.status = status
        self.errorMessage = errorMessage
        self.finish = finish
        self.sendQuery = sendQuery
        self.socket = socket
        self.consumeInput = consumeInput
        self.isBusy = isBusy
        self.flush = flush
        self.getResult = getResult
        self.resultStatus = resultStatus
        self.resultErrorMessage = resultErrorMessage
        self.ntuples = ntuples
        self.nfields = nfields
        self.getvalue = getvalue
        self.clear = clear
    }

    /// A failure: the message, and whether the outcome of the statement is unknown (it may have committed).
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var outcomeUnknown: Bool
        var description: String { message }
    }

    /// One connection. Not thread-safe: use it from one thread.
    final class Connection {
        private let library: LibPQ
        private var handle: OpaquePointer?

        fileprivate init(library: LibPQ, handle: OpaquePointer?) {
            self.library = library
            self.handle = handle
        }

        deinit { close() }

        /// Closes the connection.
        func close() {
            if let handle { library.finish(handle) }
            handle = nil
        }

        /// Runs one statement and returns its rows (every value as text; NULL as "").
        func query(_ sql: String, timeout: Double = 10) throws(Failure) -> [[String]] {
            guard let handle else { throw Failure(message: "connection closed", outcomeUnknown: false) }
            guard library.sendQuery(handle, sql) == 1 else {
                throw Failure(message: LibPQ.text(library.errorMessage(handle)), outcomeUnknown: true)
            }
            _ = library.flush(handle)
            let deadline = Date().addingTimeInterval(timeout)
            while library.isBusy(handle) == 1 {
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else {
                    close()
                    throw Failure(message: "no answer within \(timeout)s (client-side timeout)", outcomeUnknown: true)
                }
                var descriptor = pollfd(fd: library.socket(handle), events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, Int32(min(remaining, 0.5) * 1000))
                guard library.consumeInput(handle) == 1 else {
                    let message = LibPQ.text(library.errorMessage(handle))
                    close()
                    throw Failure(message: message, outcomeUnknown: true)
                }
            }
            var rows: [[String]] = []
            var failure: Failure?
            while let result = library.getResult(handle) {
                let code = library.resultStatus(result)
                if code == 1 || code == 2 {
                    for row in 0..<library.ntuples(result) {
                        rows.append(
                            (0..<library.nfields(result)).map { column in
                                library.getvalue(result, row, column).map { String(cString: $0) } ?? ""
                            })
                    }
                } else {
                    failure = Failure(
                        message: LibPQ.text(library.resultErrorMessage(result)),
                        outcomeUnknown: library.status(handle) != 0)
                }
                library.clear(result)
            }
            if library.status(handle) != 0 {
                close()
                throw failure ?? Failure(message: "connection lost", outcomeUnknown: true)
            }
            if let failure { throw failure }
            return rows
        }

        /// The first value of the first row.
        func value(_ sql: String, timeout: Double = 10) throws(Failure) -> String? {
            try query(sql, timeout: timeout).first?.first
        }
    }

    /// A C string from libpq, or empty.
    fileprivate static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// Connects with a libpq connection string.
    func connect(_ conninfo: String) throws(Failure) -> Connection {
        let handle = connectdb(conninfo)
        guard let handle, status(handle) == 0 else {
            let message = handle.map { LibPQ.text(errorMessage($0)) } ?? "out of memory"
            if let handle { finish(handle) }
            throw Failure(message: message.trimmingCharacters(in: .whitespacesAndNewlines), outcomeUnknown: false)
        }
        return Connection(library: self, handle: handle)
    }
}
