import TopologyRuntime

/// `topoc_shard_for(...)`: the shard that owns a key, computed inside PostgreSQL exactly as
/// `TopologyRuntime` computes it (`HashRing`, `JumpHash`, `HashModulo`, `RangeMap`, `GeoMap`),
/// so a shard can check its own rows. Also `topoc_shard_name(...)` (the shard's database) and
/// `topoc_this_shard()`.
///
/// Unsigned 64-bit arithmetic is done in `numeric`; jump hash's floating-point step uses
/// `double precision`, which is IEEE 754 like Swift's `Double`.
enum ShardFunctionDDL {
    /// A function of `public`, quoted.
    static func function(_ name: String) -> String {
        SchemaTarget.publicSchema.qualify(name)
    }

    /// 2^64, for unsigned arithmetic in `numeric`.
    static let twoToThe64 = "18446744073709551616"

    /// `topoc_this_shard()`: the one function that differs between shard databases (see
    /// ``statements(_:)`` for the ones they share); empty for other databases.
    static func identity(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard database.plan.sharding != nil, let shard = database.shard else { return script }
        script.add(
            "CREATE OR REPLACE FUNCTION \(function("topoc_this_shard"))() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
                + SQLQuoting.dollarQuoted("\nSELECT \(shard.index)\n"))
        script.add(
            "COMMENT ON FUNCTION \(function("topoc_this_shard"))() IS \(SQLQuoting.literal("This database holds shard \(shard.index) (\(shard.name)); rows with topoc_shard_for(...) <> topoc_this_shard() belong elsewhere."))"
        )
        let callers = database.clientRoles.map(SQLQuoting.identifier).joined(separator: ", ")
        script.add("GRANT EXECUTE ON FUNCTION \(function("topoc_this_shard"))() TO \(callers)")
        return script
    }

    /// The functions every shard database has alike (the ring, the shard of a key, its
    /// database); empty for other databases.
    static func statements(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard let sharding = database.plan.sharding, database.shard != nil else { return script }
        let keyType = sharding.keyType.sqlType
        script.comment(
            "the shard of a key, as TopologyRuntime computes it: strategy \(sharding.strategy.rawValue) on \(sharding.key) (\(keyType))")
        let regional = sharding.strategy.regional
        let parameters = regional ? "region text, shard_key \(keyType)" : "shard_key \(keyType)"
        let arguments = regional ? "region, shard_key" : "shard_key"
        // The body as pieces: with a ring, its array literals are made as the script is written
        // (15 MB at 4,096 shards), never held.
        let body: [SQLPiece]
        var strict = true
        var helper: String?
        switch sharding.strategy {
        case .geographic:
            strict = false
            body = [.text("\n\(geographic(sharding))\n")]
        case .composite:
            script.append(helpers(for: sharding.withinRegion ?? .hashModulo))
            helper = helperSignature(for: sharding.withinRegion ?? .hashModulo)
            body = [.text("\n")] + composite(sharding) + [.text("\n")]
        case .range:
            body = [.text("\n\(range(sharding))\n")]
        case .hashModulo, .jumpHash, .consistentHash:
            script.append(helpers(for: sharding.strategy))
            helper = helperSignature(for: sharding.strategy)
            let shards = sharding.shards.sorted { $0.index < $1.index }
            body =
                [.text("\nSELECT ")]
                + hashed(sharding.strategy, keyType: sharding.keyType, shards: shards, region: nil, sharding: sharding)
                + [.text("\n")]
        }
        let attributes = "LANGUAGE sql IMMUTABLE \(strict ? "STRICT " : "")PARALLEL SAFE"
        script.add(
            pieces: SQLQuoting.dollarQuoted(
                pieces: body,
                after: "CREATE OR REPLACE FUNCTION \(function("topoc_shard_for"))(\(parameters)) RETURNS integer \(attributes) AS "))
        let names = sharding.shards.sorted { $0.index < $1.index }.map { SQLQuoting.literal($0.database) }
        script.add(
            "CREATE OR REPLACE FUNCTION \(function("topoc_shard_name"))(\(parameters)) RETURNS text \(attributes) AS "
                + SQLQuoting.dollarQuoted(
                    "\nSELECT (ARRAY[\(names.joined(separator: ", "))]::text[])[\(function("topoc_shard_for"))(\(arguments)) + 1]\n"))
        let callers = database.clientRoles.map(SQLQuoting.identifier).joined(separator: ", ")
        let types = regional ? "text, \(keyType)" : keyType
        script.add(
            "GRANT EXECUTE ON FUNCTION \(function("topoc_shard_for"))(\(types)), \(function("topoc_shard_name"))(\(types)) TO \(callers)"
        )
        if let helper {
            // topoc_shard_for is not SECURITY DEFINER: its helper runs as the caller, and the
            // owner's functions are not executable by PUBLIC.
            script.add("GRANT EXECUTE ON FUNCTION \(helper) TO \(callers)")
        }
        return script
    }

    /// The PostgreSQL extended hash function of a key type.
    static func hashFunction(keyType: ShardKeyType) -> String {
        switch keyType {
        case .smallint: "hashint2extended"
        case .integer: "hashint4extended"
        case .text: "hashtextextended"
        case .bigint: "hashint8extended"
        }
    }

    /// The expression placing `shard_key` on one of `shards` (as local positions in that list)
    /// by a hash strategy; `region` selects a composite topology's ring. The strategies that do
    /// not hash never reach here (a composite topology's within-region strategy is a hash one).
    /// The expression's text is the pieces one after another; a ring's array literals are one
    /// piece, made as it is written.
    private static func hashed(
        _ strategy: ShardingStrategy, keyType: ShardKeyType, shards: [PlanShard], region: String?, sharding: PlanSharding
    ) -> [SQLPiece] {
        let hash = hashFunction(keyType: keyType)
        switch strategy {
        case .hashModulo:
            return [.text("\(function("topoc_hash_remainder"))(\(hash)(shard_key, \(PostgresHash.partitionSeed)), \(shards.count))")]
        case .jumpHash:
            return [.text("\(function("topoc_jump_bucket"))(\(hash)(shard_key, 0), \(shards.count))")]
        case .consistentHash, .range, .geographic, .composite:
            return [
                .text("\(function("topoc_ring_shard"))(\(hash)(shard_key, 0),\n    "),
                .ringArrays(ringArrays(sharding, shards: shards, region: region)), .text(")"),
            ]
        }
    }

    /// The ring over `shards` with owners as positions in that list: the plan's tokens (of the
    /// region, for composite sharding), read in place, or, for a plan without them, the ring of
    /// the shards' names.
    private static func ringArrays(_ sharding: PlanSharding, shards: [PlanShard], region: String?) -> RingArrayText {
        let planned = sharding.ring ?? []
        if planned.contains(where: { $0.region == region }) {
            var positions: [Int: Int] = [:]
            for (offset, shard) in shards.enumerated() where positions[shard.index] == nil { positions[shard.index] = offset }
            return RingArrayText(planned: planned, region: region, positions: positions)
        }
        let ring = try? HashRing(
            shards: shards.map(\.name), virtualNodes: sharding.virtualNodes ?? 150, placement: sharding.tokenPlacement ?? .hashed)
        let tokens = ring?.tokens ?? []
        return RingArrayText(tokens: tokens.map(\.token), owners: tokens.map(\.shard))
    }

    /// The shards of each region, in order of first appearance.
    private static func regions(_ sharding: PlanSharding) -> [(name: String, shards: [PlanShard])] {
        var result: [(name: String, shards: [PlanShard])] = []
        for shard in sharding.shards.sorted(by: { $0.index < $1.index }) {
            let region = shard.region ?? ""
            if let index = result.firstIndex(where: { $0.name == region }) {
                result[index].shards.append(shard)
            } else {
                result.append((region, [shard]))
            }
        }
        return result
    }

    /// Geographic sharding: the region's shard.
    private static func geographic(_ sharding: PlanSharding) -> String {
        let cases = regions(sharding).compactMap { region in
            region.shards.first.map { "    WHEN \(SQLQuoting.literal(region.name)) THEN \($0.index)" }
        }
        return "SELECT CASE region\n\(cases.joined(separator: "\n"))\nEND"
    }

    /// Composite sharding: the region, then the within-region strategy over its shards, as
    /// pieces (each region's ring is one).
    private static func composite(_ sharding: PlanSharding) -> [SQLPiece] {
        let strategy = sharding.withinRegion ?? .hashModulo
        var pieces: [SQLPiece] = [.text("SELECT CASE region\n")]
        for (index, region) in regions(sharding).enumerated() {
            let globals = region.shards.map { String($0.index) }.joined(separator: ", ")
            let before = index == 0 ? "" : "\n"
            pieces.append(.text("\(before)    WHEN \(SQLQuoting.literal(region.name)) THEN (ARRAY[\(globals)])["))
            pieces += hashed(strategy, keyType: sharding.keyType, shards: region.shards, region: region.name, sharding: sharding)
            pieces.append(.text(" + 1]"))
        }
        pieces.append(.text("\nEND"))
        return pieces
    }

    /// Range sharding: the shard whose half-open range holds the key (NULL in a gap).
    private static func range(_ sharding: PlanSharding) -> String {
        let text = sharding.keyType == .text
        func bound(_ value: String) -> String {
            if text { return SQLQuoting.literal(value) }
            return Int64(value).map(String.init) ?? SQLQuoting.literal(value)
        }
        let key = text ? "shard_key COLLATE \"C\"" : "shard_key"
        let cases = sharding.shards.sorted { $0.index < $1.index }.map { shard -> String in
            var conditions: [String] = []
            if let from = shard.rangeFrom { conditions.append("\(key) >= \(bound(from))") }
            if let to = shard.rangeTo { conditions.append("\(key) < \(bound(to))") }
            return "    WHEN \(conditions.isEmpty ? "true" : conditions.joined(separator: " AND ")) THEN \(shard.index)"
        }
        return "SELECT CASE\n\(cases.joined(separator: "\n"))\nEND"
    }

    /// The signature of the helper function a hash strategy uses (see ``helpers(for:)``).
    private static func helperSignature(for strategy: ShardingStrategy) -> String {
        switch strategy {
        case .hashModulo: "\(function("topoc_hash_remainder"))(bigint, integer)"
        case .jumpHash: "\(function("topoc_jump_bucket"))(bigint, integer)"
        case .consistentHash, .range, .geographic, .composite: "\(function("topoc_ring_shard"))(bigint, bigint[], integer[])"
        }
    }

    /// The helper functions a hash strategy uses.
    private static func helpers(for strategy: ShardingStrategy) -> SQLScript {
        var script = SQLScript()
        switch strategy {
        case .hashModulo:
            let combine = PostgresHash.combinePartitionHash(0, with: 0)
            script.comment("PostgreSQL's hash-partition routing of one column: (hash + 0x49A0F4DD15E5A8E3) mod 2^64 mod modulus, unsigned")
            script.add(
                "CREATE OR REPLACE FUNCTION \(function("topoc_hash_remainder"))(column_hash bigint, modulus integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
                    + SQLQuoting.dollarQuoted(
                        "\nSELECT ((column_hash::numeric + \(twoToThe64) + \(combine)) % \(twoToThe64) % modulus)::integer\n"))
        case .jumpHash:
            let body = """

                DECLARE
                    state numeric := CASE WHEN hash_value < 0 THEN hash_value::numeric + \(twoToThe64) ELSE hash_value::numeric END;
                    bucket bigint := -1;
                    candidate bigint := 0;
                BEGIN
                    WHILE candidate < buckets LOOP
                        bucket := candidate;
                        state := (state * 2862933555777941757 + 1) % \(twoToThe64);
                        candidate := trunc((bucket + 1)::double precision
                            * (2147483648::double precision / (div(state, 8589934592) + 1)::double precision))::bigint;
                    END LOOP;
                    RETURN bucket;
                END

                """
            script.comment("Lamping and Veach's jump consistent hash of an unsigned 64-bit hash")
            script.add(
                "CREATE OR REPLACE FUNCTION \(function("topoc_jump_bucket"))(hash_value bigint, buckets integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS "
                    + SQLQuoting.dollarQuoted(body))
        case .consistentHash, .range, .geographic, .composite:
            let body = """

                DECLARE
                    low integer := 1;
                    high integer := cardinality(tokens) + 1;
                    middle integer;
                BEGIN
                    WHILE low < high LOOP
                        middle := (low + high) / 2;
                        IF tokens[middle] < ring_position THEN
                            low := middle + 1;
                        ELSE
                            high := middle;
                        END IF;
                    END LOOP;
                    IF low > cardinality(tokens) THEN
                        low := 1;
                    END IF;
                    RETURN shards[low];
                END

                """
            script.comment("the owner of the first ring token at or after a position, wrapping to the first token")
            script.add(
                "CREATE OR REPLACE FUNCTION \(function("topoc_ring_shard"))(ring_position bigint, tokens bigint[], shards integer[]) RETURNS integer LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS "
                    + SQLQuoting.dollarQuoted(body))
        }
        return script
    }
}
