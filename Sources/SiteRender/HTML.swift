/// Escaping for the two places values go in HTML, and a small builder for markup made in Swift.
public enum HTML {
    /// The five characters that escaping replaces, `" & ' < >`, are all below 64: one bit each in a mask.
    private static let specialMask: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E

    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool { byte < 64 && (specialMask >> UInt64(byte)) & 1 != 0 }

    /// Whether `text` has one of `& < > " '`, scanned over its contiguous bytes (every attribute and value of
    /// every page goes through here).
    @inline(__always)
    static func needsEscaping(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.contains(where: isSpecial) }
    }

    /// Escapes text for element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        appendEscaped(text, to: &out)
        return out
    }

    public static func appendEscaped(_ text: String, to out: inout String) {
        // Fast path: most values have nothing to escape.
        if !needsEscaping(text) {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// The same, into UTF-8 bytes: one pass, copying the runs between special characters in one piece.
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count where isSpecial(bytes[i]) {
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                switch bytes[i] {
                case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
                case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
                default: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
                }
                runStart = i + 1
            }
            if bytes.count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }

    /// Escapes a URL for an `href` the way cmark-gfm does (percent-encoding unsafe bytes), then for the
    /// attribute.
    public static func appendEscapedHref(_ url: String, to out: inout String) {
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;"
            case UInt8(ascii: "'"): out += "&#x27;"
            case _ where isHrefSafe(byte): out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%"
                out += hexDigit(byte >> 4)
                out += hexDigit(byte & 0x0F)
            }
        }
    }

    /// The same, into UTF-8 bytes.
    public static func appendEscapedHref(_ url: String, to out: inout [UInt8]) {
        // Site-made links are nearly always plain (`../invoices/fv-2026-11-00123.html`): copied whole.
        if url.utf8.allSatisfy(isHrefSafe) {
            out.append(contentsOf: url.utf8)
            return
        }
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case UInt8(ascii: "'"): out.append(contentsOf: [0x26, 0x23, 0x78, 0x32, 0x37, 0x3B])  // &#x27;
            case _ where isHrefSafe(byte): out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexByte(byte >> 4))
                out.append(hexByte(byte & 0x0F))
            }
        }
    }

    public static func escapeHref(_ url: String) -> String {
        var out = ""
        appendEscapedHref(url, to: &out)
        return out
    }

    private static func isHrefSafe(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "!"), UInt8(ascii: "*"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "@"),
             UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "$"),
             UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    /// `0`–`9`, `A`–`F` for a nibble.
    private static func hexByte(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x37 + v }

    private static func hexDigit(_ v: UInt8) -> String {
        String(UnicodeScalar(v < 10 ? 0x30 + v : 0x41 + v - 10))
    }
}

/// Builds `TrustedHTML` from elements and text; text and attribute values are always escaped, and
/// attribute names and element names come only from this program's own code.
///
/// Collects UTF-8 bytes (tag names are copied straight from their static strings) and makes one `String` at
/// the end: invoice pages are built from thousands of small pieces.
public struct HTMLBuilder {
    private var out: [UInt8] = []

    public init() {}

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private mutating func appendAttributes(_ attributes: [(StaticString, String)]) {
        for (name, value) in attributes {
            out.append(UInt8(ascii: " "))
            append(name)
            out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            HTML.appendEscaped(value, to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    public mutating func open(_ element: StaticString, _ attributes: [(StaticString, String)] = []) {
        out.append(UInt8(ascii: "<"))
        append(element)
        appendAttributes(attributes)
        out.append(UInt8(ascii: ">"))
    }

    /// An element with `href`: only site-made or vetted URLs are accepted.
    public mutating func link(_ url: SiteURL, _ attributes: [(StaticString, String)] = [], text: String) {
        append("<a href=\"")
        HTML.appendEscapedHref(url.path, to: &out)
        out.append(UInt8(ascii: "\""))
        appendAttributes(attributes)
        out.append(UInt8(ascii: ">"))
        HTML.appendEscaped(text, to: &out)
        append("</a>")
    }

    /// An opening tag with a site-made `href` (only `SiteURL`s are accepted there).
    public mutating func open(_ element: StaticString, _ attributes: [(StaticString, String)], href: SiteURL) {
        out.append(UInt8(ascii: "<"))
        append(element)
        append(" href=\"")
        HTML.appendEscapedHref(href.path, to: &out)
        out.append(UInt8(ascii: "\""))
        appendAttributes(attributes)
        out.append(UInt8(ascii: ">"))
    }

    public mutating func close(_ element: StaticString) {
        append("</")
        append(element)
        out.append(UInt8(ascii: ">"))
    }

    public mutating func selfClosing(_ element: StaticString, _ attributes: [(StaticString, String)]) {
        out.append(UInt8(ascii: "<"))
        append(element)
        appendAttributes(attributes)
        append("/>")
    }

    public mutating func text(_ text: String) { HTML.appendEscaped(text, to: &out) }

    public mutating func element(_ element: StaticString, _ attributes: [(StaticString, String)] = [], text: String) {
        open(element, attributes)
        self.text(text)
        close(element)
    }

    public mutating func append(_ html: TrustedHTML) { out.append(contentsOf: html.bytes) }

    /// Bytes are valid UTF-8 by construction: only whole strings and ASCII are ever appended.
    public var html: TrustedHTML { TrustedHTML(uncheckedBytes: out) }
}
