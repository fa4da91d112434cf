import SiteRender
import TenantModel

/// A file's place in the output folder, always relative to the output root (`pl/tenants/acme/index.html`).
/// Built only from fixed words and checked slugs, so it can never climb out of the output folder.
public struct SitePath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let components: [String]

    public init(_ components: [String]) {
        precondition(!components.isEmpty && components.allSatisfy(SitePath.isSafeComponent), "unsafe output path \(components)")
        self.components = components
    }

    public init(_ components: String...) { self.init(components) }

    public var description: String { components.joined(separator: "/") }

    public static func < (lhs: SitePath, rhs: SitePath) -> Bool { lhs.description < rhs.description }

    /// A path component: no separators, no dot-segments, no control characters, not hidden.
    public static func isSafeComponent(_ component: String) -> Bool {
        let bytes = component.utf8
        guard !bytes.isEmpty, bytes.count <= 255, bytes.first != UInt8(ascii: ".") else { return false }
        // Printable ASCII only, so checking UTF-8 bytes is checking scalars (any byte of a longer scalar is ≥ 0x80).
        return bytes.allSatisfy { b in
            b > 0x20 && b < 0x7F && b != UInt8(ascii: "/") && b != UInt8(ascii: "\\") && b != UInt8(ascii: ":") && b != UInt8(ascii: "\"")
                && b != UInt8(ascii: "<") && b != UInt8(ascii: ">") && b != UInt8(ascii: "?") && b != UInt8(ascii: "*") && b != UInt8(ascii: "|")
        }
    }

    public func appending(_ component: String) -> SitePath { SitePath(components + [component]) }

    /// The folder holding this file.
    public var folder: [String] { Array(components.dropLast()) }

    /// The one way every link is made: relative from the page that holds it, so the site works from
    /// `file://`, from any sub-path of any server, and copied anywhere.
    public func link(to target: SitePath, fragment: String? = nil) -> SiteURL {
        let from = folder
        var common = 0
        while common < from.count, common < target.components.count - 1, from[common] == target.components[common] {
            common += 1
        }
        let ups = Array(repeating: "..", count: from.count - common)
        let rest = target.components[common...]
        var path = (ups + rest).joined(separator: "/")
        if let fragment { path += "#" + fragment }
        return SiteURL.internalLink(path)
    }
}

/// Turns an identifier from a snapshot (an invoice number such as `FV/2026/11/00123`, a subscription id) into
/// a URL-safe file name: lower-case ASCII letters, digits and dashes, Polish letters folded.
public enum Slug {
    public static func make(_ text: String, maxLength: Int = 80) -> String {
        if let ascii = makeASCII(text, maxLength: maxLength) { return ascii }
        return makeUnicode(text, maxLength: maxLength)
    }

    /// `make` for ASCII text (invoice numbers, subscription ids), over bytes: ASCII lower-cases to ASCII and
    /// the fold table holds no ASCII letter, so the result is `makeUnicode`'s (tested against it); nil for
    /// anything else.
    static func makeASCII(_ text: String, maxLength: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(min(text.utf8.count, maxLength))
        var lastWasDash = true
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            if (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) {
                out.append(lower)
                lastWasDash = false
            } else if !lastWasDash {
                out.append(UInt8(ascii: "-"))
                lastWasDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return out.isEmpty ? "x" : String(decoding: out, as: UTF8.self)
    }

    static func makeUnicode(_ text: String, maxLength: Int) -> String {
        var out = ""
        var lastWasDash = true
        for scalar in text.lowercased().unicodeScalars {
            if let folded = fold[scalar] {
                out += folded
                lastWasDash = false
            } else if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                out += "-"
                lastWasDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }

    private static let fold: [Unicode.Scalar: String] = [
        "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a", "í": "i", "ú": "u",
        "č": "c", "š": "s", "ž": "z", "ř": "r", "ý": "y", "ě": "e", "å": "a", "ø": "o", "æ": "ae",
    ]

    /// Gives each id its own slug; ids that fold to the same slug get `-2`, `-3`… in sorted order of the ids,
    /// so the result depends only on the set of ids. Names for which `reserved` is true (file names that
    /// other pages of the same folder use) are never given out.
    public static func unique(_ ids: [String], reserved: (String) -> Bool = { _ in false }) -> [String: String] {
        var result: [String: String] = [:]
        var taken = Set<String>()
        for id in Set(ids).sorted() {
            let base = make(id)
            var candidate = base
            var n = 2
            while taken.contains(candidate) || reserved(candidate) {
                candidate = "\(base)-\(n)"
                n += 1
            }
            taken.insert(candidate)
            result[id] = candidate
        }
        return result
    }
}
