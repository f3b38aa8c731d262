import Foundation

/// The grammars of the free-form values that reach shell scripts, ini and YAML files, compose
/// files and environment values: each kind of value (path, host:port list, address, Kafka topic
/// prefix) has one strict grammar here, checked when the topology is decoded.
///
/// Each function returns why a value is outside its grammar, as a phrase the decoder puts after
/// the key (`'run_dir' may contain only ...`), or nil when the value is in it. Values that pass
/// hold no shell metacharacter, quote, white space, control character or line break, so they
/// mean the same to every reader; the backends quote them anyway (``ShellQuoting``,
/// ``ComposeQuoting``, ``IniQuoting``, ``YAMLQuoting``).
public enum ValueGrammar {
    /// The characters a path may hold besides ASCII letters and digits.
    public static let pathPunctuation: Set<Unicode.Scalar> = [".", "_", "-", "+"]

    /// Why `text` is not a path of the strict grammar, or nil: components of ASCII letters,
    /// digits, `.`, `_`, `-` and `+` separated by single `/`, no component `..` and none starting
    /// with `-` (a program would take it for an option); absolute (starting with `/`) exactly
    /// when `absolute` is true.
    public static func pathProblem(_ text: String, absolute: Bool) -> String? {
        let shape =
            absolute
            ? "must be an absolute path without '..', such as /usr/lib/postgresql/16/bin"
            : "must be a relative path inside the project, without '..'"
        guard !text.isEmpty, text.hasPrefix("/") == absolute else { return shape }
        if let scalar = text.unicodeScalars.first(where: { !isPathCharacter($0) && $0 != "/" }) {
            return "may contain only letters, digits, '.', '_', '-', '+' and '/', found \(describe(scalar))"
        }
        let components = (absolute ? String(text.dropFirst()) : text).split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return shape }
        if components.contains(where: \.isEmpty) { return "has an empty path component ('//' or a trailing '/')" }
        if components.contains(where: { $0.hasPrefix("-") }) {
            return "has a path component starting with '-', which programs would take for an option"
        }
        return nil
    }

    /// The kinds of file a `tls:` section names, each with the endings it accepts.
    public enum TLSFileKind: Sendable {
        /// A certificate (the CA's or a server's): PEM, `.crt` or `.pem`.
        case certificate
        /// A private key: PEM, `.key` or `.pem`.
        case key
        /// A directory holding `ca.crt`, `server.crt` and `server.key`.
        case directory

        /// A path of the kind, for messages.
        var example: String {
            switch self {
            case .certificate: "/etc/topoc/tls/server.crt"
            case .key: "/etc/topoc/tls/server.key"
            case .directory: "/etc/topoc/tls"
            }
        }

        var endings: [String] {
            switch self {
            case .certificate: [".crt", ".pem"]
            case .key: [".key", ".pem"]
            case .directory: []
            }
        }
    }

    /// Why `text` is not an absolute path of ``pathProblem(_:absolute:)``'s grammar naming a file
    /// of `kind` (a certificate must end in `.crt` or `.pem`, a key in `.key` or `.pem`), or nil.
    public static func tlsPathProblem(_ text: String, kind: TLSFileKind) -> String? {
        if let problem = pathProblem(text, absolute: true) {
            return problem.replacingOccurrences(of: "/usr/lib/postgresql/16/bin", with: kind.example)
        }
        guard !kind.endings.isEmpty, !kind.endings.contains(where: { text.hasSuffix($0) }) else { return nil }
        let what = kind == .key ? "a private key" : "a certificate"
        return "must name \(what) file ending in \(kind.endings.joined(separator: " or ")) (PEM)"
    }

    /// Why `text` is not a comma-separated list of `host:port` entries (Kafka's
    /// `bootstrap.servers`), or nil. A host is an RFC 1123 host name, a dotted IPv4 address or a
    /// bracketed IPv6 address (`[::1]:9092`); a port is 1-65535 without leading zeros; there is
    /// no white space and no empty entry.
    public static func hostPortListProblem(_ text: String) -> String? {
        guard !text.isEmpty else { return "needs at least one host:port entry, such as kafka:9092" }
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let problem = hostPortProblem(String(entry)) {
                return
                    "entry \(shown(String(entry))) \(problem) (write host:port entries separated by commas, such as kafka-1:9092,kafka-2:9092)"
            }
        }
        return nil
    }

    /// Why one `host:port` entry is outside the grammar, or nil.
    static func hostPortProblem(_ entry: String) -> String? {
        let host: Substring
        let port: Substring
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { return "opens '[' without closing it" }
            host = entry[entry.index(after: entry.startIndex)..<close]
            let rest = entry[entry.index(after: close)...]
            guard rest.hasPrefix(":") else { return "needs ':port' after the bracketed address" }
            port = rest.dropFirst()
            guard isIPv6(String(host)) else { return "does not hold an IPv6 address between its brackets" }
        } else {
            guard let colon = entry.lastIndex(of: ":") else { return "has no ':port'" }
            host = entry[..<colon]
            port = entry[entry.index(after: colon)...]
            guard isHostName(String(host)) || isIPv4(String(host)) else {
                return "does not start with a host name (RFC 1123: letters, digits and '-' in dot-separated labels) or an IPv4 address"
            }
        }
        guard isPort(String(port)) else { return "has no port between 1 and 65535" }
        return nil
    }

    /// Whether `text` is an RFC 1123 host name: dot-separated labels of 1 to 63 ASCII letters,
    /// digits and hyphens, not starting or ending with a hyphen, 253 characters at most. A name
    /// made only of digit labels must be a valid IPv4 address instead.
    public static func isHostName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed = labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "-" }
        }
        let numeric = labels.allSatisfy { label in label.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        return wellFormed && !numeric
    }

    /// Whether `text` is a dotted IPv4 address: four decimal numbers 0-255 of at most three digits.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
                    && (Int(part) ?? 256) <= 255
            }
    }

    /// Whether `text` is an IPv6 address in RFC 4291's text form: eight groups of one to four
    /// hex digits, one `::` standing for one or more zero groups, and optionally a dotted IPv4
    /// address as the last 32 bits. Zone identifiers (`%eth0`) are not accepted.
    public static func isIPv6(_ text: String) -> Bool {
        let halves = text.components(separatedBy: "::")
        switch halves.count {
        case 1: return groupCount(halves[0], ipv4Tail: true) == 8
        case 2:
            guard let head = groupCount(halves[0], ipv4Tail: false), let tail = groupCount(halves[1], ipv4Tail: true) else {
                return false
            }
            return head + tail <= 7
        default: return false
        }
    }

    /// Whether `text` is a TCP port: 1-65535, decimal, without sign or leading zeros.
    public static func isPort(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "0", text.utf8.count <= 5,
            text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(text)
        else { return false }
        return (1...65535).contains(value)
    }

    /// Why `text` is not a Kafka topic prefix, or nil: 1 to 200 ASCII letters, digits, `.`, `_`
    /// and `-` (the characters Kafka allows in topic names).
    public static func topicPrefixProblem(_ text: String) -> String? {
        let allowed = text.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "_" || $0 == "-" || $0 == "." }
        guard allowed, !text.isEmpty, text.count <= 200 else {
            return "is not a Kafka topic prefix: 1 to 200 letters, digits, '.', '_' and '-'"
        }
        return nil
    }

    /// A value as a diagnostic shows it: single-quoted, on one line, at most 80 characters.
    public static func shown(_ text: String) -> String {
        let line = CommentQuoting.line(String(String.UnicodeScalarView(text.unicodeScalars.prefix(80))))
        return "'" + line + "'" + (text.unicodeScalars.count > 80 ? "..." : "")
    }

    // MARK: Pieces

    private static func groupCount(_ text: String, ipv4Tail: Bool) -> Int? {
        if text.isEmpty { return 0 }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (index, field) in fields.enumerated() {
            if ipv4Tail, index == fields.count - 1, field.contains(".") {
                guard isIPv4(String(field)) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(field.count), field.unicodeScalars.allSatisfy(isHexDigit) else { return nil }
                count += 1
            }
        }
        return count
    }

    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrDigit(scalar) || pathPunctuation.contains(scalar)
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    /// A character as a message names it: `'$'`, or `U+000A` for one that cannot be shown.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let code =
            "U+" + String(repeating: "0", count: max(0, 4 - String(scalar.value, radix: 16).count))
            + String(scalar.value, radix: 16, uppercase: true)
        let visible = scalar.value > 0x20 && scalar.value < 0x7F
        return visible ? "'\(Character(scalar))' (\(code))" : code
    }
}

// MARK: Kubernetes and object stores

extension ValueGrammar {
    /// Whether `text` is a Kubernetes object name of the DNS subdomain form (RFC 1123):
    /// dot-separated lowercase labels, 253 characters at most. Secrets and StorageClasses are
    /// named so.
    public static func isKubernetesSubdomain(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { KubernetesNames.isLabel(String($0)) }
    }

    /// Why `text` is not a destination of an object store of `kind`, or nil: `s3://bucket/path`,
    /// `gs://bucket/path` (a bucket of 3 to 63 lowercase letters, digits, `.` and `-`), or for
    /// Azure `https://host/container/path`; path components of letters, digits, `.`, `_` and `-`,
    /// none `..`.
    public static func objectStoreDestinationProblem(_ text: String, kind: ObjectStoreKind) -> String? {
        let shape: String =
            switch kind {
            case .s3: "must be s3://bucket or s3://bucket/path (letters, digits, '.', '_' and '-' in the path)"
            case .gcs: "must be gs://bucket or gs://bucket/path (letters, digits, '.', '_' and '-' in the path)"
            case .azure: "must be https://account.blob.core.windows.net/container or .../container/path"
            }
        guard text.hasPrefix(kind.scheme) else { return shape }
        let parts = text.dropFirst(kind.scheme.count).split(separator: "/", omittingEmptySubsequences: false)
        guard let head = parts.first else { return shape }
        let components = parts.dropFirst()
        guard components.allSatisfy(isObjectPathComponent) else { return shape }
        switch kind {
        case .s3, .gcs:
            let bucket = head.unicodeScalars
            guard (3...63).contains(bucket.count),
                bucket.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
                let first = bucket.first, let last = bucket.last, first != "." && first != "-", last != "." && last != "-"
            else { return shape }
        case .azure:
            guard isHostName(String(head)), !components.isEmpty else { return shape }
        }
        return nil
    }

    /// Why `text` is not an object store endpoint, or nil: `http://` or `https://`, a host name
    /// or IPv4 address, an optional port, an optional path of letters, digits, `.`, `_` and `-`.
    public static func endpointProblem(_ text: String) -> String? {
        let shape = "must be an http:// or https:// URL of a host, an optional port and path, such as https://minio.example:9000"
        let rest: Substring
        if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return shape
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard let authority = parts.first, parts.dropFirst().allSatisfy(isObjectPathComponent) else { return shape }
        let hostPort = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard hostPort.count <= 2, isHostName(String(hostPort[0])) || isIPv4(String(hostPort[0])) else { return shape }
        if hostPort.count == 2, !isPort(String(hostPort[1])) { return shape }
        return nil
    }

    private static func isObjectPathComponent(_ component: Substring) -> Bool {
        !component.isEmpty && component != ".." && component != "."
            && component.unicodeScalars.allSatisfy { isLetterOrDigit($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }
}
