/// The codes of what the compose target cannot deploy (reported by the planner for that target only).
extension DiagnosticCode {
    /// `watchdog: required` on the compose target.
    public static let composeWatchdogUnavailable = DiagnosticCode(
        code: "TPC070", slug: "compose-watchdog-unavailable", defaultSeverity: .warning,
        summary: "Under compose, a cluster with `watchdog: required` never elects a leader.",
        explanation: """
            With `watchdog: required` Patroni takes the leader key only after it has opened a watchdog \
            device. The containers of a compose deployment have none of their own: a host has one \
            /dev/watchdog, owned by root (the members run as postgres), opened by one process at a \
            time, and a watchdog that fires resets the whole host with every other member on it. So \
            the compose file maps no device into any member, Patroni there runs without a watchdog \
            where the mode is `automatic`, and a cluster that requires one stays without a leader: \
            its frontends, pools and the schema service wait forever. Deploy such a cluster with the \
            local target on hosts that each have a watchdog (softdog), or use `watchdog: automatic` \
            for a compose deployment.
            """,
        source: "https://patroni.readthedocs.io/en/latest/watchdog.html")

    /// pg_partman on the compose target with a PostgreSQL that Debian 12 does not ship.
    public static let composePartmanUntested = DiagnosticCode(
        code: "TPC071", slug: "compose-partman-untested", defaultSeverity: .error,
        summary: "A compose image with pg_partman needs PostgreSQL 15, the version whose pg_partman topoc runs.",
        explanation: """
            The generated SQL calls pg_partman 4.7's API (`create_parent` with `p_type => 'native'`), \
            the version Debian 12 ships for PostgreSQL 15 and the one topoc's tests run. The compose \
            image of any other PostgreSQL takes pg_partman from the PostgreSQL project's repository \
            (PGDG), which ships pg_partman 5 for PostgreSQL 16 and later; pg_partman 5 has no \
            `native` type and its interval argument differs, so the schema service would fail. topoc \
            cannot reach PGDG where it is tested, so it writes no pg_partman 5 calls it never ran. Use \
            `postgres: 15` for a compose deployment with pg_partman, or the local target with a \
            PostgreSQL whose pg_partman is 4.x.
            """,
        source: "https://github.com/pgpartman/pg_partman/blob/master/CHANGELOG.md")
}
