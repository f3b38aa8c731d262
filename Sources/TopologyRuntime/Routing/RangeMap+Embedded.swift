extension RangeMap {
    /// Builds a range map from entries the compiler has already validated (embedded in generated
    /// code), stopping the program if they are invalid: invalid embedded data means the generated
    /// file was edited by hand.
    ///
    /// - Parameter entries: The ranges.
    /// - Returns: The map.
    public static func embedded(_ entries: [Entry]) -> RangeMap {
        do {
            return try RangeMap(entries)
        } catch {
            preconditionFailure("embedded ranges are invalid: \(error)")
        }
    }
}

extension HashRing {
    /// Builds a ring from tokens the compiler has already computed (embedded in generated code),
    /// stopping the program if they are inconsistent: that means the generated file was edited by
    /// hand.
    ///
    /// - Parameters:
    ///   - shardNames: The shards' names.
    ///   - virtualNodes: Tokens per shard.
    ///   - tokens: The sorted token positions.
    ///   - owners: Each token's shard index.
    /// - Returns: The ring.
    public static func embedded(shardNames: [String], virtualNodes: Int, tokens: [Int64], owners: [Int]) -> HashRing {
        do {
            return try HashRing(shardNames: shardNames, virtualNodes: virtualNodes, tokens: tokens, owners: owners)
        } catch {
            preconditionFailure("embedded ring tokens are invalid: \(error)")
        }
    }

    /// Builds a ring from tokens the compiler has already computed and packed as text
    /// (``PackedRingTokens``; what generated routers embed), stopping the program if the text is
    /// malformed or the tokens inconsistent: that means the generated file was edited by hand.
    ///
    /// - Parameters:
    ///   - shardNames: The shards' names.
    ///   - virtualNodes: Tokens per shard.
    ///   - packed: The sorted tokens with their owners, packed as text.
    /// - Returns: The ring.
    public static func embedded(shardNames: [String], virtualNodes: Int, packed: StaticString) -> HashRing {
        let decoded = packed.withUTF8Buffer { text in
            Result { () throws(PackedRingTokensError) in try PackedRingTokens.decode(text, shardCount: shardNames.count) }
        }
        switch decoded {
        case .success(let ring):
            return embedded(shardNames: shardNames, virtualNodes: virtualNodes, tokens: ring.tokens, owners: ring.owners)
        case .failure(let error):
            preconditionFailure("embedded ring text is invalid: \(error)")
        }
    }
}
