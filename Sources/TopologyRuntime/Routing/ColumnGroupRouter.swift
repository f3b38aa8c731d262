/// Routes the columns of a vertically partitioned table to the databases that store them.
///
/// A table's vertical column groups live in their own databases; every other column (the primary
/// key included) lives in the table's home database. Lookups are linear scans over the few groups
/// and never allocate.
public struct ColumnGroupRouter: Sendable, Hashable {
    /// A vertical column group and where it lives.
    public struct Group: Sendable, Hashable {
        /// The group's name.
        public let name: String
        /// Its columns.
        public let columns: [String]
        /// The database that stores them.
        public let database: String

        /// Creates a group.
        ///
        /// - Parameters:
        ///   - name: The group's name.
        ///   - columns: Its columns.
        ///   - database: The database that stores them.
        public init(name: String, columns: [String], database: String) {
            self.name = name
            self.columns = columns
            self.database = database
        }
    }

    /// The database of the columns no group claims.
    public let homeDatabase: String
    /// The groups, in declaration order.
    public let groups: [Group]

    /// Creates a router.
    ///
    /// - Parameters:
    ///   - homeDatabase: The database of the columns no group claims.
    ///   - groups: The vertical groups.
    public init(homeDatabase: String, groups: [Group]) {
        self.homeDatabase = homeDatabase
        self.groups = groups
    }

    /// The group that holds `column`, or `nil` if the column lives in the home database.
    ///
    /// - Parameter column: A column name.
    /// - Returns: The group, or `nil`.
    public func group(forColumn column: String) -> Group? {
        groups.first { $0.columns.contains(column) }
    }

    /// The group named `name`, or `nil`.
    ///
    /// - Parameter name: A group name.
    /// - Returns: The group, or `nil`.
    public func group(named name: String) -> Group? {
        groups.first { $0.name == name }
    }

    /// The database that stores `column`.
    ///
    /// - Parameter column: A column name.
    /// - Returns: The group's database, or `homeDatabase`.
    public func database(forColumn column: String) -> String {
        group(forColumn: column)?.database ?? homeDatabase
    }

    /// Whether reading `columns` needs only the home database.
    ///
    /// - Parameter columns: Column names.
    /// - Returns: `true` if no column belongs to a group.
    public func isHomeOnly<Columns: Sequence>(_ columns: Columns) -> Bool where Columns.Element == String {
        columns.allSatisfy { group(forColumn: $0) == nil }
    }
}
