extension TopologyDecoder {
    /// The `tls:` section: a mode, file locations and per-component overrides.
    func decodeTLS(_ node: YAMLNode) -> TLS? {
        context.mapping(node, section: .tls, key: "tls") { reader -> TLS? in
            let mode = reader.value("mode").flatMap { context.choice($0, key: "mode", as: TLS.Mode.self) }
            let files = decodeTLSFiles(&reader)
            let minimum = reader.value("min_protocol").flatMap { value in
                context.value(value, key: "min_protocol") {
                    TLS.protocolVersions.contains($0) ? nil : "takes \(TLS.protocolVersions.joined(separator: " or "))"
                }
            }
            var overrides: [TLS.Component: TLS.Override] = [:]
            for component in TLS.Component.allCases {
                guard let value = reader.value(component.rawValue) else { continue }
                let override = context.mapping(value, section: .tlsComponent, key: component.rawValue) { inner -> TLS.Override? in
                    let mode = inner.value("mode").flatMap { context.choice($0, key: "mode", as: TLS.Mode.self) }
                    return TLS.Override(mode: mode, files: decodeTLSFiles(&inner), location: value.location)
                }
                if let override { overrides[component] = override }
            }
            return TLS(
                mode: mode ?? Located(.require, at: node.location), files: files, minimumProtocol: minimum, overrides: overrides,
                location: node.location)
        }
    }

    /// `directory`, `ca_file`, `cert_file` and `key_file` of a `tls` mapping, each an absolute
    /// path of its kind.
    private func decodeTLSFiles(_ reader: inout MappingReader) -> TLS.Files {
        func path(_ key: String, _ kind: ValueGrammar.TLSFileKind) -> Located<String>? {
            reader.value(key).flatMap { value in context.value(value, key: key) { ValueGrammar.tlsPathProblem($0, kind: kind) } }
        }
        return TLS.Files(
            directory: path("directory", .directory), caFile: path("ca_file", .certificate),
            certFile: path("cert_file", .certificate), keyFile: path("key_file", .key))
    }
}
