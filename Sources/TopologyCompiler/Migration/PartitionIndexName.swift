/// The name PostgreSQL gives a partition's index when it creates it for an index of the
/// partitioned parent (`ChooseIndexName`: the partition's name, the key and INCLUDE column names
/// with `expr` for expressions, then `idx`, clipped to 63 bytes), so that an index built
/// partition by partition and attached carries the name a fresh build gives it.
enum PartitionIndexName {
    /// The longest name PostgreSQL keeps (NAMEDATALEN - 1).
    static let maxBytes = 63

    /// The child index name of `index` on `partition`.
    static func choose(partition: String, index: PlanIndex) -> String {
        var used = Set<String>()
        var names: [String] = []
        for part in index.keys.map({ $0.column ?? "expr" }) + index.include {
            var candidate = part
            var counter = 1
            while used.contains(candidate) {
                candidate = "\(part)\(counter)"
                counter += 1
            }
            used.insert(candidate)
            names.append(candidate)
        }
        var addition = ""
        for name in names {
            if !addition.isEmpty { addition += "_" }
            addition += name
            if addition.utf8.count >= maxBytes { break }
        }
        return objectName(partition, addition, label: "idx")
    }

    /// `makeObjectName`: `name1_name2_label`, the longer of the two names shortened until it fits.
    static func objectName(_ name1: String, _ name2: String, label: String) -> String {
        let overhead = label.utf8.count + 1 + (name2.isEmpty ? 0 : 1)
        let available = maxBytes - overhead
        var first = name1.utf8.count
        var second = name2.utf8.count
        while first + second > available {
            if first > second { first -= 1 } else { second -= 1 }
        }
        var result = clip(name1, first)
        if !name2.isEmpty { result += "_" + clip(name2, second) }
        return result + "_" + label
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character.
    static func clip(_ text: String, _ bytes: Int) -> String {
        var result = ""
        var count = 0
        for character in text.unicodeScalars {
            let size = String(character).utf8.count
            if count + size > bytes { break }
            result.unicodeScalars.append(character)
            count += size
        }
        return result
    }
}
