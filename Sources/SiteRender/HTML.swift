/// Escaping for the two places values go in HTML, and a small builder for markup made in Swift.
public enum HTML {
    /// Escapes text for element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        appendEscaped(text, to: &out)
        return out
    }

    public static func appendEscaped(_ text: String, to out: inout String) {
        // Fast path: most values have nothing to escape.
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
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

    private static func hexDigit(_ v: UInt8) -> String {
        String(UnicodeScalar(v < 10 ? 0x30 + v : 0x41 + v - 10))
    }
}

/// Builds `TrustedHTML` from elements and text; text and attribute values are always escaped, and
/// attribute names and element names come only from this program's own code.
public struct HTMLBuilder {
    private var out = ""

    public init() {}

    public mutating func open(_ element: StaticString, _ attributes: [(StaticString, String)] = []) {
        out += "<\(element)"
        for (name, value) in attributes {
            out += " \(name)=\""
            HTML.appendEscaped(value, to: &out)
            out += "\""
        }
        out += ">"
    }

    /// An element with `href`: only site-made or vetted URLs are accepted.
    public mutating func link(_ url: SiteURL, _ attributes: [(StaticString, String)] = [], text: String) {
        out += "<a href=\""
        HTML.appendEscapedHref(url.path, to: &out)
        out += "\""
        for (name, value) in attributes {
            out += " \(name)=\""
            HTML.appendEscaped(value, to: &out)
            out += "\""
        }
        out += ">"
        HTML.appendEscaped(text, to: &out)
        out += "</a>"
    }

    /// An opening tag with a site-made `href` (only `SiteURL`s are accepted there).
    public mutating func open(_ element: StaticString, _ attributes: [(StaticString, String)], href: SiteURL) {
        out += "<\(element) href=\""
        HTML.appendEscapedHref(href.path, to: &out)
        out += "\""
        for (name, value) in attributes {
            out += " \(name)=\""
            HTML.appendEscaped(value, to: &out)
            out += "\""
        }
        out += ">"
    }

    public mutating func close(_ element: StaticString) { out += "</\(element)>" }

    public mutating func selfClosing(_ element: StaticString, _ attributes: [(StaticString, String)]) {
        out += "<\(element)"
        for (name, value) in attributes {
            out += " \(name)=\""
            HTML.appendEscaped(value, to: &out)
            out += "\""
        }
        out += "/>"
    }

    public mutating func text(_ text: String) { HTML.appendEscaped(text, to: &out) }

    public mutating func element(_ element: StaticString, _ attributes: [(StaticString, String)] = [], text: String) {
        open(element, attributes)
        self.text(text)
        close(element)
    }

    public mutating func append(_ html: TrustedHTML) { out += html.markup }

    public var html: TrustedHTML { TrustedHTML(unchecked: out) }
}
