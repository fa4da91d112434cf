import Foundation
@testable import SiteBuild
import TenantModel

// Helpers for the hostile-input and fault tests: write JSON back out exactly, and reduce a built site to its
// *shape* (the element structure of every page, without the text) plus the safety facts checked on every page.

// MARK: - JSON out

/// Writes a parsed document back as JSON: numbers exactly as they were written, strings re-escaped.
func jsonBytes(_ node: JSONNode) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(64 * 1024)
    writeJSON(node, into: &out)
    return out
}

private func writeJSON(_ node: JSONNode, into out: inout [UInt8]) {
    switch node.value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let text): out.append(contentsOf: text.utf8)
    case .string(let s): writeJSONString(s, into: &out)
    case .array(let items):
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeJSON(item, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    case .object(let members):
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeJSONString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            writeJSON(member.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}

private func writeJSONString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    let utf8 = s.utf8
    var plain = true
    for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { plain = false; break }
    if plain {
        out.append(contentsOf: utf8)
    } else {
        let hex = Array("0123456789abcdef".utf8)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\")); out.append(byte)
            case 0..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default:
                out.append(byte)
            }
        }
    }
    out.append(UInt8(ascii: "\""))
}

/// A string leaf of a snapshot: where it is, and its *kind* (the path without array indices).
struct StringLeaf: Sendable {
    var path: [JSONPath.Component]
    var value: String
    let kind: String

    init(path: [JSONPath.Component], value: String) {
        self.path = path
        self.value = value
        var kind = ""
        for component in path {
            switch component {
            case .index: kind += "[]"
            case .key(let key): kind += kind.isEmpty ? key : "." + key
            }
        }
        self.kind = kind
    }

    var display: String { JSONPath(path).description }
}

func stringLeaves(_ node: JSONNode, path: [JSONPath.Component] = []) -> [StringLeaf] {
    switch node.value {
    case .string(let s): return [StringLeaf(path: path, value: s)]
    case .array(let items): return items.enumerated().flatMap { stringLeaves($0.element, path: path + [.index($0.offset)]) }
    case .object(let members): return members.flatMap { stringLeaves($0.value, path: path + [.key($0.key)]) }
    default: return []
    }
}

/// The document with the string at `path` replaced.
func replacing(_ node: JSONNode, at path: ArraySlice<JSONPath.Component>, with text: String) -> JSONNode {
    var copy = node
    guard let first = path.first else { copy.value = .string(text); return copy }
    switch (first, node.value) {
    case (.index(let i), .array(var items)):
        items[i] = replacing(items[i], at: path.dropFirst(), with: text)
        copy.value = .array(items)
    case (.key(let k), .object(var members)):
        let i = members.firstIndex { $0.key == k }!
        members[i].value = replacing(members[i].value, at: path.dropFirst(), with: text)
        copy.value = .object(members)
    default:
        preconditionFailure("no \(first) in \(node.kindName)")
    }
    return copy
}

// MARK: - HTML tags

struct HTMLTag: Equatable {
    var name: String
    var attributes: [(name: String, value: String)]
    var isEnd: Bool
    /// Written `<x/>` (SVG): opens and closes at once.
    var selfClosing = false
    static func == (a: HTMLTag, b: HTMLTag) -> Bool {
        a.name == b.name && a.isEnd == b.isEnd && a.attributes.map(\.name) == b.attributes.map(\.name)
    }
}

/// A small HTML tokenizer: tags, attributes (entities decoded), comments and doctypes; text is skipped.
/// Enough for our own output, where every `<` of data is escaped; raw-text elements are skipped whole.
func htmlTags(_ bytes: [UInt8]) -> [HTMLTag] {
    var tags: [HTMLTag] = []
    var i = 0
    let n = bytes.count
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
    func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
    func lower(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self).lowercased() }
    func find(_ needle: [UInt8], from: Int) -> Int? {
        guard needle.count <= n else { return nil }
        var j = from
        while j + needle.count <= n {
            if bytes[j] == needle[0] && Array(bytes[j..<j + needle.count]) == needle { return j }
            j += 1
        }
        return nil
    }
    while i < n {
        guard bytes[i] == UInt8(ascii: "<"), i + 1 < n else { i += 1; continue }
        let next = bytes[i + 1]
        if bytes[(i + 1)...].starts(with: Array("!--".utf8)) {
            tags.append(HTMLTag(name: "#comment", attributes: [], isEnd: false))
            i = (find(Array("-->".utf8), from: i + 4) ?? n - 3) + 3
            continue
        }
        if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
            tags.append(HTMLTag(name: next == UInt8(ascii: "!") ? "#doctype" : "#pi", attributes: [], isEnd: false))
            i = (find([UInt8(ascii: ">")], from: i) ?? n - 1) + 1
            continue
        }
        let isEnd = next == UInt8(ascii: "/")
        var j = i + (isEnd ? 2 : 1)
        guard j < n, isLetter(bytes[j]) else { i += 1; continue }
        let nameStart = j
        while j < n, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: ">"), bytes[j] != UInt8(ascii: "/") { j += 1 }
        let name = lower(bytes[nameStart..<j])
        var attributes: [(String, String)] = []
        while j < n {
            while j < n, isSpace(bytes[j]) || bytes[j] == UInt8(ascii: "/") { j += 1 }
            guard j < n, bytes[j] != UInt8(ascii: ">") else { break }
            let attrStart = j
            while j < n, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: "="), bytes[j] != UInt8(ascii: ">"), bytes[j] != UInt8(ascii: "/") || j == attrStart { j += 1 }
            let attrName = lower(bytes[attrStart..<j])
            while j < n, isSpace(bytes[j]) { j += 1 }
            var value = ""
            if j < n, bytes[j] == UInt8(ascii: "=") {
                j += 1
                while j < n, isSpace(bytes[j]) { j += 1 }
                if j < n, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") {
                    let quote = bytes[j]
                    let start = j + 1
                    j = start
                    while j < n, bytes[j] != quote { j += 1 }
                    value = String(decoding: bytes[start..<min(j, n)], as: UTF8.self)
                    j += 1
                } else {
                    let start = j
                    while j < n, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: ">") { j += 1 }
                    value = String(decoding: bytes[start..<j], as: UTF8.self)
                }
            }
            attributes.append((attrName, decodeEntities(value)))
        }
        tags.append(HTMLTag(name: name, attributes: attributes, isEnd: isEnd, selfClosing: j > 0 && j < n && bytes[j - 1] == UInt8(ascii: "/")))
        i = j + 1
        if !isEnd, ["script", "style", "textarea", "title"].contains(name) {
            // Raw text: nothing inside is a tag.
            if let close = find(Array("</\(name)".utf8), from: i) { i = close }
        }
    }
    return tags
}

/// Decodes the character references an attacker could use to hide a scheme (`&#106;avascript:`).
func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var out = ""
    var rest = Substring(text)
    let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n", "sol": "/"]
    while let amp = rest.firstIndex(of: "&") {
        out += rest[..<amp]
        let after = rest[rest.index(after: amp)...]
        let body = after.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
        var replaced: String?
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            replaced = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
        } else if body.hasPrefix("#") {
            replaced = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
        } else {
            replaced = named[body.lowercased()]
        }
        if let replaced {
            out += replaced
            rest = after[body.endIndex...]
            if rest.first == ";" { rest = rest.dropFirst() }
        } else {
            out += "&"
            rest = after
        }
    }
    return out + rest
}

private let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
private let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "poster", "data", "background", "cite", "srcset",
                                          "xlink:href", "manifest", "ping", "longdesc", "codebase", "usemap"]

/// The shape of one page: its tags in order (names and attribute names, no text), and the same as a multiset of
/// "element under its ancestors" — equal when only the order of sibling rows changed (sorting by a name).
struct PageShape: Equatable {
    var ordered: [String]
    var nested: [String]

    init(tags: [HTMLTag]) {
        ordered = tags.map { tag in
            tag.isEnd ? "</\(tag.name)>" : "<" + ([tag.name] + tag.attributes.map(\.name)).joined(separator: " ") + ">"
        }
        var stack: [String] = []
        var nested: [String] = []
        for tag in tags {
            if tag.isEnd {
                if let k = stack.lastIndex(of: tag.name) { stack.removeSubrange(k...) }
                continue
            }
            let signature = ([tag.name] + tag.attributes.map(\.name)).joined(separator: " ")
            nested.append(stack.joined(separator: ">") + ">" + signature)
            if !voidElements.contains(tag.name) && !tag.name.hasPrefix("#") && !tag.selfClosing { stack.append(tag.name) }
        }
        self.nested = nested.sorted()
    }
}

/// Safety problems of one HTML page, whatever its data: event handlers, script URLs, absolute links.
func safetyProblems(_ tags: [HTMLTag]) -> [String] {
    var problems: [String] = []
    for tag in tags where !tag.isEnd {
        for attribute in tag.attributes {
            if attribute.name.hasPrefix("on") { problems.append("event-handler attribute <\(tag.name) \(attribute.name)>") }
            let isURL = urlAttributes.contains(attribute.name)
                || (tag.name == "meta" && attribute.name == "content" && tag.attributes.contains { $0.name == "http-equiv" && $0.value.lowercased() == "refresh" })
            guard isURL else { continue }
            let squeezed = String(attribute.value.unicodeScalars.filter { $0.value > 0x20 }).lowercased()
            for scheme in ["javascript:", "vbscript:", "data:", "file:", "blob:"] where squeezed.hasPrefix(scheme) || squeezed.contains("url=" + scheme) {
                problems.append("<\(tag.name) \(attribute.name)=\"\(attribute.value.prefix(60))\"> uses \(scheme)")
            }
            if attribute.value.hasPrefix("/") || attribute.value.hasPrefix("\\") {
                problems.append("<\(tag.name) \(attribute.name)=\"\(attribute.value.prefix(60))\"> is not relative")
            }
        }
        if tag.name == "base" { problems.append("a <base> element") }
    }
    return problems
}

// MARK: - Whole sites

/// Every file of a built site, reduced to what must not depend on data.
struct SiteShape {
    /// Per HTML/XML page: its shape, by path.
    var pages: [String: PageShape] = [:]
    /// CSV files: the number of fields of each record (sorted), by path.
    var csv: [String: [Int]] = [:]
    /// E-mail files: header names of the message and of each part (sorted), by path.
    var eml: [String: [String]] = [:]
    /// JSON files: the set of key paths, by path.
    var json: [String: Set<String>] = [:]
    /// iCalendar files: the name of each content line, unfolded (`BEGIN`, `UID`, `SUMMARY`…), by path.
    var ics: [String: [String]] = [:]
    /// Every other file (assets): its bytes.
    var other: [String: Data] = [:]
    /// Safety problems found, as "path: problem".
    var problems: [String] = []

    var fileCount: Int { pages.count + csv.count + eml.count + json.count + ics.count + other.count }

    init(folder: URL) {
        for (path, data) in tree(folder) {
            let bytes = [UInt8](data)
            switch (path as NSString).pathExtension {
            case "html", "htm", "xml", "svg", "atom":
                let tags = htmlTags(bytes)
                pages[path] = PageShape(tags: tags)
                problems += safetyProblems(tags).map { "\(path): \($0)" }
            case "csv":
                let records = csvRecords(bytes)
                csv[path] = records.map(\.count).sorted()
                for field in records.dropFirst().joined() where csvFormulaStart(field) {
                    problems.append("\(path): a field starts like a spreadsheet formula: \(field.prefix(40))")
                }
            case "eml":
                let (headers, bad) = emlHeaders(bytes)
                eml[path] = headers
                problems += bad.map { "\(path): \($0)" }
            case "js" where bytes.starts(with: Array("window.tenantsite".utf8)):
                // A search index: JSON after `window.… = `, compared by its keys.
                let text = String(decoding: bytes, as: UTF8.self)
                if let start = text.firstIndex(of: "{"), let node = try? JSONParser.parse(Array(text[start...].dropLast(2).utf8)) {
                    json[path] = jsonKeyPaths(node)
                } else {
                    problems.append("\(path): not a search index")
                }
            case "ics":
                let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
                let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                ics[path] = lines.map { line in String(line.prefix { $0 != ":" && $0 != ";" }) }
                for line in lines where line.contains("\n") || line.contains("\r") { problems.append("\(path): a bare line break inside \(line.prefix(40))") }
            case "json":
                if let node = try? JSONParser.parse(bytes) { json[path] = jsonKeyPaths(node) } else { problems.append("\(path): not valid JSON") }
            default:
                other[path] = data
            }
        }
    }

    /// Differences in shape from `baseline` (the same build with a harmless value). Pages are matched by path
    /// when both have it; pages whose file names came from the changed value are matched by shape.
    func differences(from baseline: SiteShape) -> (problems: [String], reordered: Int) {
        var problems: [String] = []
        var reordered = 0
        func byCount<T: Hashable>(_ d: [String: T]) -> [T: Int] { d.values.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        if fileCount != baseline.fileCount { problems.append("\(fileCount) files instead of \(baseline.fileCount)") }
        for (path, shape) in pages {
            guard let base = baseline.pages[path] else { continue }
            if shape.ordered != base.ordered {
                if shape.nested == base.nested { reordered += 1 } else {
                    let first = zip(shape.ordered, base.ordered).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(shape.ordered.count, base.ordered.count)
                    let got = first < shape.ordered.count ? shape.ordered[first] : "(end)"
                    let want = first < base.ordered.count ? base.ordered[first] : "(end)"
                    problems.append("\(path): element structure changed at tag \(first): \(got) instead of \(want)")
                }
            }
        }
        let unmatched = Set(pages.keys).subtracting(baseline.pages.keys)
        if !unmatched.isEmpty {
            let mine = unmatched.map { pages[$0]!.nested }
            let theirs = Set(baseline.pages.keys).subtracting(pages.keys).map { baseline.pages[$0]!.nested }
            if mine.map({ $0.joined(separator: "\n") }).sorted() != theirs.map({ $0.joined(separator: "\n") }).sorted() {
                problems.append("pages \(unmatched.sorted().prefix(3)) have no counterpart of the same structure")
            }
        }
        if byCount(csv.mapValues { $0.description }) != byCount(baseline.csv.mapValues { $0.description }) { problems.append("CSV records changed shape") }
        if byCount(eml.mapValues { $0.description }) != byCount(baseline.eml.mapValues { $0.description }) { problems.append("e-mail headers changed") }
        if byCount(json.mapValues { $0.sorted().description }) != byCount(baseline.json.mapValues { $0.sorted().description }) { problems.append("JSON keys changed") }
        if byCount(ics.mapValues { $0.description }) != byCount(baseline.ics.mapValues { $0.description }) { problems.append("iCalendar lines changed") }
        if other != baseline.other { problems.append("assets changed") }
        return (problems, reordered)
    }
}

/// RFC 4180 records; the separator (`,` or `;`) is the one the first line uses.
func csvRecords(_ bytes: [UInt8]) -> [[String]] {
    let firstLine = bytes.prefix { $0 != 0x0A }
    let separator = firstLine.contains(UInt8(ascii: ";")) ? UInt8(ascii: ";") : UInt8(ascii: ",")
    var records: [[String]] = []
    var record: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var i = 0
    var atFieldStart = true
    while i < bytes.count {
        let b = bytes[i]
        if quoted {
            if b == UInt8(ascii: "\"") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 1 } else { quoted = false }
            } else { field.append(b) }
        } else if b == UInt8(ascii: "\""), atFieldStart {
            quoted = true
        } else if b == separator {
            record.append(String(decoding: field, as: UTF8.self)); field = []; atFieldStart = true; i += 1; continue
        } else if b == 0x0A || b == 0x0D {
            if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            record.append(String(decoding: field, as: UTF8.self)); field = []
            records.append(record); record = []
            atFieldStart = true; i += 1; continue
        } else { field.append(b) }
        atFieldStart = false
        i += 1
    }
    if !field.isEmpty || !record.isEmpty { record.append(String(decoding: field, as: UTF8.self)); records.append(record) }
    return records
}

/// A field a spreadsheet would run as a formula (`=`, `+`, `@`, or `-` not starting a number).
func csvFormulaStart(_ field: String) -> Bool {
    let text = field.drop { $0 == " " }
    guard let first = text.first else { return false }
    if first == "=" || first == "+" || first == "@" || first == "\t" || first == "\r" { return true }
    if first == "-", let second = text.dropFirst().first { return !(second.isNumber || second == "," || second == ".") }
    return false
}

/// The header names of a message and of its MIME parts (sorted), and lines that are neither a header nor a
/// continuation of one. Works on bytes and skips body lines quickly: e-mails are large and many.
func emlHeaders(_ bytes: [UInt8]) -> ([String], [String]) {
    var names: [String] = []
    var problems: [String] = []
    var inHeaders = true
    var boundaries: Set<[UInt8]> = []
    var current: [UInt8] = []
    func finishHeader() {
        guard !current.isEmpty else { return }
        let text = String(decoding: current, as: UTF8.self)
        if let match = text.firstMatch(of: /(?i)boundary="?([^";\s]+)/) { boundaries.insert(Array(("--" + match.1).utf8)) }
        current = []
    }
    var start = 0
    let n = bytes.count
    while start <= n {
        var end = start
        while end < n, bytes[end] != 0x0A { end += 1 }
        // A line is [start, lineEnd); it must end in CRLF.
        var lineEnd = end
        if end < n {
            if end > start, bytes[end - 1] == 0x0D { lineEnd = end - 1 } else { problems.append("a bare LF") }
        }
        if lineEnd - start > 998 { problems.append("a line longer than 998 bytes") }
        if inHeaders {
            let line = bytes[start..<lineEnd]
            if line.contains(0x0D) { problems.append("a bare CR in a header") }
            if line.isEmpty {
                finishHeader()
                inHeaders = false
            } else if line.first == 0x20 || line.first == 0x09 {
                current += line
            } else {
                finishHeader()
                if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                   line[..<colon].allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-") }) {
                    names.append(String(decoding: line[..<colon], as: UTF8.self).lowercased())
                    current = Array(line)
                } else {
                    problems.append("a header line that is not a header: \(String(decoding: line.prefix(60), as: UTF8.self))")
                }
            }
        } else if lineEnd - start > 2, bytes[start] == UInt8(ascii: "-"), bytes[start + 1] == UInt8(ascii: "-") {
            let line = Array(bytes[start..<lineEnd])
            if boundaries.contains(line) { inHeaders = true }
        }
        start = end + 1
    }
    return (names.sorted(), problems)
}

func jsonKeyPaths(_ node: JSONNode, prefix: String = "") -> Set<String> {
    switch node.value {
    case .object(let members):
        return members.reduce(into: Set([prefix + "{}"])) { $0.formUnion(jsonKeyPaths($1.value, prefix: prefix + "." + $1.key)) }
    case .array(let items):
        return items.reduce(into: Set([prefix + "[]"])) { $0.formUnion(jsonKeyPaths($1, prefix: prefix + "[]")) }
    default:
        return [prefix]
    }
}
