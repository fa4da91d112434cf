/// JSON string literals written straight into a byte buffer, for the files the site writes as JSON (search indexes).
public enum JSONText {
    /// `text` as a JSON string literal appended to `out`: quotes, backslashes and control characters escaped as
    /// Foundation's `JSONEncoder` escapes them (`\n`, `\u001f`), everything else as its UTF-8. With `scriptSafe`, `<`
    /// and U+2028/U+2029 are escaped too (`\u003c`), so the JSON may stand in a script file, or inside a `<script>`
    /// element, as it is.
    public static func appendString(_ text: String, to out: inout [UInt8], scriptSafe: Bool) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var plainFrom = 0
            var i = 0
            let count = bytes.count
            while i < count {
                let b = bytes[i]
                let escape: StaticString?
                var width = 1
                switch b {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case UInt8(ascii: "<") where scriptSafe: escape = "\\u003c"
                case 0xE2 where scriptSafe && i + 2 < count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escape = bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case 0..<0x20: escape = nil
                default:
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<i]))
                if let escape {
                    out.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
                } else {
                    let hex: StaticString = "0123456789abcdef"
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0x0F)]])
                }
                i += width
                plainFrom = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
