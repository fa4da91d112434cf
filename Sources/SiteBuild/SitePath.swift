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
        guard !component.isEmpty, component.utf8.count <= 255, !component.hasPrefix(".") else { return false }
        return component.unicodeScalars.allSatisfy { s in
            s.value > 0x20 && s.value < 0x7F && s != "/" && s != "\\" && s != ":" && s != "\"" && s != "<" && s != ">" && s != "?" && s != "*" && s != "|"
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
