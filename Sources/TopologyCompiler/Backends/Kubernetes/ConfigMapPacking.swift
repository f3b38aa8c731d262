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
        jsonBytes(utf8: text.utf8)
    }

    /// ``jsonBytes(_:)`` of the text whose UTF-8 bytes are `bytes`.
    static func jsonBytes<Bytes: Sequence<UInt8>>(utf8 bytes: Bytes) -> Int {
        // Each byte once, plus what its escape adds; U+2028 and U+2029 are E2 80 A8 and E2 80 A9,
        // three bytes that become six.
        var total = 0
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in bytes {
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

    /// The JSON bytes a file adds to its `ConfigMap`'s data: `"key":"text",`.
    static func entryBytes(_ file: MountedFile) -> Int {
        jsonBytes(file.key) + jsonBytes(file.text) + 4
    }

    /// `file` as is when it fits alone in a `ConfigMap` of `budget` JSON bytes, otherwise its
    /// parts: consecutive pieces of its text, each ending at a line end where the text has one
    /// within the budget, each fitting alone.
    static func split(_ file: MountedFile, budget: Int = dataBudget) -> [MountedFile] {
        guard 2 + entryBytes(file) > budget else { return [file] }
        var parts: [MountedFile] = []
        var text = file.text
        text.withUTF8 { cut($0, key: file.key, path: file.path, budget: budget) { parts.append($0) } }
        return parts
    }

    /// ``split(_:budget:)`` of the file at `path` with the key `key` whose text's UTF-8 bytes are
    /// `contents`, handing the file or each part to `body` as it is cut: only one part's text
    /// is made at a time (a shared shard script is 16 MB at 4,096 shards).
    static func split(
        key: String, path: String, contents: [UInt8], budget: Int = dataBudget, _ body: (MountedFile) -> Void
    ) {
        contents.withUnsafeBufferPointer { bytes in
            if 2 + jsonBytes(key) + jsonBytes(utf8: bytes) + 4 > budget {
                cut(bytes, key: key, path: path, budget: budget, body)
            } else {
                body(MountedFile(key: key, path: path, text: String(decoding: bytes, as: UTF8.self)))
            }
        }
    }

    /// Cuts the text `bytes` (UTF-8) into parts of `budget` JSON bytes, scalar by scalar, each
    /// ending at its last line end when it has one.
    private static func cut(
        _ bytes: UnsafeBufferPointer<UInt8>, key: String, path: String, budget: Int, _ body: (MountedFile) -> Void
    ) {
        // Room for the text of one part alone in a ConfigMap: the budget less the data object's
        // braces, the part's key (with the longest suffix it could have) and its punctuation.
        let room = budget - 2 - jsonBytes(key + partSuffix(99_999)) - 4
        var start = 0
        var number = 0
        while start < bytes.count {
            var used = 0
            var index = start
            var lineEnd: Int?
            while index < bytes.count {
                let length = scalarLength(bytes, at: index)
                let width = jsonBytes(scalarAt: index, length: length, in: bytes)
                if used + width > room { break }
                used += width
                if bytes[index] == 0x0A { lineEnd = index + 1 }
                index += length
            }
            if index == start { index += scalarLength(bytes, at: index) }  // a budget smaller than one character
            let end = index == bytes.count ? index : (lineEnd ?? index)
            number += 1
            body(
                MountedFile(
                    key: key + partSuffix(number), path: path + partSuffix(number),
                    text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
            start = end
        }
    }

    /// The UTF-8 bytes of the scalar that begins at `index` (one for a byte that cannot begin a
    /// scalar, and no further than the end).
    private static func scalarLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let length =
            switch bytes[index] {
            case 0xF0...: 4
            case 0xE0...: 3
            case 0xC0...: 2
            default: 1
            }
        return min(length, bytes.count - index)
    }

    /// The JSON bytes of the scalar of `length` UTF-8 bytes at `index`, as ``jsonBytes(_:)``
    /// counts them.
    private static func jsonBytes(scalarAt index: Int, length: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if length == 1 {
            return switch bytes[index] {
            case 0x22, 0x5C, 0x0A, 0x0D, 0x09: 2
            case 0x00..<0x20, 0x3C, 0x3E, 0x26: 6
            default: 1
            }
        }
        let lineOrParagraphSeparator =
            length == 3 && bytes[index] == 0xE2 && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
        return lineOrParagraphSeparator ? 6 : length
    }

    /// Whether `pieces`, the result of ``split(_:budget:)`` for `file`, are parts to be joined.
    static func joined(_ file: MountedFile, pieces: [MountedFile]) -> JoinedFile? {
        pieces.count > 1 ? JoinedFile(path: file.path, parts: pieces.map(\.path)) : nil
    }

    /// `files`, in order, in `ConfigMap`s named `name(1)`, `name(2)`, ...: a new one begun when the
    /// next file would take the data past `budget` JSON bytes. Files come split
    /// (``split(_:budget:)``); one that is still larger than the budget gets a `ConfigMap` of its own.
    static func place(_ files: [MountedFile], name: @escaping (Int) -> String, budget: Int = dataBudget) -> [SchemaConfigMap] {
        var configMaps: [SchemaConfigMap] = []
        var placer = ConfigMapPlacer(name: name, budget: budget)
        for file in files { placer.add(file) { configMaps.append($0) } }
        placer.finish { configMaps.append($0) }
        return configMaps
    }
}

/// ``ConfigMapPacking/place(_:name:budget:)`` a file at a time: each `ConfigMap` handed on as soon
/// as the next file would not fit in it, so the parts of a large script need not be held together.
struct ConfigMapPlacer {
    private let name: (Int) -> String
    private let budget: Int
    private var current: [MountedFile] = []
    /// The JSON bytes of `current`'s data, from the braces of the data object.
    private var used = 2
    private var count = 0

    /// Places files in `ConfigMap`s named `name(1)`, `name(2)`, ... of at most `budget` JSON bytes.
    init(name: @escaping (Int) -> String, budget: Int = ConfigMapPacking.dataBudget) {
        self.name = name
        self.budget = budget
    }

    /// Adds `file`, first handing the `ConfigMap` being filled to `full` if `file` would take it
    /// past the budget.
    mutating func add(_ file: MountedFile, full: (SchemaConfigMap) -> Void) {
        let bytes = ConfigMapPacking.entryBytes(file)
        if !current.isEmpty, used + bytes > budget { flush(full) }
        current.append(file)
        used += bytes
    }

    /// Hands the last `ConfigMap` to `full`, if it holds anything.
    mutating func finish(_ full: (SchemaConfigMap) -> Void) {
        if !current.isEmpty { flush(full) }
    }

    private mutating func flush(_ full: (SchemaConfigMap) -> Void) {
        count += 1
        full(SchemaConfigMap(name: name(count), files: current))
        current = []
        used = 2
    }
}
