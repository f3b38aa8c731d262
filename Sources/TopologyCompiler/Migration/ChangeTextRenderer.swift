/// `topoc diff`'s text: a Terraform-style plan (`+` create, `-` drop, `~` change, `-/+` replace),
/// each change with its impact and lock, and a summary line.
public enum ChangeTextRenderer {
    /// The text of a change set.
    public static func render(_ set: ChangeSet) -> String {
        var text = "old plan sha256: \(set.oldPlanSHA256)\nnew plan sha256: \(set.newPlanSHA256)\n\n"
        if set.changes.isEmpty {
            return text + "No changes. The deployment matches the new topology.\n"
        }
        for change in set.changes {
            let symbol = change.action.rawValue.padding(3)
            let lock = change.lock.map { "; \($0)" } ?? ""
            text += "\(symbol) \(change.object) \(DisplayQuoting.visible(change.name))  [\(change.impact.rawValue)\(lock)]\n"
            text += "      \(DisplayQuoting.visible(change.detail))\n"
            if !change.scope.isEmpty {
                let shown = change.scope.prefix(4).map(DisplayQuoting.visible).joined(separator: ", ")
                let more = change.scope.count > 4 ? " and \(change.scope.count - 4) more" : ""
                text += "      in \(shown)\(more)\n"
            }
        }
        text += "\n" + summary(set) + "\n"
        return text
    }

    /// `Plan: 2 to add, 1 to change, 0 to replace, 1 to destroy (1 destructive, 1 needs a restart, ...).`
    public static func summary(_ set: ChangeSet) -> String {
        var line =
            "Plan: \(set.count(.create)) to add, \(set.count(.alter)) to change, \(set.count(.replace)) to replace, \(set.count(.drop)) to destroy."
        let notes = ChangeImpact.allCases.compactMap { impact -> String? in
            let count = set.count(impact)
            return count == 0 ? nil : "\(count) \(impact.rawValue)"
        }
        if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
        return line
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
