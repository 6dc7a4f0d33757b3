/// Which model rt_info keys can be written as element names (OpenVINO's `is_correct_tag_name`);
/// others are written as `<info name="key" .../>`.
enum XMLTagName {
    static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return false }
        func isAlpha(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        guard isAlpha(first) || first == UInt8(ascii: "_") else { return false }
        guard bytes.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }) else {
            return false
        }
        return !name.lowercased().hasPrefix("xml")
    }
}
