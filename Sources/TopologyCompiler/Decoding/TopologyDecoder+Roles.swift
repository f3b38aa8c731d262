extension TopologyDecoder {
    /// `roles:`: a SQL name per role kind; the application role may be named here or by
    /// `tenancy.app_role`, not both (the planner reports a conflict).
    func decodeRoles(_ node: YAMLNode) -> Roles {
        var names: [RoleKind: Located<String>] = [:]
        _ = context.mapping(node, section: .roles, key: "roles") { reader -> Void? in
            for kind in RoleKind.allCases {
                guard let value = reader.value(kind.key) else { continue }
                names[kind] = context.name(value, key: kind.key, kind: .sql, what: "role")
            }
            return nil
        }
        return Roles(names: names, location: node.location)
    }
}
