/// The `names` attribute of an output port: sorted names joined by commas, a comma inside a name written `\,`.
enum TensorNameList {
    /// Joins names as the OpenVINO serializer does (sorted, commas escaped).
    static func encode(_ names: [String]) -> String {
        names.sorted().map { $0.contains(",") ? $0.split(separator: ",", omittingEmptySubsequences: false).joined(separator: "\\,") : $0 }
            .joined(separator: ",")
    }

    /// Splits a `names` value as the OpenVINO reader does: a backslash keeps the next character
    /// in the name, only `\,` is unescaped, and empty names are dropped.
    static func decode(_ text: String) -> [String] {
        var names: [String] = []
        var current = ""
        var it = text.makeIterator()
        while let c = it.next() {
            switch c {
            case "\\":
                guard let next = it.next() else { current.append(c); break }
                if next != "," { current.append(c) }
                current.append(next)
            case ",":
                if !current.isEmpty { names.append(current) }
                current = ""
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { names.append(current) }
        return names
    }
}
