/// One file of a schema Job's volume: its key in a `ConfigMap`, its path in the mounted volume
/// and its text.
struct MountedFile: Sendable, Equatable {
    /// The `ConfigMap` key (`[-._a-zA-Z0-9]+`).
    var key: String
    /// The path in the volume, relative to its mount point.
    var path: String
    /// The file's text.
    var text: String
}

/// A `ConfigMap` of schema files, as ``ConfigMapPacking`` fills it.
struct SchemaConfigMap: Sendable {
    /// `metadata.name`.
    var name: String
    /// Its files, in order.
    var files: [MountedFile]
}

/// A file the `ConfigMap`s hold in parts, which the schema Job joins before it runs anything.
struct JoinedFile: Sendable, Equatable {
    /// The path of the whole file in the volume.
    var path: String
    /// The paths of its parts, in order.
    var parts: [String]
}

/// Fits schema files into `ConfigMap`s the API server and `kubectl apply` accept.
///
/// The API server refuses a `ConfigMap` whose values exceed 1 MiB in all (`ValidateConfigMap`
/// sums `len(value)` against `MaxSecretSize`). Client-side `kubectl apply`, the command
/// docs/kubernetes.md gives, also copies the whole object as JSON into the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation, and an object's annotations
/// may hold at most 256 KiB (`TotalAnnotationSizeLimitB`). So each `ConfigMap`'s data is kept
/// within ``dataBudget`` bytes *as JSON* (keys and values, escaped the way Go's `encoding/json`
/// escapes them), which leaves room for the rest of the object in the annotation and is far
/// below 1 MiB. A file larger than that is cut at line ends into numbered parts
/// (`<path>.part-001`, ...) that the Job joins (``JoinedFile``); files are placed in order,
/// a new `ConfigMap` begun when the next one would not fit.
enum ConfigMapPacking {
    /// What the annotations of one object may hold, in bytes: client-side `kubectl apply`'s copy
    /// of the object must fit.
    static let annotationLimit = 262_144
    /// The JSON bytes of one `ConfigMap`'s data topoc fills it with at most: the annotation limit
    /// less 12,144 bytes for the object's kind, metadata and labels (a schema `ConfigMap`'s are
    /// under 400; `scripts/check-cnpg.py` checks every written object against both limits).
    static let dataBudget = annotationLimit - 12_144

    /// The suffix of part `index` (from 1) of a file held in parts.
    static func partSuffix(_ index: Int) -> String {
        let digits = String(index)
        return ".part-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The bytes `text` takes as a JSON string's contents as Go's `encoding/json` writes it:
    /// `"` and `\` and `\n`, `\r`, `\t` as two bytes, other control characters and `<`, `>`,
    /// `&`, U+2028, U+2029 as six (`\u003c`), everything else as its UTF-8 bytes.
    static func jsonBytes(_ text: String) -> Int {
        // Over UTF-8 bytes (a script is counted whole): each byte once, plus what its escape
        // adds; U+2028 and U+2029 are E2 80 A8 and E2 80 A9, three bytes that become six.
        var total = 0
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            switch byte {
            case 0x22, 0x5C, 0x0A, 0x0D, 0x09: total += 2
            case 0x00..<0x20, 0x3C, 0x3E, 0x26: total += 6
            case 0xA8 where previous == (0xE2, 0x80), 0xA9 where previous == (0xE2, 0x80): total += 4
            default: total += 1
            }
            previous = (previous.1, byte)
        }
        return total
    }

    /// The bytes one scalar takes in a JSON string as Go's `encoding/json` writes it.
    static func jsonBytes(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x22, 0x5C, 0x0A, 0x0D, 0x09: 2
        case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029: 6
        default: UTF8.width(scalar)
        }
    }

    /// The JSON bytes a file adds to its `ConfigMap`'s data: `"key":"text",`.
    static func entryBytes(_ file: MountedFile) -> Int {
        jsonBytes(file.key) + jsonBytes(file.text) + 4
    }

    /// `file` as is when it fits alone in a `ConfigMap` of `budget` JSON bytes, otherwise its
    /// parts: consecutive pieces of its text, each ending at a line end where the text has one
    /// within the budget, each fitting alone.
    static func split(_ file: MountedFile, budget: Int = dataBudget) -> [MountedFile] {
        guard 2 + entryBytes(file) > budget else { return [file] }
        // Room for the text of one part alone in a ConfigMap: the budget less the data object's
        // braces, the part's key (with the longest suffix it could have) and its punctuation.
        let room = budget - 2 - jsonBytes(file.key + partSuffix(99_999)) - 4
        var pieces: [String] = []
        let scalars = file.text.unicodeScalars
        var start = scalars.startIndex
        while start < scalars.endIndex {
            var used = 0
            var index = start
            var lineEnd: String.UnicodeScalarView.Index?
            while index < scalars.endIndex {
                let width = jsonBytes(scalars[index])
                if used + width > room { break }
                used += width
                if scalars[index] == "\n" { lineEnd = scalars.index(after: index) }
                index = scalars.index(after: index)
            }
            if index == start { index = scalars.index(after: index) }  // a budget smaller than one character
            let end = index == scalars.endIndex ? index : (lineEnd ?? index)
            pieces.append(String(scalars[start..<end]))
            start = end
        }
        return pieces.enumerated().map { offset, piece in
            MountedFile(key: file.key + partSuffix(offset + 1), path: file.path + partSuffix(offset + 1), text: piece)
        }
    }

    /// Whether `pieces`, the result of ``split(_:budget:)`` for `file`, are parts to be joined.
    static func joined(_ file: MountedFile, pieces: [MountedFile]) -> JoinedFile? {
        pieces.count > 1 ? JoinedFile(path: file.path, parts: pieces.map(\.path)) : nil
    }

    /// `files`, in order, in `ConfigMap`s named `name(1)`, `name(2)`, ...: a new one begun when the
    /// next file would take the data past `budget` JSON bytes. Files come split
    /// (``split(_:budget:)``); one that is still larger than the budget gets a `ConfigMap` of its own.
    static func place(_ files: [MountedFile], name: (Int) -> String, budget: Int = dataBudget) -> [SchemaConfigMap] {
        var configMaps: [SchemaConfigMap] = []
        var current: [MountedFile] = []
        var used = 2  // the braces of the data object
        for file in files {
            let bytes = entryBytes(file)
            if !current.isEmpty, used + bytes > budget {
                configMaps.append(SchemaConfigMap(name: name(configMaps.count + 1), files: current))
                current = []
                used = 2
            }
            current.append(file)
            used += bytes
        }
        if !current.isEmpty { configMaps.append(SchemaConfigMap(name: name(configMaps.count + 1), files: current)) }
        return configMaps
    }
}
