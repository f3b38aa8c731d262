import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts server processes detached from `topoc` (own session, standard input from /dev/null,
/// output appended to a log file, no inherited descriptors) and stops them by PID.
///
/// As root, servers run as the `postgres` user through `setpriv`, which executes the server in
/// place, so the PID `topoc` records is the server's own.
public enum ProcessSpawner {
    /// A started process: its PID and the kernel's start time, which tells it apart from a later
    /// process that reuses the PID.
    public struct Started: Sendable, Codable, Equatable {
        public var pid: Int32
        public var startTime: UInt64
    }

    /// The user servers run as when topoc runs as root.
    public static let serverUser = "postgres"

    /// Whether topoc runs as root (servers then switch to ``serverUser``).
    public static var isRoot: Bool { geteuid() == 0 }

    /// The argument vector that runs `arguments` as the server user (unchanged when not root).
    public static func asServerUser(_ arguments: [String]) -> [String] {
        guard isRoot else { return arguments }
        return ["/usr/bin/setpriv", "--reuid=\(serverUser)", "--regid=\(serverUser)", "--init-groups", "--"] + arguments
    }

    /// Starts a detached process.
    /// - Parameters:
    ///   - arguments: The program (absolute path) and its arguments.
    ///   - environment: The complete environment (nothing is inherited).
    ///   - directory: The working directory.
    ///   - log: The file standard output and error are appended to.
    public static func spawn(_ arguments: [String], environment: [String: String], directory: URL, log: URL) throws -> Started {
        guard let program = arguments.first else { throw LocalClusterError("nothing to start") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(newSessionFlag | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(directory.path) else {
            throw LocalClusterError("cannot enter \(directory.path)")
        }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.keys.sorted().map { strdup("\($0)=\(environment[$0] ?? "")") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw LocalClusterError("cannot start \(program): \(String(cString: strerror(status)))")
        }
        return Started(pid: pid, startTime: startTime(of: pid) ?? 0)
    }

    /// POSIX_SPAWN_SETSID on Linux (glibc exposes it only to GNU sources); a new process group elsewhere.
    private static var newSessionFlag: Int32 {
        #if os(Linux)
            0x80
        #else
            Int32(POSIX_SPAWN_SETPGROUP)
        #endif
    }

    /// Closes every descriptor above 2 in the child (glibc's addclosefrom, found at run time).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        #if os(Linux)
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
                _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
            }
        #endif
    }

    /// The kernel's start time of a process (field 22 of /proc/PID/stat), if it runs.
    public static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let closing = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        // After the command come state (field 3) ... starttime (field 22): index 19 here.
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// Whether the process still runs and is the one that was started (not a reused PID, not a zombie).
    public static func isRunning(_ process: Started) -> Bool {
        guard process.pid > 0, let start = startTime(of: process.pid) else { return false }
        if let stat = try? String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8),
            let closing = stat.lastIndex(of: ")"),
            stat[stat.index(after: closing)...].split(separator: " ").first == "Z"
        {
            reap(process.pid)
            return false
        }
        return process.startTime == 0 || start == process.startTime
    }

    /// Collects a child that exited, if it is ours.
    private static func reap(_ pid: Int32) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }

    /// Sends a signal if the process is still the one started.
    public static func signal(_ process: Started, _ signal: Int32) {
        guard isRunning(process) else { return }
        kill(process.pid, signal)
    }

    /// Sends TERM to every process, waits up to `grace` seconds for all to exit, then KILLs the rest.
    /// - Returns: The processes that had to be killed.
    @discardableResult
    public static func stop(_ processes: [Started], grace: Double) -> [Started] {
        for process in processes { signal(process, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline, processes.contains(where: isRunning) {
            usleep(100_000)
        }
        let stubborn = processes.filter(isRunning)
        for process in stubborn { signal(process, SIGKILL) }
        let killDeadline = Date().addingTimeInterval(5)
        while Date() < killDeadline, processes.contains(where: isRunning) {
            usleep(50_000)
        }
        return stubborn
    }

    /// The postmaster of a data directory, from `postmaster.pid`, if it runs.
    public static func postmaster(of dataDirectory: String) -> Started? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int32(first.trimmingCharacters(in: .whitespaces)),
            let start = startTime(of: pid),
            let command = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            command.hasPrefix("postgres")
        else { return nil }
        return Started(pid: pid, startTime: start)
    }
}
