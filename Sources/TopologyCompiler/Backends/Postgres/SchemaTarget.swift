/// The schema a group of statements creates objects in: a fixed schema such as `public`, or the
/// schema argument of the tenant onboarding function (schema-per-tenant tenancy).
///
/// Statements are written with ``identifier`` and ``literal`` wherever the schema's name
/// appears. For the tenant template these are sentinels (control characters, which the
/// decoder refuses in every name and SQL fragment, so they cannot occur otherwise) that
/// ``formatTemplate(_:)`` turns into `format()` placeholders: `%1$I` and `%1$L`.
package struct SchemaTarget: Sendable, Equatable {
    /// SQL text naming the schema as an identifier (`"public"`).
    package let identifier: String
    /// SQL text of the schema's name as a string literal (`'public'`).
    package let literal: String
    /// Whether this is the tenant template.
    let isTemplate: Bool
    /// A fixed schema's name, unquoted; empty for the tenant template.
    private let fixedName: String

    /// A fixed schema.
    static func fixed(_ name: String) -> SchemaTarget {
        SchemaTarget(identifier: SQLQuoting.identifier(name), literal: SQLQuoting.literal(name), isTemplate: false, fixedName: name)
    }

    /// The `public` schema.
    static let publicSchema = fixed("public")

    /// The schema a tenant onboarding function receives.
    package static let tenantTemplate = SchemaTarget(
        identifier: identifierSentinel, literal: literalSentinel, isTemplate: true, fixedName: "")

    private static let identifierSentinel = "\u{1}schema-identifier\u{1}"
    private static let literalSentinel = "\u{1}schema-literal\u{1}"
    private static let tenantRoleSentinel = "\u{1}tenant-role\u{1}"

    /// SQL text naming the tenant's role in the tenant template (`%2$I` once formatted).
    static let tenantRoleIdentifier = tenantRoleSentinel

    /// `schema.name`, both quoted.
    func qualify(_ name: String) -> String {
        identifier + "." + SQLQuoting.identifier(name)
    }

    /// A SQL expression for the text `schema.name` (unquoted), as pg_partman takes it.
    func dottedNameLiteral(_ name: String) -> String {
        isTemplate ? "(\(literal) || \(SQLQuoting.literal("." + name)))" : SQLQuoting.literal(fixedName + "." + name)
    }

    /// A SQL expression for the table's `regclass`.
    func regclass(_ name: String) -> String {
        isTemplate
            ? "(quote_ident(\(literal)) || \(SQLQuoting.literal("." + SQLQuoting.identifier(name))))::regclass"
            : SQLQuoting.literal(qualify(name)) + "::regclass"
    }

    /// A template statement as the first argument of `format(template, schema, role)`: `%`
    /// doubled, then the sentinels replaced by `%1$I`, `%1$L` and `%2$I` (the tenant's role), byte
    /// by byte (``ByteReplacement``: a `%` before a combining mark is still one to `format()`).
    package static func formatTemplate(_ statement: String) -> String {
        var template = ByteReplacement.replacing(UInt8(ascii: "%"), with: "%%", in: statement)
        template = ByteReplacement.replacing(identifierSentinel, with: "%1$I", in: template)
        template = ByteReplacement.replacing(literalSentinel, with: "%1$L", in: template)
        return ByteReplacement.replacing(tenantRoleSentinel, with: "%2$I", in: template)
    }
}
