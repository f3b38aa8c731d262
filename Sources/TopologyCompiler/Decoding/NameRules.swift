/// The naming rules of the topology language.
public enum NameRules {
    /// PostgreSQL keeps identifiers up to NAMEDATALEN - 1 bytes.
    public static let maxIdentifierBytes = 63

    /// The kinds of names, each with its own character rules.
    public enum Kind: Sendable {
        /// A SQL identifier: letters, digits, underscores, not starting with a digit.
        case sql
        /// A service name (clusters, regions): lowercase letters, digits, hyphens; starts with a letter.
        case service
        /// An environment variable: uppercase letters, digits, underscores.
        case environment
    }

    /// Why a name is invalid, or nil when it is valid.
    public static func problem(with name: String, kind: Kind) -> String? {
        if name.isEmpty { return "a name cannot be empty" }
        if name.utf8.count > maxIdentifierBytes, kind != .environment {
            return "is \(name.utf8.count) bytes long; PostgreSQL keeps only \(maxIdentifierBytes)"
        }
        let scalars = Array(name.unicodeScalars)
        func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        switch kind {
        case .sql:
            guard isLetter(scalars[0]) || scalars[0] == "_" else {
                return "must start with a letter or an underscore"
            }
            guard scalars.allSatisfy({ isLetter($0) || isDigit($0) || $0 == "_" }) else {
                return "may contain only letters, digits and underscores"
            }
        case .service:
            guard ("a"..."z").contains(scalars[0]) else { return "must start with a lowercase letter" }
            guard scalars.allSatisfy({ ("a"..."z").contains($0) || isDigit($0) || $0 == "-" }) else {
                return "may contain only lowercase letters, digits and hyphens"
            }
            guard scalars.last != "-" else { return "must not end with a hyphen" }
        case .environment:
            guard ("A"..."Z").contains(scalars[0]) || scalars[0] == "_" else {
                return "must start with an uppercase letter or an underscore"
            }
            guard scalars.allSatisfy({ ("A"..."Z").contains($0) || isDigit($0) || $0 == "_" }) else {
                return "may contain only uppercase letters, digits and underscores"
            }
        }
        return nil
    }
}
