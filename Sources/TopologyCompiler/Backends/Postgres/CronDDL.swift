/// `sql/<cluster>/cron.sql`: the pg_cron jobs of a cluster's databases.
///
/// pg_cron lives in one database per cluster (`cron.database_name`, `postgres` by default) and
/// runs jobs in the others with `cron.schedule_in_database`. The script is run there; it
/// updates a job that already exists (by name) instead of adding a second one, and unschedules
/// the jobs topoc named for the cluster's databases that the topology no longer declares (a
/// dropped view's refresh, pg_partman's maintenance of a database without partman tables), so
/// running it after a change leaves exactly the declared jobs. Jobs need
/// `cron.use_background_workers = on` when the server allows no password-less TCP
/// connection from localhost (scram): otherwise they fail with "connection failed".
package enum CronDDL {
    /// The database pg_cron is installed in.
    package static let cronDatabase = "postgres"

    /// The server settings pg_cron needs where a cluster runs jobs: the library preloaded, its
    /// database (where cron.sql runs and `CREATE EXTENSION pg_cron` is allowed), and background
    /// workers for the jobs (over TCP localhost a job would need a password the scram pg_hba
    /// asks for). Patroni's configuration and sql/placement.json both read these.
    static let serverSettings: [(name: String, value: String)] = [
        ("shared_preload_libraries", "pg_cron"),
        ("cron.database_name", cronDatabase),
        ("cron.use_background_workers", "on"),
    ]

    /// The worker processes pg_cron's jobs get on top of what the server needs otherwise (its
    /// `cron.max_running_jobs` is bounded by `max_worker_processes`; 8 lets the jobs topoc
    /// schedules run at once without taking the logical replication workers' slots).
    static let workerProcesses = 8

    /// One scheduled job.
    package struct Job: Sendable, Equatable {
        /// The job's name, unique in the cluster.
        package var name: String
        /// The cron schedule.
        package var schedule: String
        /// The SQL it runs.
        package var command: String
        /// The database it runs in.
        package var database: String
        /// The role it runs as, or nil for the role that runs cron.sql (the superuser:
        /// pg_partman's maintenance creates partitions, which only the bootstrap role may do
        /// from a job, since the owner cannot log in).
        package var username: String? = nil
    }

    /// The jobs of one cluster: scheduled materialized view refreshes and pg_partman maintenance.
    package static func jobs(cluster: String, databases: [DatabaseScope]) -> [Job] {
        var jobs: [Job] = []
        for database in databases where database.cluster == cluster {
            let name = database.database.name
            for view in database.views where view.materialized {
                guard let schedule = view.refreshSchedule, let tenant = ViewDDL.placement(view, in: database) else { continue }
                // Each refresh runs as the role the refresh function is granted to.
                let schemas: [(schema: String, writer: String)] =
                    tenant
                    ? (database.plan.tenancy?.tenants ?? []).compactMap { tenant in
                        tenant.schema.map { ($0, tenant.role ?? database.writerRole) }
                    } : [("public", database.writerRole)]
                for (schema, writer) in schemas {
                    let function = SQLQuoting.qualified(schema, ViewDDL.refreshFunction(view.name))
                    let prefix = tenant ? "\(name).\(schema)" : name
                    jobs.append(
                        Job(
                            name: "\(prefix).refresh_\(view.name)", schedule: schedule, command: "SELECT \(function)()", database: name,
                            username: writer))
                }
            }
            if database.extensions.contains("pg_partman") {
                jobs.append(
                    Job(
                        name: "\(name).partman_maintenance", schedule: "@hourly",
                        command: "SELECT \(SQLQuoting.qualified(ExtensionDDL.partmanSchema, "run_maintenance"))(p_analyze := false)",
                        database: name))
            }
        }
        return jobs
    }

    /// The file name of a cluster's cron script (`cron.sql`, or `cron-jobs.sql` if a database is named `cron`).
    static func fileName(cluster: String, databases: [DatabaseScope]) -> String {
        databases.contains { $0.cluster == cluster && $0.database.name == "cron" } ? "cron-jobs.sql" : "cron.sql"
    }

    /// The policy on `cron.job` that lets the monitoring role read every job.
    static let monitorPolicy = "topoc_monitor_read"

    /// How long a statement of the script waits for a lock: `ALTER POLICY` on `cron.job` waits
    /// for pg_cron's scheduler to finish reading it. The script is safe to run again.
    static let lockTimeout = "10s"
    /// How long a statement of the script may run.
    static let statementTimeout = "1min"

    /// The jobs of a cluster of a plan.
    static func jobs(cluster: String, in plan: Plan) -> [Job] {
        let shared = SharedRendering()
        return jobs(
            cluster: cluster,
            databases: plan.databases.filter { $0.cluster == cluster }.map { DatabaseScope(plan: plan, database: $0, shared: shared) })
    }

    /// The script, or nil when the cluster has no jobs (unless `evenWithoutJobs`: a migration
    /// whose new plan has no job left on the cluster still unschedules the old ones).
    /// `formerDatabases` are databases that left the cluster in a migration: the jobs topoc named
    /// for them are unscheduled too.
    static func render(
        cluster: String, databases: [DatabaseScope], plan: Plan, evenWithoutJobs: Bool = false, formerDatabases: [String] = []
    ) -> String? {
        let jobs = jobs(cluster: cluster, databases: databases)
        guard !jobs.isEmpty || evenWithoutJobs else { return nil }
        var script = SQLScript()
        script.add("SET client_min_messages = warning")
        script.add("SET standard_conforming_strings = on")
        script.add("SET lock_timeout = \(SQLQuoting.literal(lockTimeout))")
        script.add("SET statement_timeout = \(SQLQuoting.literal(statementTimeout))")
        script.add("BEGIN")
        if !jobs.isEmpty { script.add("CREATE EXTENSION IF NOT EXISTS \(SQLQuoting.identifier("pg_cron"))") }
        script.comment(
            "Jobs topoc named for this cluster's databases (<database>.refresh_<view>, <database>.<schema>.refresh_<view>, <database>.partman_maintenance) that are not declared below are unscheduled; other jobs are left alone"
        )
        if !formerDatabases.isEmpty {
            script.comment("So are those of the databases that leave the cluster: \(formerDatabases.joined(separator: ", "))")
        }
        script.add(
            "DO "
                + SQLQuoting.dollarQuoted(
                    unscheduleBody(cluster: cluster, databases: databases, former: formerDatabases, keeping: jobs)))
        guard !jobs.isEmpty else {
            script.add("COMMIT")
            return header(plan: plan, cluster: cluster, databases: databases) + script.render()
        }
        for job in jobs {
            script.comment("\(job.name): \(job.schedule) in \(job.database), as \(job.username ?? "the role running this script")")
            let name = SQLQuoting.literal(job.name)
            let schedule = SQLQuoting.literal(job.schedule)
            let command = SQLQuoting.literal(job.command)
            let database = SQLQuoting.literal(job.database)
            let username = job.username.map(SQLQuoting.literal) ?? "current_user"
            let body = """

                DECLARE
                    existing bigint;
                BEGIN
                    SELECT jobid INTO existing FROM cron.job WHERE jobname = \(name);
                    IF existing IS NULL THEN
                        PERFORM cron.schedule_in_database(\(name), \(schedule), \(command), \(database), \(username));
                    ELSE
                        PERFORM cron.alter_job(existing, schedule := \(schedule), command := \(command), database := \(database), username := \(username), active := true);
                    END IF;
                END

                """
            script.add("DO " + SQLQuoting.dollarQuoted(body))
        }
        script.comment(
            "pg_cron's row-level security shows a role only its own jobs; the monitoring role (topoc check --live) reads them all, and nothing else of cron"
        )
        let monitor = SQLQuoting.identifier(plan.roles.monitor)
        let policy = SQLQuoting.identifier(monitorPolicy)
        let body = """

            BEGIN
                IF EXISTS (SELECT FROM pg_catalog.pg_policies WHERE schemaname = 'cron' AND tablename = 'job' AND policyname = \(SQLQuoting.literal(monitorPolicy))) THEN
                    ALTER POLICY \(policy) ON cron.job TO \(monitor);
                ELSE
                    CREATE POLICY \(policy) ON cron.job FOR SELECT TO \(monitor) USING (true);
                END IF;
            END

            """
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        script.add("GRANT USAGE ON SCHEMA cron TO \(monitor)")
        script.add("GRANT SELECT ON cron.job TO \(monitor)")
        script.add("COMMIT")
        return header(plan: plan, cluster: cluster, databases: databases) + script.render()
    }

    /// The SQL condition that holds for a job topoc names for one of `databases`:
    /// `<database>.refresh_<view>`, `<database>.<schema>.refresh_<view>` or
    /// `<database>.partman_maintenance`, with `jobname` the job name's column. `cron.sql`
    /// unschedules such jobs when they are not declared and `topoc check --live` reports them;
    /// any other job is the operator's.
    package static func namedByTopoc(_ jobname: String, databases: [String]) -> String {
        let names = "ARRAY[\(databases.map(SQLQuoting.literal).joined(separator: ", "))]::text[]"
        return """
            EXISTS (SELECT FROM unnest(\(names)) AS d(name)
                    WHERE starts_with(\(jobname), d.name || '.')
                      AND (substr(\(jobname), length(d.name) + 2) = 'partman_maintenance'
                           OR substr(\(jobname), length(d.name) + 2) ~ '^([^.]+[.])?refresh_[^.]+$'))
            """
    }

    /// The body of the DO block that unschedules the jobs topoc named for the cluster's databases
    /// and the `former` ones (``namedByTopoc(_:databases:)``) that `keeping` does not hold. It
    /// does nothing where pg_cron is not installed.
    private static func unscheduleBody(cluster: String, databases: [DatabaseScope], former: [String], keeping jobs: [Job]) -> String {
        let names = databases.filter { $0.cluster == cluster }.map(\.database.name) + former
        let keptArray = "ARRAY[\(jobs.map { SQLQuoting.literal($0.name) }.joined(separator: ", "))]::text[]"
        let condition = namedByTopoc("j.jobname", databases: names).replacingOccurrences(of: "\n", with: "\n          ")
        return """

            DECLARE
                stale record;
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
                    RETURN;
                END IF;
                FOR stale IN
                    SELECT j.jobid FROM cron.job AS j
                    WHERE \(condition)
                      AND j.jobname <> ALL (\(keptArray))
                LOOP
                    PERFORM cron.unschedule(stale.jobid);
                END LOOP;
            END

            """
    }

    /// The script's header: what it is and how to run it.
    private static func header(plan: Plan, cluster: String, databases: [DatabaseScope]) -> String {
        """
        -- Generated by topoc \(TopocVersion.current) from topology "\(SQLQuoting.comment(plan.topology))". Do not edit.
        -- pg_cron jobs of cluster "\(cluster)". Run it in the database named by cron.database_name (\(cronDatabase)),
        -- after the databases' scripts: psql -X -v ON_ERROR_STOP=1 -d \(cronDatabase) -f sql/\(cluster)/\(fileName(cluster: cluster, databases: databases))
        -- The server needs shared_preload_libraries = 'pg_cron', cron.database_name = '\(cronDatabase)' and
        -- cron.use_background_workers = on (jobs over TCP localhost fail under scram otherwise).

        """
    }
}
