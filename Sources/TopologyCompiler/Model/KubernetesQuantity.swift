/// A Kubernetes resource quantity of the strict forms topoc accepts: CPU as whole cores (`2`),
/// millicores (`500m`) or cores with up to three decimals (`1.5`); bytes (memory, storage) as a
/// whole number with a binary or decimal suffix (`512Mi`, `20Gi`, `1G`). Every accepted text is
/// also a valid Kubernetes quantity and means the same to the API server.
public struct KubernetesQuantity: Sendable, Equatable, CustomStringConvertible {
    /// What a quantity measures.
    public enum Unit: Sendable {
        /// CPU; ``amount`` in millicores.
        case cpu
        /// Bytes; ``amount`` in bytes.
        case bytes
    }

    /// The text as written (and as the manifests carry it).
    public let text: String
    /// Millicores or bytes.
    public let amount: Int64

    public var description: String { text }

    /// The suffixes of byte quantities, with their factors.
    static let byteSuffixes: [(String, Int64)] = [
        ("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40), ("Pi", 1 << 50),
        ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000), ("P", 1_000_000_000_000_000),
    ]

    /// Parses `text` as a positive quantity of `unit`, or nil when it is not one of the strict forms.
    public init?(_ text: String, unit: Unit) {
        guard !text.isEmpty, text.utf8.count <= 24, text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        let amount: Int64?
        switch unit {
        case .cpu: amount = Self.millicores(text)
        case .bytes: amount = Self.bytes(text)
        }
        guard let amount, amount > 0 else { return nil }
        self.text = text
        self.amount = amount
    }

    /// A quantity topoc derives itself (trusted text).
    init(derived text: String, amount: Int64) {
        self.text = text
        self.amount = amount
    }

    private static func digitsOnly(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func millicores(_ text: String) -> Int64? {
        if text.hasSuffix("m") {
            let digits = text.dropLast()
            guard digitsOnly(digits), digits.count <= 9, digits.first != "0" else { return nil }
            return Int64(digits)
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, digitsOnly(parts[0]), parts[0].count <= 6, parts[0] == "0" || parts[0].first != "0" else {
            return nil
        }
        var milli = (Int64(parts[0]) ?? 0) * 1000
        if parts.count == 2 {
            guard digitsOnly(parts[1]), parts[1].count <= 3 else { return nil }
            let padded = parts[1] + String(repeating: "0", count: 3 - parts[1].count)
            milli += Int64(padded) ?? 0
        }
        return milli
    }

    private static func bytes(_ text: String) -> Int64? {
        guard let (suffix, factor) = byteSuffixes.first(where: { text.hasSuffix($0.0) }) else { return nil }
        let digits = text.dropLast(suffix.count)
        guard digitsOnly(digits), digits.count <= 12, digits.first != "0", let value = Int64(digits) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}
