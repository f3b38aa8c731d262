extension RuleCatalog {
    /// The PostgreSQL rules (`TPG1xx`): facts of PostgreSQL 15 about keys, indexes, partitions,
    /// views, names and roles. The codes are in `PostgresCodes.swift`, the checks in the
    /// `Postgres*Rules.swift` files of this folder.
    static let postgresRules: [Rule] = [
        PostgresKeyRules.uniqueIncludesPartitionKey,
        PostgresIndexRules.uniqueIndexNotBtree,
        PostgresIndexRules.multicolumnIndexMethod,
        PostgresIndexRules.includeUnsupportedMethod,
        PostgresIndexRules.tooManyKeyColumns,
        PostgresIndexRules.noDefaultOperatorClass,
        PostgresIndexRules.ginUnsupportedType,
        PostgresIndexRules.gistUnsupportedType,
        PostgresIndexRules.brinUnorderedColumn,
        PostgresKeyRules.foreignKeyTargetNotUnique,
        PostgresKeyRules.keyTypeMismatch,
        PostgresKeyRules.keyTypeDiffers,
        PostgresKeyRules.foreignKeyActionViolatesNotNull,
        PostgresKeyRules.derivedColumnWithoutForeignKey,
        PostgresPartitionRules.partitionBoundsOverlap,
        PostgresPartitionRules.partitionBoundsGap,
        PostgresPartitionRules.partitionKeyShape,
        PostgresPartitionRules.partitionBoundType,
        PostgresViewAndRoleRules.concurrentRefreshNeedsUniqueKey,
        PostgresViewAndRoleRules.uniqueKeyOnPlainView,
        PostgresNameRules.derivedNameTooLong,
        PostgresNameRules.nameCollision,
        PostgresViewAndRoleRules.appRoleBypassesRLS,
        PostgresViewAndRoleRules.reservedRoleName,
        PostgresViewAndRoleRules.roleNameCollision,
        PostgresLimitRules.tooManyColumns,
        PostgresViewAndRoleRules.reservedDatabaseName,
    ]
}
