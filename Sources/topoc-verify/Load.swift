import Foundation
import PostgresNIO
import TopologyClient
import TopologyRuntime

/// The load's sessions.
enum Load {
    static var now: Double { Date().timeIntervalSince1970 }

    /// Inserts the next sequence of `session`; records the write and returns whether it was acknowledged.
    static func write(
        _ client: TopologyClient, _ database: String, session: Int, seq: Int, state: ClientSession, _ recorder: Recorder
    ) async -> Bool {
        let started = now
        var outcome = HistoryOperation.Outcome.ok
        var failure: String?
        do {
            _ = try await client.write(database: database, session: state) { connection in
                try await connection.query(
                    "INSERT INTO public.topoc_verify (session, seq) VALUES (\(session), \(seq))", logger: connection.logger)
            }
        } catch TopologyClientError.commitOutcomeUnknown {
            outcome = .unknown
        } catch {
            outcome = .failed
            failure = String(reflecting: error)
        }
        await recorder.record(
            HistoryOperation(
                kind: .write, session: session, database: database, target: session, seq: seq, startedAt: started, endedAt: now,
                outcome: outcome, error: failure))
        return outcome == .ok
    }

    /// Reads the highest sequence of `target` at `level`; records it.
    static func read(
        _ client: TopologyClient, _ database: String, session: Int, target: Int, level: ConsistencyLevel, state: ClientSession,
        adoptedAt: Double? = nil, _ recorder: Recorder
    ) async {
        let started = now
        do {
            let (seen, report) = try await client.read(database: database, consistency: level, session: state) { connection in
                let rows = try await connection.query(
                    "SELECT coalesce(max(seq), 0)::int FROM public.topoc_verify WHERE session = \(target)", logger: connection.logger)
                var value = 0
                for try await seq in rows.decode(Int.self) { value = seq }
                return value
            }
            let waited = report.waited.inSeconds * 1000
            await recorder.record(
                HistoryOperation(
                    kind: .read, session: session, database: database, level: level.rawValue, target: target, seq: seen,
                    adoptedAt: adoptedAt, startedAt: started, endedAt: now, outcome: .ok, server: report.server.description,
                    waitedMilliseconds: waited))
        } catch {
            await recorder.record(
                HistoryOperation(
                    kind: .read, session: session, database: database, level: level.rawValue, target: target, seq: 0,
                    adoptedAt: adoptedAt, startedAt: started, endedAt: now, outcome: .failed, error: String(reflecting: error)))
        }
    }

    /// Write, then read it back at read-your-writes, in a loop.
    static func readYourWrites(_ client: TopologyClient, _ database: String, session: Int, until deadline: Double, _ recorder: Recorder)
        async
    {
        let state = ClientSession()
        var seq = 0
        while now < deadline {
            seq += 1
            _ = await write(client, database, session: session, seq: seq, state: state, recorder)
            await read(client, database, session: session, target: session, level: .readYourWrites, state: state, recorder)
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A writer session hands its token to a reader session after each write; the reader reads at causal.
    static func causal(
        _ client: TopologyClient, _ database: String, writer: Int, reader: Int, until deadline: Double, _ recorder: Recorder
    ) async {
        let writerState = ClientSession()
        let readerState = ClientSession()
        var seq = 0
        while now < deadline {
            seq += 1
            if await write(client, database, session: writer, seq: seq, state: writerState, recorder) {
                let adopted = now
                readerState.adopt(writerState.allTokens)
                await read(
                    client, database, session: reader, target: writer, level: .causal, state: readerState, adoptedAt: adopted,
                    recorder)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Reads another session's rows at eventual.
    static func eventual(
        _ client: TopologyClient, _ database: String, session: Int, target: Int, until deadline: Double, _ recorder: Recorder
    ) async {
        let state = ClientSession()
        while now < deadline {
            await read(client, database, session: session, target: target, level: .eventual, state: state, recorder)
            try? await Task.sleep(for: .milliseconds(15))
        }
    }
}
