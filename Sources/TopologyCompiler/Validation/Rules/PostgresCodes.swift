/// The codes of the PostgreSQL rules (`TPG1xx`): facts of PostgreSQL 15 that a topology can break
/// and that would otherwise surface only when the generated DDL runs, or later, in production.
extension DiagnosticCode {
    // MARK: Keys and indexes

    /// A primary key or unique key on a partitioned table leaves out a partition column.
    public static let uniqueIncludesPartitionKey = DiagnosticCode(
        code: "TPG101", slug: "unique-includes-partition-key", defaultSeverity: .error,
        summary: "A primary key or unique key of a partitioned table must contain every partition key column.",
        explanation: """
            Each partition has its own indexes, so PostgreSQL can enforce uniqueness across a partitioned \
            table only when equal keys always land in the same partition, that is when the key contains \
            every partition key column; otherwise CREATE TABLE or CREATE UNIQUE INDEX fails with "unique \
            constraint on partitioned table must include all partitioning columns". Add the partition \
            columns to the primary key, unique constraint or unique index (for example \
            `primary_key: [order_id, created_at]`), or partition by a column the key already has.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-partitioning.html#DDL-PARTITIONING-DECLARATIVE-LIMITATIONS")

    /// `unique: true` on an index method other than B-tree.
    public static let uniqueIndexNotBtree = DiagnosticCode(
        code: "TPG102", slug: "unique-index-not-btree", defaultSeverity: .error,
        summary: "Only B-tree indexes can be unique.",
        explanation: """
            PostgreSQL enforces uniqueness only with B-tree indexes; `CREATE UNIQUE INDEX ... USING hash` \
            (or gin, gist, spgist, brin) fails with "access method does not support unique indexes". A hash \
            index is smaller for equality lookups but cannot guarantee that a value occurs once. Use \
            `method: btree` (the default) for a unique index, or drop `unique: true` and keep the other \
            method for lookups only.
            """,
        source: "https://www.postgresql.org/docs/15/indexes-unique.html")

    /// A hash or SP-GiST index with more than one key part.
    public static let multicolumnIndexMethod = DiagnosticCode(
        code: "TPG103", slug: "multicolumn-index-method", defaultSeverity: .error,
        summary: "Hash and SP-GiST indexes take exactly one key column.",
        explanation: """
            Only the B-tree, GiST, GIN and BRIN index methods support indexes with several key columns; \
            a hash or SP-GiST index over two columns fails with "access method does not support \
            multicolumn indexes". Index one column (SP-GiST can carry others in `include`), or use a \
            B-tree index for a composite key.
            """,
        source: "https://www.postgresql.org/docs/15/indexes-multicolumn.html")

    /// `include` on an index method that has no covering indexes.
    public static let includeUnsupportedMethod = DiagnosticCode(
        code: "TPG104", slug: "include-unsupported-method", defaultSeverity: .error,
        summary: "INCLUDE columns are supported only by B-tree, GiST and SP-GiST indexes.",
        explanation: """
            A covering index stores non-key columns (`include`) so that an index-only scan can return \
            them. In PostgreSQL 15 only the B-tree, GiST and SP-GiST methods support it; with hash, GIN or \
            BRIN, CREATE INDEX fails with "access method does not support included columns". Included \
            columns must be plain columns (expressions cannot be included, which the language already \
            ensures); key expressions are fine. Use a B-tree index or drop `include`.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createindex.html")

    /// More than 32 columns in one index, key or partition key.
    public static let tooManyKeyColumns = DiagnosticCode(
        code: "TPG105", slug: "too-many-key-columns", defaultSeverity: .error,
        summary: "An index, constraint or partition key has more than 32 columns.",
        explanation: """
            PostgreSQL is built with INDEX_MAX_KEYS = 32: an index holds at most 32 columns including its \
            INCLUDE columns, and so do primary keys, unique constraints, foreign keys and partition keys. \
            A longer list fails when the DDL runs. Such keys are almost always a design mistake: key on a \
            surrogate column instead.
            """,
        source: "https://www.postgresql.org/docs/15/indexes-multicolumn.html")

    /// A key or index column whose type has no default operator class for the access method.
    public static let noDefaultOperatorClass = DiagnosticCode(
        code: "TPG106", slug: "no-default-operator-class", defaultSeverity: .error,
        summary: "The column's type has no default operator class for the index method or key.",
        explanation: """
            An index (and the index behind a primary key, a unique constraint or a partition key) needs an \
            operator class for each key column's type. json, xml and the geometric types have no B-tree or \
            hash operator class, so they cannot be primary, unique or partition keys nor B-tree/hash index \
            columns; SP-GiST covers only points, boxes, polygons, ranges, inet and text; BRIN has no class \
            for boolean, json, jsonb, arrays, tsvector and most geometric types. CREATE fails with "data \
            type X has no default operator class for access method Y". Use jsonb instead of json, another \
            method, or index an expression of a supported type.
            """,
        source: "https://www.postgresql.org/docs/15/indexes-opclass.html")

    /// A GIN index on a column whose type GIN cannot index.
    public static let ginUnsupportedType = DiagnosticCode(
        code: "TPG107", slug: "gin-unsupported-type", defaultSeverity: .error,
        summary: "GIN indexes jsonb, tsvector and array columns only.",
        explanation: """
            GIN is an inverted index over the elements of composite values; core PostgreSQL ships GIN \
            operator classes only for jsonb, tsvector and arrays, so a GIN index on a text or integer \
            column fails with "data type text has no default operator class for access method gin". For \
            full-text search index an expression such as `to_tsvector('english', body)`; for LIKE and \
            similarity searches on text use the pg_trgm extension; to mix scalar columns into a GIN index \
            install btree_gin; otherwise use a B-tree index. Expression keys are not checked.
            """,
        source: "https://www.postgresql.org/docs/15/gin-builtin-opclasses.html")

    /// A GiST index on a column whose type core GiST cannot index.
    public static let gistUnsupportedType = DiagnosticCode(
        code: "TPG108", slug: "gist-unsupported-type", defaultSeverity: .warning,
        summary: "GiST indexes geometric, range and full-text types; scalar columns need btree_gist.",
        explanation: """
            Core PostgreSQL has GiST operator classes for point, box, polygon, circle, range types, \
            tsvector and tsquery. A scalar column (integer, text, uuid, timestamp...) in a GiST index needs \
            the btree_gist extension, typically to combine it with a range in an exclusion constraint or a \
            multicolumn index; without the extension CREATE INDEX fails. Make sure btree_gist is installed \
            in every database, or use a B-tree index for scalar lookups.
            """,
        source: "https://www.postgresql.org/docs/15/gist-builtin-opclasses.html")

    /// A BRIN index on a column whose values do not follow the physical row order.
    public static let brinUnorderedColumn = DiagnosticCode(
        code: "TPG109", slug: "brin-unordered-column", defaultSeverity: .warning,
        summary: "BRIN indexes only help on columns whose values follow the physical order of rows.",
        explanation: """
            A BRIN index stores the minimum and maximum of each block range, so it prunes blocks only when \
            the column's values correlate with where rows are stored, such as an insert timestamp or a \
            sequence in an append-only table. Random values such as uuid spread every range over the \
            whole domain: the index is scanned and then every block is read anyway. Use a B-tree index for \
            such columns and keep BRIN for naturally ordered ones.
            """,
        source: "https://www.postgresql.org/docs/15/brin-intro.html")

    // MARK: Foreign keys and derived columns

    /// A foreign key that references columns which are not a primary key or unique key.
    public static let foreignKeyTargetNotUnique = DiagnosticCode(
        code: "TPG110", slug: "foreign-key-target-not-unique", defaultSeverity: .error,
        summary: "A foreign key must reference the primary key or a unique key of the referenced table.",
        explanation: """
            PostgreSQL checks a foreign key through the unique index of the referenced columns, so the \
            referenced columns must be exactly the columns of the referenced table's primary key, of one \
            of its unique constraints, or of a unique index without WHERE clause or expressions (in any \
            order); otherwise ADD FOREIGN KEY fails with "there is no unique constraint matching given \
            keys for referenced table". Reference the primary key (omit `columns` under `references`) or \
            declare a unique constraint on the referenced columns.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK")

    /// A referencing column whose type cannot be compared with the referenced key's type.
    public static let keyTypeMismatch = DiagnosticCode(
        code: "TPG111", slug: "key-type-mismatch", defaultSeverity: .error,
        summary: "A foreign key, counter or snapshot column has a type incompatible with the key it references.",
        explanation: """
            A foreign key needs the referencing and referenced columns to be comparable: uuid against \
            bigint or text against integer fails with "foreign key constraint cannot be implemented: key \
            columns are of incompatible types". Counter and snapshot columns are maintained by triggers \
            that join on their `via` column the same way and would fail at the first row. Give the \
            referencing column the referenced column's type (serial and integer, bigserial and bigint are \
            the same type).
            """,
        source: "https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK")

    /// A referencing column of a related but different type than the key it references.
    public static let keyTypeDiffers = DiagnosticCode(
        code: "TPG112", slug: "key-type-differs", defaultSeverity: .warning,
        summary: "A foreign key, counter or snapshot column's type differs from the key it references.",
        explanation: """
            PostgreSQL accepts a foreign key between related types such as integer and bigint or \
            varchar and text, but every check then compares across types or through a cast, and the \
            narrower column cannot hold every value of the wider one: an integer column cannot reference \
            bigint ids above 2^31, so inserts start failing once the referenced table grows. Declare the \
            referencing column with exactly the referenced column's type.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK")

    /// `on_delete: set-null` or `set-default` on columns that cannot take the value.
    public static let foreignKeyActionViolatesNotNull = DiagnosticCode(
        code: "TPG113", slug: "fk-action-violates-not-null", defaultSeverity: .error,
        summary: "ON DELETE SET NULL or SET DEFAULT would write NULL into a NOT NULL column.",
        explanation: """
            SET NULL sets every referencing column to NULL when the referenced row is deleted, and SET \
            DEFAULT sets them to their defaults (NULL when there is none). The action does not excuse the \
            row from its other constraints, so on a NOT NULL or primary key column every delete of a \
            referenced row fails with a not-null violation. Make the columns nullable, give them a default \
            that references an existing row, or choose `cascade` or `restrict`.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK")

    /// A counter or snapshot whose `via` column has no foreign key.
    public static let derivedColumnWithoutForeignKey = DiagnosticCode(
        code: "TPG114", slug: "derived-column-without-foreign-key", defaultSeverity: .warning,
        summary: "The `via` column of a counter or snapshot is not backed by a foreign key.",
        explanation: """
            A counter is kept by triggers on the counted table that add or subtract one on the row its \
            `via` column points to; a snapshot copies a column of the row its `via` column points to when a \
            row is inserted. Without a foreign key on `via`, a row may point to no row at all: the counter \
            silently misses it and the snapshot stays NULL, and deleting the referenced row leaves \
            orphans. Declare a foreign key on the `via` column to the referenced table's primary key, alone \
            or in a composite key whose other columns are NOT NULL (a NULL in any of them skips the check), \
            such as the tenant-safe `(tenant_id, project_id) -> (tenant_id, project_id)`.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK")

    // MARK: Partitioning

    /// Range partitions that overlap or are empty, or a list value in two partitions.
    public static let partitionBoundsOverlap = DiagnosticCode(
        code: "TPG115", slug: "partition-bounds-overlap", defaultSeverity: .error,
        summary: "Partition bounds overlap, a range is empty, or a list value is in two partitions.",
        explanation: """
            Every row must belong to exactly one partition, so PostgreSQL refuses a partition whose bounds \
            overlap an existing one ("partition X would overlap partition Y") and a range whose FROM is not \
            below its TO ("empty range bound specified"). Range bounds are compared as integers for \
            integer keys, as dates and timestamps for temporal keys (with a generated series taken as one \
            range) and as text otherwise. Make each range start where the previous one ends (`to` is \
            exclusive) and list each value once.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createtable.html")

    /// A range-partitioned table that leaves values without a partition and has no default.
    public static let partitionBoundsGap = DiagnosticCode(
        code: "TPG116", slug: "partition-bounds-gap", defaultSeverity: .warning,
        summary:
            "Some values of a range-partitioned table's key fall in no partition, and there is no default partition.",
        explanation: """
            A row whose partition key falls outside every partition, below the first range, in a gap \
            between two ranges or at or above the last bound, is rejected with "no partition of relation \
            found for row" unless the table has a DEFAULT partition. A generated series covers only \
            [from, to): late or future-dated rows fail too (pg_partman's premake only moves the upper \
            bound). Add `default: true`, close the gaps, or open the ends (omit `from` on the first range, \
            `to` on the last).
            """,
        source: "https://www.postgresql.org/docs/15/ddl-partitioning.html")

    /// A partition key that the partitioning method or topoc's bounds cannot use.
    public static let partitionKeyShape = DiagnosticCode(
        code: "TPG117", slug: "partition-key-shape", defaultSeverity: .error,
        summary: "List partitioning takes one key column, and so do topoc's range bounds.",
        explanation: """
            For list partitioning PostgreSQL requires a partition key of a single column or expression \
            ("cannot use list partition strategy with more than one column"). Range partitioning may use \
            several columns, but then every bound is a tuple of values, and topoc's `from`/`to` bounds and \
            generated series give a single value. Partition by one column (hash partitioning accepts \
            several).
            """,
        source: "https://www.postgresql.org/docs/15/sql-createtable.html")

    /// A partition bound or list value that is not a value of the partition key's type.
    public static let partitionBoundType = DiagnosticCode(
        code: "TPG118", slug: "partition-bound-type", defaultSeverity: .error,
        summary: "A partition bound or list value is not a value of the partition key column's type.",
        explanation: """
            Partition bounds are converted to the partition key's type when the partition is created, so \
            `from: '2024-01-01'` on an integer key or a generated date series (`interval`) on a text or \
            integer column fails with "invalid input syntax". Generated series need a date, timestamp or \
            timestamptz key; integer keys need integer bounds; date and timestamp keys need ISO dates \
            (`YYYY-MM-DD`, optionally with a time).
            """,
        source: "https://www.postgresql.org/docs/15/sql-createtable.html")

    // MARK: Views

    /// A materialized view refreshed CONCURRENTLY without a unique key.
    public static let concurrentRefreshNeedsUniqueKey = DiagnosticCode(
        code: "TPG119", slug: "concurrent-refresh-needs-unique-key", defaultSeverity: .error,
        summary: "REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on plain columns.",
        explanation: """
            A concurrent refresh computes the new contents and merges them into the old rows without \
            blocking readers, which requires at least one UNIQUE index on the materialized view that uses \
            only column names and covers all rows (no expressions, no WHERE clause). Without it every \
            scheduled refresh fails with "cannot refresh materialized view concurrently". Declare \
            `unique_key` with the columns that identify a row of the view, or drop `concurrently`.
            """,
        source: "https://www.postgresql.org/docs/15/sql-refreshmaterializedview.html")

    /// `unique_key` on a view that is not materialized.
    public static let uniqueKeyOnPlainView = DiagnosticCode(
        code: "TPG120", slug: "unique-key-on-plain-view", defaultSeverity: .error,
        summary: "Only tables and materialized views can have indexes; a plain view cannot have a unique key.",
        explanation: """
            CREATE INDEX builds an index on a table or a materialized view; a plain view stores nothing, so \
            the unique index that `unique_key` declares cannot be created ("cannot create index on \
            relation"). Make the view `materialized: true`, or drop `unique_key` and rely on the keys of \
            the underlying tables.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createindex.html")

    // MARK: Names

    /// A name topoc derives that is longer than PostgreSQL keeps.
    public static let derivedNameTooLong = DiagnosticCode(
        code: "TPG121", slug: "derived-name-too-long", defaultSeverity: .error,
        summary: "A name topoc derives for an index, constraint or trigger is longer than 63 bytes.",
        explanation: """
            topoc names every object it creates explicitly, deriving names that the topology leaves out: \
            `<table>_<columns>_idx` and `_key` for indexes, `<table>_pkey`, `<table>_<columns>_key` and \
            `<table>_<columns>_fkey` for constraints, `<table>_<column>_counter` and `_snapshot` for the \
            triggers of derived columns. PostgreSQL truncates identifiers longer than 63 bytes without an \
            error, so the object would get another name than the one topoc and its migrations use, and two \
            truncated names can collide. Give the index or constraint an explicit `name:`, or shorten the \
            table or column names.
            """,
        source: "https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS")

    /// Two tables, views, indexes, constraints, partitions or triggers with the same (derived) name.
    public static let nameCollision = DiagnosticCode(
        code: "TPG122", slug: "name-collision", defaultSeverity: .error,
        summary: "A derived name collides with another object's name in the same namespace.",
        explanation: """
            Tables, views, partitions, sequences and indexes (including the indexes behind primary keys \
            and unique constraints) share one namespace per schema; constraint names must be unique per \
            table, and trigger and refresh functions per schema. topoc also creates relations the topology \
            does not name: the sequence of every serial column (`<table>_<column>_seq`), the unique index of \
            a materialized view, the CDC audit table. Derived names can collide: an index on `b_c` of table \
            `a` and one on `c` of table `a_b` are both named `a_b_c_idx`, and the second CREATE fails with \
            "relation already exists"; worse, a table named `t_id_seq` next to a `bigserial` column `id` of \
            table `t` is skipped by the generated `IF NOT EXISTS`, the apply reports success, and inserts \
            into it fail. Give one of the objects another name. (Explicit index names used twice are \
            reported as TPC022 by the decoder.) The validator checks the names it derives from the \
            topology; once the plan is made, the planner checks the registry of every name the DDL creates \
            (ObjectRegistry: tables, partitions of generated series, vertical group tables, sequences, \
            indexes, constraints, triggers and their functions, the CDC audit and heartbeat tables, views' \
            unique indexes and refresh functions, row-level security policies, publications, replication \
            slots, tenant and configured roles, topoc's own `topoc_*` functions) and reports any two of one \
            namespace with the same name at the name the topology wrote.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-schemas.html")

    // MARK: Roles

    /// An application role that bypasses row-level security or permission checks.
    public static let appRoleBypassesRLS = DiagnosticCode(
        code: "TPG123", slug: "app-role-bypasses-rls", defaultSeverity: .error,
        summary: "The application role must not be the superuser, which bypasses row-level security.",
        explanation: """
            Superusers and roles with BYPASSRLS always bypass row-level security, and table owners bypass \
            it unless the table has FORCE ROW LEVEL SECURITY. topoc's DDL always enables and forces row \
            level security on tenant tables and creates the application role without SUPERUSER and without \
            BYPASSRLS, but if `app_role` names the superuser (`postgres`, the superuser Patroni creates) the \
            application connects as a role that sees every tenant's rows, and for schema- and \
            database-per-tenant it bypasses the grants that separate tenants. Name a dedicated role.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A role name PostgreSQL reserves.
    public static let reservedRoleName = DiagnosticCode(
        code: "TPG124", slug: "reserved-role-name", defaultSeverity: .error,
        summary: "The role name is reserved by PostgreSQL or is a keyword of its HBA files.",
        explanation: """
            Role names starting with `pg_` are reserved for PostgreSQL's predefined roles, and `public` \
            and `none` (like `current_user`, `session_user` and `current_role`) are words of role \
            specifications: CREATE ROLE fails with "role name ... is reserved" or a syntax error. \
            `all`, `sameuser`, `samerole`, `samegroup` and `replication` are keywords of the user field \
            of `pg_hba.conf` and of PgBouncer's HBA file: the line topoc writes to refuse PgBouncer's \
            `auth_user` as a client would read `all` as every role and refuse every client. Choose \
            another name for the role (`roles:` or `tenancy.app_role`), such as `<topology>_app`.
            """,
        source: "https://www.postgresql.org/docs/15/predefined-roles.html")

    /// Two roles of the role model share a name, or one is Patroni's.
    public static let roleNameCollision = DiagnosticCode(
        code: "TPG125", slug: "role-name-collision", defaultSeverity: .error,
        summary: "Every role of the role model needs its own name, and none may be Patroni's superuser or replication role.",
        explanation: """
            topoc gives each role only what its component needs (docs/roles.md): the owner owns the \
            objects, the application reads and writes, the read-only role reads, the CDC and multi-primary \
            roles have REPLICATION, PgBouncer's auth_user may call the lookup function and nothing else. \
            Two kinds named alike become one role that holds both sets of privileges (an application role \
            that is also the CDC role streams WAL and bypasses row-level security), and a role named like \
            Patroni's superuser (`postgres`) or replication role (`replicator`) is that role. Give each kind \
            its own name under `roles:`; the defaults (`<app>_owner`, `<app>_readonly`, ...) never collide.
            """,
        source: "https://www.postgresql.org/docs/15/role-attributes.html")

    // MARK: Limits

    /// A table with more columns than PostgreSQL allows.
    public static let tooManyColumns = DiagnosticCode(
        code: "TPG126", slug: "too-many-columns", defaultSeverity: .error,
        summary: "A table has more than 1,600 columns.",
        explanation: """
            PostgreSQL's tables hold at most 1,600 columns (MaxHeapAttributeNumber), and CREATE TABLE \
            fails beyond that ("tables can have at most 1600 columns"), after every earlier statement of \
            the database's script has run. topoc counts the declared columns and the counter and snapshot \
            columns it adds; each part of a vertically split table is its own table and is counted alone \
            (its columns plus the primary key). The row itself must also fit in a page: wide rows of many \
            fixed-width columns fail on insert even below the column limit. Split the table.
            """,
        source: "https://www.postgresql.org/docs/15/limits.html")

    // MARK: Databases

    /// A database of the topology named like one every cluster has.
    public static let reservedDatabaseName = DiagnosticCode(
        code: "TPG127", slug: "reserved-database-name", defaultSeverity: .error,
        summary: "The main database and the vertical groups' databases cannot be `postgres`, `template0` or `template1`.",
        explanation: """
            Every PostgreSQL cluster has the databases `postgres`, `template0` and `template1`. topoc \
            creates each database of the topology with a script that skips a database that exists, so a \
            main database named after a topology called `postgres` (or a vertical group's `database:`) \
            gets no database of its own: its schema goes into the maintenance database that pg_cron, \
            Patroni and the operators use; in `template1` every database created later, tenants' and \
            shards' included, copies it; `template0` does not accept connections. Name the topology or \
            the group's database otherwise. Tenant databases are checked by TTN606.
            """,
        source: "https://www.postgresql.org/docs/15/manage-ag-templatedbs.html")
}
