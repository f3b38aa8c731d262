/// The diagnostic codes of the topology language: reading, parsing and decoding.
extension DiagnosticCode {
    /// The YAML text is not well formed.
    public static let yamlSyntax = DiagnosticCode(
        code: "TPC001", slug: "yaml-syntax", defaultSeverity: .error,
        summary: "The file is not well-formed YAML.",
        explanation: """
            libyaml could not parse the file at the reported position. Check indentation, unclosed \
            quotes and brackets, and tabs used for indentation (YAML forbids them).
            """,
        source: "https://yaml.org/spec/1.2.2/")

    /// A mapping repeats a key.
    public static let duplicateKey = DiagnosticCode(
        code: "TPC002", slug: "duplicate-key", defaultSeverity: .error,
        summary: "A mapping contains the same key twice.",
        explanation: """
            YAML requires the keys of a mapping to be unique; many tools silently keep the last value, \
            which hides mistakes. Remove or rename one of the two keys. Keys brought in by a merge key \
            (`<<: *defaults`) may be overridden; only keys written twice are errors.
            """,
        source: "https://yaml.org/spec/1.2.2/#mapping")

    /// The document is too large, too deep or expands too much through aliases.
    public static let inputTooComplex = DiagnosticCode(
        code: "TPC003", slug: "input-too-complex", defaultSeverity: .error,
        summary: "The file exceeds topoc's limits on size, nesting or alias expansion.",
        explanation: """
            topoc bounds the work any input can cause: the file size, the nesting depth, and the number \
            of nodes after aliases are expanded (a few hundred bytes of nested aliases can otherwise \
            expand to billions of nodes, the "billion laughs" attack). A real topology stays far below \
            the limits; if yours does not, split repeated parts into fewer anchors.
            """)

    /// The file is empty, has several documents, or its root is not a mapping.
    public static let documentShape = DiagnosticCode(
        code: "TPC004", slug: "document-shape", defaultSeverity: .error,
        summary: "A topology file holds exactly one YAML document whose root is a mapping.",
        explanation: """
            Write one document (no `---` separating several) whose top level is a mapping with at \
            least the `topology:` key. `topoc init` writes a starter file.
            """)

    /// The file is not UTF-8 text.
    public static let encoding = DiagnosticCode(
        code: "TPC005", slug: "encoding", defaultSeverity: .error,
        summary: "The file is not valid UTF-8 text.",
        explanation: "Save the topology as UTF-8 without NUL bytes.")

    /// A YAML tag that topoc does not read.
    public static let unsupportedTag = DiagnosticCode(
        code: "TPC006", slug: "unsupported-tag", defaultSeverity: .error,
        summary: "A YAML tag that topoc does not read, or one that does not fit its value.",
        explanation: """
            topoc reads values by the key they belong to, so a tag cannot change what a value means. \
            The YAML core tags are accepted where they fit the value (`!!str`, `!!int`, `!!float`, \
            `!!bool` and `!!null` on scalars, `!!map` on mappings, `!!seq` on lists; a key that \
            expects another type still reports the tagged value as wrong). Any other tag, such as a \
            local `!ref` or `!!binary`, or a core tag on the wrong kind of node, is an error rather \
            than being ignored silently. Remove the tag.
            """)

    /// A key that the language does not define.
    public static let unknownKey = DiagnosticCode(
        code: "TPC010", slug: "unknown-key", defaultSeverity: .error,
        summary: "The key is not part of the topology language at this place.",
        explanation: """
            Every mapping in a topology accepts a fixed set of keys (see docs/topology.md and the JSON \
            Schema in schema/topology.schema.json). A misspelt key would otherwise be ignored and its \
            setting silently lost. Keys starting with `x-` at the top level are ignored: use them to \
            hold anchors for merge keys.
            """)

    /// A value of the wrong YAML type.
    public static let wrongType = DiagnosticCode(
        code: "TPC011", slug: "wrong-type", defaultSeverity: .error,
        summary: "The value has the wrong type for its key.",
        explanation: """
            The message names the expected type (mapping, list, string, integer, boolean, duration, \
            size). Quoted numbers are strings; write integers without quotes.
            """)

    /// A required key is missing.
    public static let missingKey = DiagnosticCode(
        code: "TPC012", slug: "missing-key", defaultSeverity: .error,
        summary: "A required key is missing.",
        explanation: "Add the key named in the message; docs/topology.md shows an example of each section.")

    /// A value outside the allowed set or range.
    public static let invalidValue = DiagnosticCode(
        code: "TPC013", slug: "invalid-value", defaultSeverity: .error,
        summary: "The value is not one of the allowed values or is out of range.",
        explanation: "The message lists the allowed values or the range.")

    /// A malformed duration, size, date or cron schedule.
    public static let invalidQuantity = DiagnosticCode(
        code: "TPC014", slug: "invalid-quantity", defaultSeverity: .error,
        summary: "A duration, size, date or schedule is malformed.",
        explanation: """
            Durations are a number and a unit: `500ms`, `10s`, `5m`, `2h`, `1d` (a bare `0` is allowed). \
            Sizes use PostgreSQL's units, powers of 1024: `8kB`, `1MB`, `2GB`, `1TB` (or `B`). Dates are \
            `YYYY-MM-DD`. Schedules are five cron fields or one of `@hourly`, `@daily`, `@midnight`, \
            `@weekly`, `@monthly`, `@yearly`, `@annually`. pg_partman retention is `N days|weeks|months|years`.
            """)

    /// A key whose value has no effect with the other settings.
    public static let inapplicableKey = DiagnosticCode(
        code: "TPC015", slug: "inapplicable-key", defaultSeverity: .error,
        summary: "The key does not apply with the chosen strategy or mode.",
        explanation: """
            Some keys only make sense with a particular strategy (for example `virtual_nodes` with \
            `consistent-hash`, `modulus` with hash partitioning). Remove the key or change the strategy.
            """)

    /// A name that is not a valid identifier.
    public static let invalidIdentifier = DiagnosticCode(
        code: "TPC020", slug: "invalid-identifier", defaultSeverity: .error,
        summary: "The name is not a valid identifier.",
        explanation: """
            SQL names (tables, columns, indexes, schemas, roles, tenants) use letters, digits and \
            underscores and do not start with a digit. Service names (clusters, regions) use lowercase \
            letters, digits and hyphens. Names are never pasted into SQL unchecked: anything else, such \
            as `users; DROP TABLE x`, is rejected here.
            """,
        source: "https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS")

    /// A name longer than PostgreSQL keeps.
    public static let identifierTooLong = DiagnosticCode(
        code: "TPC021", slug: "identifier-too-long", defaultSeverity: .error,
        summary: "The name is longer than 63 bytes; PostgreSQL would silently truncate it.",
        explanation: """
            PostgreSQL truncates identifiers to NAMEDATALEN-1 = 63 bytes, so two long names can \
            collide after truncation and generated names stop matching. Shorten the name (derived \
            names such as `<topology>_<shard>` count too).
            """,
        source: "https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS")

    /// Two objects of one kind share a name.
    public static let duplicateName = DiagnosticCode(
        code: "TPC022", slug: "duplicate-name", defaultSeverity: .error,
        summary: "Two objects of the same kind have the same name.",
        explanation: "Names of tables, columns, indexes, clusters, regions and tenants must be unique in their scope.")

    /// A reference to something not declared.
    public static let unknownReference = DiagnosticCode(
        code: "TPC023", slug: "unknown-reference", defaultSeverity: .error,
        summary: "The name refers to a table, column, cluster, region or secret that is not declared.",
        explanation: "Declare the referenced object or fix the spelling; the message suggests the closest name.")

    /// A SQL fragment that could break out of its statement.
    public static let unsafeSQLFragment = DiagnosticCode(
        code: "TPC024", slug: "unsafe-sql-fragment", defaultSeverity: .error,
        summary: "A SQL fragment (default, expression, WHERE, view query) could break out of its statement.",
        explanation: """
            Defaults, index expressions, partial-index predicates and view queries are SQL written by \
            you and emitted as written, so topoc refuses anything that could end or hide part of the \
            generated statement: a semicolon outside quotes, comments (`--`, `/*`), dollar quoting, \
            unbalanced quotes or parentheses, and control characters.
            """)

    /// A column type topoc does not know.
    public static let unknownColumnType = DiagnosticCode(
        code: "TPC025", slug: "unknown-column-type", defaultSeverity: .error,
        summary: "The column type is not a PostgreSQL type topoc knows.",
        explanation: """
            Column types are checked against PostgreSQL's built-in types (with modifiers such as \
            `varchar(80)` or `numeric(12,2)` and array suffixes `[]`), so that a typo or an injected \
            string never reaches the DDL.
            """,
        source: "https://www.postgresql.org/docs/15/datatype.html")

    /// A path, address, host list or topic prefix outside the strict grammar of its kind.
    public static let unsafeValue = DiagnosticCode(
        code: "TPC026", slug: "unsafe-value", defaultSeverity: .error,
        summary: "A path, address, host:port list or topic prefix is outside the strict grammar of its kind.",
        explanation: """
            Some values leave the topology for shell scripts (`make-userlist.sh`, `topoc up`), ini \
            files (`pgbouncer.ini`), YAML and compose files and environment values, where a `$(...)`, \
            a backquote, a quote or a line break would be read as syntax: a `run_dir` of \
            `x$(touch pwned)` would run a command, one holding a line break could add \
            `auth_type = trust` to pgbouncer.ini, and `${VAR}` in a compose value would be replaced \
            with the deployment's environment. Each kind has one strict grammar, checked before \
            anything is written. Paths (`deployment.local.run_dir`, relative; `postgres_bin`, \
            absolute) hold ASCII letters, digits, `.`, `_`, `-` and `+` in components separated by \
            single `/`, no `..` component and no component starting with `-`. `bootstrap_servers` \
            is a comma-separated list of `host:port`, each host an RFC 1123 host name, a dotted IPv4 \
            address or a bracketed IPv6 address, each port 1-65535, without spaces. \
            `deployment.compose.publish` is a dotted IPv4 address. `topic_prefix` holds 1 to 200 \
            letters, digits, `.`, `_` and `-`. Names (clusters, regions, databases, variables) have \
            their own rules (TPC020, TPC031).
            """,
        source: "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02")

    /// A literal secret in the topology.
    public static let literalSecret = DiagnosticCode(
        code: "TPC030", slug: "literal-secret", defaultSeverity: .error,
        summary: "Secrets are referenced by environment variable, never written in the topology.",
        explanation: """
            A topology file is committed and its artifacts are shared, so no field accepts a password. \
            Declare the secret under `secrets:` as `{ env: VARIABLE_NAME }`; deploy tooling reads the \
            variable (Patroni's PATRONI_* variables, PgBouncer's auth file made at deploy time).
            """)

    /// A name that is not a valid environment variable name.
    public static let invalidEnvironmentName = DiagnosticCode(
        code: "TPC031", slug: "invalid-environment-name", defaultSeverity: .error,
        summary: "The environment variable name is not valid.",
        explanation: "Environment variable names use uppercase letters, digits and underscores and do not start with a digit.")

    /// A derived name or number the plan cannot produce.
    public static let planLimit = DiagnosticCode(
        code: "TPC050", slug: "plan-limit", defaultSeverity: .error,
        summary: "The resolved plan would exceed a limit (ports, names, partition count, ring size).",
        explanation: """
            The plan derives names (databases, schemas, partitions), local ports and the consistent-hash \
            ring's tokens from the topology. A ring holds at most 614,400 tokens (shards x virtual nodes; \
            with composite sharding, each region's ring): 4,096 shards at the default 150 virtual nodes. \
            Every token is written into plan.json, routing.json, the SQL shard function and the Swift \
            router, so a larger ring makes builds that do not finish in reasonable time and memory \
            (4,096 shards x 4,096 virtual nodes did not finish within 14 GB). \
            The message says which limit was hit and how to stay within it.
            """)

    /// Every code of the language, in code order.
    public static let languageCodes: [DiagnosticCode] = [
        .yamlSyntax, .duplicateKey, .inputTooComplex, .documentShape, .encoding, .unsupportedTag,
        .unknownKey, .wrongType, .missingKey, .invalidValue, .invalidQuantity, .inapplicableKey,
        .invalidIdentifier, .identifierTooLong, .duplicateName, .unknownReference, .unsafeSQLFragment,
        .unknownColumnType, .unsafeValue, .literalSecret, .invalidEnvironmentName, .planLimit,
        .composeWatchdogUnavailable, .composePartmanUntested,
    ]
}

/// The catalog of every diagnostic code topoc can emit; `topoc explain` reads it.
public enum DiagnosticCatalog {
    /// All codes, in code order.
    public static var all: [DiagnosticCode] {
        (DiagnosticCode.languageCodes + DiagnosticCode.kubernetesCodes + [.unusedSuppression] + RuleCatalog.all.map(\.code)
            + DiagnosticCode.liveCodes + DiagnosticCode.templateCodes).sorted {
                $0.code < $1.code
            }
    }

    /// Looks a code up by its code (`TPC010`) or slug (`unknown-key`), case-insensitively.
    public static func lookup(_ text: String) -> DiagnosticCode? {
        let wanted = text.lowercased()
        return all.first { $0.code.lowercased() == wanted || $0.slug == wanted }
    }
}

extension DiagnosticCatalog {
    /// The text `topoc explain` prints for a code.
    public static func explanation(of code: DiagnosticCode) -> String {
        var text = "\(code.code) \(code.slug) (default: \(code.defaultSeverity.rawValue))\n\n\(code.summary)\n\n\(code.explanation)\n"
        if let source = code.source { text += "\nSource: \(source)\n" }
        return text
    }
}
