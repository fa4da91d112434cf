import Foundation
import Synchronization

/// A page template: Markdown with Mustache placeholders, rendered so that no value can change the page's
/// structure (the law of this project).
///
/// How: Mustache runs first, but every value it prints is a *slot token* — private-use characters around a
/// number — never the value itself. cmark-gfm then parses that Markdown, where a token is inert text. The
/// parse is compiled once into static HTML with holes (`CompiledFragment`), and each value is escaped into its
/// hole according to where the hole is (text, link destination). The value's own characters are never seen
/// by the Markdown parser, so `|`, `#`, `2024.`, `<script>`, `www.x` or `{{x}}` stay text.
///
/// The compiled form is cached by the token Markdown, which is the same for every page whose template took
/// the same branches: most pages of a kind are rendered without parsing Markdown at all.
public final class MarkdownTemplate: Sendable {
    public let name: String
    /// The renderer, the one template engine at run time (swift-mustache is the tests' reference).
    private let program: MustacheProgram
    private let cache = Mutex(Cache())
    /// At most this many compiled variants, and this many bytes of them, per template. Long tables (a
    /// subscription's hundred invoice lines) seldom repeat; keeping hundreds of them made memory grow with the
    /// number of tenants.
    private static let cacheLimit = 512
    private static let cacheByteLimit = 2 << 20

    private struct Cache {
        var fragments: [MarkdownKey: CompiledFragment] = [:]
        /// Compiled table rows, by row section and the row's token Markdown.
        var rows: [RowKey: CompiledFragment] = [:]
        /// The same for flat rows, by which of their variables printed.
        var flatRows: [FlatRowKey: CompiledFragment] = [:]
        var bytes = 0
        var parses = 0
    }

    private struct FlatRowKey: Hashable {
        var section: Int
        var shape: UInt64
    }

    private struct RowKey: Hashable {
        var section: Int
        var markdown: MarkdownKey
    }

    /// Token Markdown as a cache key, hashed and compared as UTF-8 bytes. (As a `String` key, every page's Markdown,
    /// tens of kilobytes for a long table, was hashed through Unicode normalization: its tokens are not ASCII.) Two
    /// keys are equal when their bytes are, which for text that one template printed is the same thing.
    private struct MarkdownKey: Hashable {
        var text: String

        static func == (a: MarkdownKey, b: MarkdownKey) -> Bool {
            var x = a.text, y = b.text
            return x.withUTF8 { p in
                y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
            }
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// - Parameters:
    ///   - name: file name used in error messages (`templates/pages/invoice.md`)
    public init(name: String, source: String) throws(TemplateError) {
        self.name = name
        guard source.utf8.count <= TemplateLimits.maxTemplateBytes else {
            throw TemplateError(file: name, line: nil, message: "the template is \(source.utf8.count) bytes; the limit is \(TemplateLimits.maxTemplateBytes)")
        }
        if let bad = source.unicodeScalars.firstIndex(where: { SlotToken.isReserved($0) }) {
            let line = source.unicodeScalars[..<bad].filter { $0 == "\n" }.count + 1
            throw TemplateError(file: name, line: line, message: "the template contains a private-use character reserved for placeholders")
        }
        if let problem = MarkdownLimits.check(source) {
            throw TemplateError(file: name, line: problem.line, message: problem.message)
        }
        do {
            program = try MustacheProgram(source).markingTableRows()
        } catch {
            throw TemplateError(file: name, line: MustacheProgram.line(of: error.position, in: source), message: error.reason)
        }
    }

    /// Every name the template asks for, with its line (for checks at load: string keys).
    public var names: [(name: String, line: Int)] { program.names }

    /// Renders the template with `value` (an `.object` at the top) into an HTML fragment.
    public func render(_ value: TemplateValue) throws(TemplateError) -> String {
        String(decoding: try renderBytes(value), as: UTF8.self)
    }

    /// The same fragment as trusted markup: safe by construction (see the type's documentation).
    public func renderHTML(_ value: TemplateValue) throws(TemplateError) -> TrustedHTML {
        TrustedHTML(uncheckedBytes: try renderBytes(value))
    }

    /// The fragment's UTF-8 bytes.
    func renderBytes(_ value: TemplateValue) throws(TemplateError) -> [UInt8] {
        let recorder = SlotRecorder()
        // Each value prints as its slot token, written straight into the Markdown: a token has none of the
        // characters Mustache escapes (`SlotToken.append`), so escaping it would change nothing. The recorder keeps
        // the tag that printed each value, for error messages.
        var markdown = ""
        var unknown: [MustacheProgram.Name] = []
        var rowFailure: TemplateError?
        // A table's rows are drawn one at a time from the row's own compiled template (one cmark-gfm parse per shape
        // of row, not per page), and stand in the page's Markdown as a single row holding them all.
        let rows: MustacheProgram.RowsHook<String> = { section, items, stack, out, unknown in
            var html: [UInt8] = []
            // Rows of one table mostly share a shape: the last one found is tried before the shared cache (and its lock).
            var last: (shape: UInt64, fragment: CompiledFragment)?
            for item in items {
                stack.append(item)
                defer { stack.removeLast() }
                do throws(TemplateError) {
                    // A flat row: its shape says which values printed and which sections rendered, so a compiled row
                    // is found by that and filled with the values, without writing the row's Markdown.
                    var seen: [MustacheProgram.Name] = []
                    let flat = section.isFlat ? MustacheProgram.flatRow(section, &stack, unknown: &seen) : nil
                    if let flat {
                        let key = FlatRowKey(section: section.id, shape: flat.shape)
                        if let fragment = last?.shape == flat.shape ? last?.fragment : self.cache.withLock({ $0.flatRows[key] }) {
                            let mark = html.count
                            do {
                                try fragment.fill(values: flat.values, into: &html, template: self.name)
                                last = (flat.shape, fragment)
                                unknown += seen
                                continue
                            } catch {
                                // A value that does not fit its place (text where a link goes): drawn again below, where
                                // the error names its tag and line.
                                html.removeSubrange(mark...)
                            }
                        }
                    }
                    // Otherwise the row's Markdown, compiled once per text (and remembered under its shape).
                    let rowRecorder = SlotRecorder()
                    var row = ""
                    MustacheProgram.render(section.children, &stack, escapesHTML: true, into: &row, unknown: &unknown) { value, _, name, out in
                        rowRecorder.record(value, name: name, into: &out)
                    }
                    let fragment = try self.compiledRow(row, section: section, recorder: rowRecorder)
                    if let flat { self.cache.withLock { $0.flatRows[FlatRowKey(section: section.id, shape: flat.shape)] = fragment } }
                    html += try fragment.fill(with: rowRecorder.slots, template: self.name)
                } catch {
                    if rowFailure == nil { rowFailure = error }
                }
            }
            recorder.recordRows(html, into: &out)
        }
        program.render(value, into: &markdown, unknown: &unknown, rows: rows) { value, _, name, out in recorder.record(value, name: name, into: &out) }
        if let rowFailure { throw rowFailure }
        if let name = unknown.first { throw TemplateError.unknownName(name, file: self.name) }
        return try compiled(markdown, recorder: recorder).fill(with: recorder.slots, rows: recorder.rows, template: name)
    }

    private func compiled(_ markdown: String, recorder: SlotRecorder) throws(TemplateError) -> CompiledFragment {
        let key = MarkdownKey(text: markdown)
        if let hit = cache.withLock({ $0.fragments[key] }) { return hit }
        let fragment = try CompiledFragment.compile(markdown: markdown, slotNames: recorder.slots.map(\.path),
                                                    slotLines: recorder.slots.map(\.line), template: name)
        remember(fragment, size: markdown.utf8.count + fragment.byteCount) { $0.fragments[key] = fragment }
        return fragment
    }

    /// A table row's compiled form: the row under a header of the table's columns, parsed once per shape of row.
    private func compiledRow(_ markdown: String, section: MustacheProgram.RowSection, recorder: SlotRecorder) throws(TemplateError) -> CompiledFragment {
        let key = RowKey(section: section.id, markdown: MarkdownKey(text: markdown))
        if let hit = cache.withLock({ $0.rows[key] }) { return hit }
        let fragment = try CompiledFragment.compileRow(markdown, delimiter: section.delimiter, slotNames: recorder.slots.map(\.path),
                                                       slotLines: recorder.slots.map(\.line), template: name)
        remember(fragment, size: markdown.utf8.count + fragment.byteCount) { $0.rows[key] = fragment }
        return fragment
    }

    /// Counts a parse and keeps its result within the cache's budget: past it, everything kept is let go at once.
    private func remember(_ fragment: CompiledFragment, size: Int, _ store: (inout Cache) -> Void) {
        cache.withLock { cache in
            cache.parses += 1
            if cache.fragments.count + cache.rows.count >= Self.cacheLimit || cache.bytes + size > Self.cacheByteLimit {
                cache.fragments.removeAll(keepingCapacity: true)
                cache.rows.removeAll(keepingCapacity: true)
                cache.flatRows.removeAll(keepingCapacity: true)
                cache.bytes = 0
            }
            if size <= Self.cacheByteLimit {
                store(&cache)
                cache.bytes += size
            }
        }
    }

    /// How many distinct Markdown parses this template has needed so far (for `--timings`).
    public var compiledVariants: Int { cache.withLock { $0.parses } }
}

public enum TemplateLimits {
    /// Debian's cmark-gfm lacks the 2023 fixes for slow inputs; templates are kept small.
    public static let maxTemplateBytes = 256 * 1024
}

public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file): \(line.map(String.init) ?? "-"): \(message)" }
}

// MARK: - Slot tokens

enum SlotToken {
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"

    static func make(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    /// Appends `make(index)` to `out`, its UTF-8 written into a small buffer (no interpolation): private-use
    /// open, decimal digits, private-use close — nothing that HTML or Mustache would escape.
    static func append(_ index: Int, to out: inout String) {
        precondition(index >= 0)
        var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: 6 + at most 19 digits
        withUnsafeMutableBytes(of: &storage) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            buffer[0] = 0xEE; buffer[1] = 0x80; buffer[2] = 0x80  // U+E000
            var count = 3
            var divisor = 1
            while divisor <= index / 10 { divisor *= 10 }
            var rest = index
            while divisor > 0 {
                buffer[count] = UInt8(truncatingIfNeeded: 0x30 + rest / divisor)
                count += 1
                rest %= divisor
                divisor /= 10
            }
            buffer[count] = 0xEE; buffer[count + 1] = 0x80; buffer[count + 2] = 0x81  // U+E001
            count += 3
            out.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self))
        }
    }

    /// An ASCII stand-in for a token inside a link destination, which cmark percent-encodes.
    static func urlMarker(_ index: Int) -> String { "tenantsite-slot-\(index)-url" }

    static func isReserved(_ scalar: Unicode.Scalar) -> Bool { scalar == open || scalar == close }

    /// The token of a table's drawn rows: not a value slot (an `R` before the digits), found only by `split`.
    static func makeRows(_ index: Int) -> String { "\u{E000}R\(index)\u{E001}" }

    /// The marker at the start of a heading that has an id (`## Title {#id}`), found only by `split`.
    static func makeHeading(_ index: Int) -> String { "\u{E000}H\(index)\u{E001}" }

    /// The start of a list item that ended with `{: .class}`, found only by `split`.
    static func makeItemClass(_ index: Int) -> String { "\u{E000}L\(index)\u{E001}" }

    /// The paragraph that stood for `{: .class}`, found only by `split`.
    static func makeBlockClass(_ index: Int) -> String { "\u{E000}C\(index)\u{E001}" }

    /// The slot indices in `text`, in order, with the ranges they occupy.
    static func scan(_ text: String) -> [(index: Int, range: Range<String.UnicodeScalarView.Index>)] {
        var found: [(Int, Range<String.UnicodeScalarView.Index>)] = []
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if scalars[i] == open {
                var j = scalars.index(after: i)
                var number = 0
                var digits = 0
                while j < scalars.endIndex, scalars[j].value >= 0x30, scalars[j].value <= 0x39, digits < 18 {
                    number = number * 10 + Int(scalars[j].value - 0x30)
                    digits += 1
                    j = scalars.index(after: j)
                }
                if digits > 0, j < scalars.endIndex, scalars[j] == close {
                    let end = scalars.index(after: j)
                    found.append((number, i..<end))
                    i = end
                    continue
                }
            }
            i = scalars.index(after: i)
        }
        return found
    }
}

/// Where a value sits in the view-model (`subscriptions[2].name`), spelled out only for error messages.
indirect enum SlotPath: CustomStringConvertible {
    case root
    case member(SlotPath, String)
    case element(SlotPath, Int)
    /// The template tag that printed the value, with its line (its text is made only for a message).
    case name(MustacheProgram.Name)

    var line: Int? {
        if case .name(let name) = self, name.line > 0 { return name.line }
        return nil
    }

    var description: String {
        switch self {
        case .root: return ""
        case .member(let parent, let key):
            let prefix = parent.description
            return prefix.isEmpty ? key : prefix + "." + key
        case .element(let parent, let index): return parent.description + "[\(index)]"
        case .name(let name): return name.text
        }
    }
}

/// A value that Mustache prints as a slot token, recording the value under the token's number.
/// Tokens are numbered in the order Mustache prints them, so pages that took the same branches produce the
/// same token Markdown (and share one compiled fragment).
final class SlotRecorder {
    struct Slot {
        var value: TemplateValue
        var location: SlotPath
        var path: String { location.description }
        var line: Int? { location.line }
    }

    private(set) var slots: [Slot] = []

    func record(_ value: TemplateValue, path: SlotPath) -> String {
        slots.append(Slot(value: value, location: path))
        return SlotToken.make(slots.count - 1)
    }

    /// The drawn rows of each row section, by their rows token.
    private(set) var rows: [[UInt8]] = []

    /// Stands for a table's drawn rows in the page's Markdown: one table row holding the rows token.
    func recordRows(_ html: [UInt8], into markdown: inout String) {
        rows.append(html)
        markdown += "| " + SlotToken.makeRows(rows.count - 1) + " |\n"
    }

    /// `record` for the renderer: the value's token appended to the Markdown being written, the tag that printed it
    /// kept for error messages.
    func record(_ value: TemplateValue, name: MustacheProgram.Name? = nil, into markdown: inout String) {
        slots.append(Slot(value: value, location: name.map { .name($0) } ?? .root))
        SlotToken.append(slots.count - 1, to: &markdown)
    }

    /// The Mustache context for a value: lists as Swift arrays, objects as lazy `SlotObject`s, leaves as
    /// recorders.
    func context(for value: TemplateValue, path: SlotPath) -> Any {
        switch value {
        case .bool(let b): return b
        case .list(let items):
            return items.enumerated().map { context(for: $0.element, path: .element(path, $0.offset)) }
        case .object(let members):
            return SlotObject(members: members, path: path, recorder: self)
        case .record(let keys, let values):
            return SlotObject(members: keys.object(values), path: path, recorder: self)
        case .text, .url, .html:
            return SlotLeaf(value: value, path: path, recorder: self)
        }
    }
}

/// An object of the view-model as Mustache sees it. A member becomes a Mustache value only when the template
/// asks for it: a page uses a few dozen of the hundreds of strings in `t`, and converting them all for every
/// page was most of the cost of rendering it.
struct SlotObject: CustomStringConvertible {
    let members: [String: TemplateValue]
    let path: SlotPath
    let recorder: SlotRecorder

    func child(named name: String) -> Any? {
        guard let member = members[name] else { return nil }
        // An absent value (an empty list) is nothing to swift-mustache, as it is to the renderer: not "[]".
        if case .list(let items) = member, items.isEmpty { return nil }
        return recorder.context(for: member, path: .member(path, name))
    }

    /// `{{object}}` prints nothing of the object's data.
    var description: String { "" }
}

struct SlotLeaf {
    let value: TemplateValue
    let path: SlotPath
    let recorder: SlotRecorder

    var renderText: String { recorder.record(value, path: path) }
    var isNull: Bool { !value.isTruthy }
}

// MARK: - Compiled fragments

/// Static HTML with holes, made from one parse of token Markdown.
struct CompiledFragment: Sendable {
    enum Context: Sendable { case text, url }

    enum Piece: Sendable {
        case html([UInt8])
        /// `paragraph`: the token stood alone in a top-level paragraph, whose `<p>` tags were lifted out, so a
        /// block of trusted markup (a chart) is not wrapped in a paragraph.
        case slot(index: Int, context: Context, paragraph: Bool)
        /// A table's drawn rows, in place of the one row that held their token.
        case rows(index: Int)
    }

    var pieces: [Piece]

    /// Bytes of static HTML held (for the cache's budget).
    var byteCount: Int {
        pieces.reduce(0) { total, piece in
            if case .html(let html) = piece { return total + html.count }
            return total + 16
        }
    }

    static func compile(markdown: String, slotNames: [String], slotLines: [Int?] = [], template: String) throws(TemplateError) -> CompiledFragment {
        let (html, urlSlots, aloneInParagraph, headingIds, blockClasses) = try render(markdown: markdown, slotNames: slotNames,
                                                                                      slotLines: slotLines, template: template)
        return CompiledFragment(pieces: try split(html, urlSlots: urlSlots, aloneInParagraph: aloneInParagraph, headingIds: headingIds,
                                                  blockClasses: blockClasses, template: template))
    }

    /// One table row (`| a | b |` with tokens), compiled under a header of the table's columns: `<tr>` to `</tr>`.
    static func compileRow(_ row: String, delimiter: String, slotNames: [String] = [], slotLines: [Int?] = [],
                           template: String) throws(TemplateError) -> CompiledFragment {
        // A header of the delimiter's columns: each run of `-` and `:` becomes a cell.
        var header = ""
        var inCell = false
        for c in delimiter {
            if c == "-" || c == ":" {
                if !inCell { header += "h"; inCell = true }
            } else {
                header.append(c)
                inCell = false
            }
        }
        let (html, urlSlots, aloneInParagraph, _, _) = try render(markdown: header + "\n" + delimiter + "\n" + row, slotNames: slotNames,
                                                                  slotLines: slotLines, template: template)
        let bodyStart = "<tbody>\n", bodyEnd = "</tbody>\n</table>\n"
        guard let start = html.range(of: bodyStart), html.hasSuffix(bodyEnd) else {
            throw TemplateError(file: template, line: nil, message: "a table row section does not make a table row: \(row.prefix(80))")
        }
        let rowHTML = String(html[start.upperBound..<html.index(html.endIndex, offsetBy: -bodyEnd.count)])
        return CompiledFragment(pieces: try split(rowHTML, urlSlots: urlSlots, aloneInParagraph: aloneInParagraph, template: template))
    }

    /// The Markdown parsed and checked, rendered with its tokens and URL markers in place.
    private static func render(markdown: String, slotNames: [String], slotLines: [Int?] = [], template: String) throws(TemplateError)
        -> (html: String, urlSlots: Set<Int>, aloneInParagraph: Set<Int>, headingIds: [String], blockClasses: [String]) {
        let document = MarkdownDocument(markdown)
        let headingIds = markHeadingIds(document)
        let blockClasses = markBlockClasses(document)
        var urlSlots = Set<Int>()
        var aloneInParagraph = Set<Int>()
        var textSlots = Set<Int>()
        var lostSlots: [Int] = []
        var problems: [String] = []
        var problemLine: Int?
        func line(_ index: Int) -> Int? { index < slotLines.count ? slotLines[index] : nil }

        func name(_ index: Int) -> String { index < slotNames.count ? slotNames[index] : "#\(index)" }

        document.forEachNode { node in
            switch node.kind {
            case .text, .code, .codeBlock:
                // Most nodes hold no token: tell from the C string, without making a Swift string of each.
                let tokens = node.literalMayHoldSlot ? SlotToken.scan(node.literal ?? "") : []
                for token in tokens { textSlots.insert(token.index) }
                if node.kind == .codeBlock, let info = node.fenceInfo, !SlotToken.scan(info).isEmpty {
                    problems.append("the value {{\(name(SlotToken.scan(info)[0].index))}} is used as a code block's language")
                    problemLine = problemLine ?? line(SlotToken.scan(info)[0].index)
                }
                if node.kind == .text, tokens.count == 1, node.literal == SlotToken.make(tokens[0].index),
                   let parent = node.parent, parent.kind == .paragraph, parent.children.count == 1,
                   parent.parent?.kind == .document {
                    aloneInParagraph.insert(tokens[0].index)
                }
            case .link, .image:
                if let url = node.url {
                    let tokens = SlotToken.scan(url)
                    if tokens.count == 1, url == SlotToken.make(tokens[0].index) {
                        urlSlots.insert(tokens[0].index)
                        node.setURL(SlotToken.urlMarker(tokens[0].index))
                    } else if let first = tokens.first {
                        problems.append("the link destination \"…\" mixes the value {{\(name(first.index))}} with other text; a link destination must be one value made by the site")
                        problemLine = problemLine ?? line(first.index)
                    }
                }
                if let title = node.title {
                    for token in SlotToken.scan(title) { textSlots.insert(token.index) }
                }
            case .htmlBlock, .htmlInline:
                for token in SlotToken.scan(node.literal ?? "") { lostSlots.append(token.index) }
            default:
                break
            }
        }
        for index in lostSlots {
            problems.append("the value {{\(name(index))}} stands inside raw HTML, which is never rendered; use Markdown")
            problemLine = problemLine ?? line(index)
        }
        if let first = problems.first { throw TemplateError(file: template, line: problemLine, message: first) }

        return (document.renderHTML(), urlSlots, aloneInParagraph, headingIds, blockClasses)
    }

    /// `## Title {#id}`: a heading's id, written after its text (as kramdown and Pandoc write it), so that links to a
    /// part of a page (`#attention`) come from the template. The `{#id}` is cut from the text and a heading marker
    /// put at its start, which `split` turns into the attribute.

    /// `text {#id}` → (`id`, `text`), read on bytes (a regular expression here cost more than the rest of a parse).
    static func headingId(_ text: String) -> (id: String, rest: String)? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard bytes.last == UInt8(ascii: "}"), let open = bytes.lastIndex(of: UInt8(ascii: "{")), open + 1 < bytes.count,
              bytes[open + 1] == UInt8(ascii: "#") else { return nil }
        let id = bytes[(open + 2)..<(bytes.count - 1)]
        guard let first = id.first, first >= 0x61, first <= 0x7A, id.count <= 64,
              id.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else { return nil }
        var rest = bytes[..<open]
        while let last = rest.last, last == 0x20 || last == 0x09 { rest.removeLast() }
        return (String(decoding: id, as: UTF8.self), String(decoding: rest, as: UTF8.self))
    }

    /// `{: .facts}` on a line of its own before a list or table: classes for that block (as kramdown writes them),
    /// for the style sheet; a paragraph of nothing else. Names are lowercase letters, digits and hyphens.
    static func blockClass(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.starts(with: Array("{:".utf8)), bytes.last == UInt8(ascii: "}") else { return nil }
        let names = String(decoding: bytes[2..<(bytes.count - 1)], as: UTF8.self).split(separator: " ")
        guard !names.isEmpty, names.count <= 8 else { return nil }
        var classes: [String] = []
        for name in names {
            let b = Array(name.utf8)
            guard b.count >= 2, b.count <= 40, b[0] == UInt8(ascii: "."), b[1] >= 0x61, b[1] <= 0x7A,
                  b.dropFirst().allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else { return nil }
            classes.append(String(name.dropFirst()))
        }
        return classes.joined(separator: " ")
    }

    private static func markBlockClasses(_ document: MarkdownDocument) -> [String] {
        var classes: [String] = []
        var items: [(MarkdownDocument.Node, String)] = []
        document.forEachNode { node in
            // `- text {: .card-warn}`: a class for the list item, written at the end of its text.
            if node.kind == .paragraph, let item = node.parent, item.kind == .item, let last = node.children.last, last.kind == .text,
               let text = last.literal, let open = text.range(of: "{:", options: .backwards),
               let found = blockClass(String(text[open.lowerBound...]).trimmingCharacters(in: .whitespaces)) {
                var kept = text[..<open.lowerBound]
                while kept.last == " " || kept.last == "\t" { kept = kept.dropLast() }  // trailing only: "x 9 {: .c}" keeps " 9"
                last.setLiteral(String(kept))
                items.append((node, found))
                return
            }
            guard node.kind == .paragraph, node.parent?.kind == .document else { return }
            let children = node.children
            guard children.count == 1, let only = children.first, only.kind == .text, let text = only.literal,
                  let found = blockClass(text) else { return }
            only.setLiteral(SlotToken.makeBlockClass(classes.count))
            classes.append(found)
        }
        // After the walk (a new node would be visited): a marker at the start of each marked item's text.
        for (paragraph, found) in items {
            paragraph.prependText(SlotToken.makeItemClass(classes.count))
            classes.append(found)
        }
        return classes
    }

    private static func markHeadingIds(_ document: MarkdownDocument) -> [String] {
        var ids: [String] = []
        document.forEachNode { node in
            guard node.kind == .heading, let last = node.children.last, last.kind == .text, let text = last.literal,
                  let (id, rest) = headingId(text) else { return }
            last.setLiteral(rest)
            if let first = node.firstChild, first.kind == .text {
                first.setLiteral(SlotToken.makeHeading(ids.count) + (first.literal ?? ""))
            }
            ids.append(id)
        }
        return ids
    }

    /// Cuts rendered HTML at every token and URL marker, in one pass over its UTF-8 bytes (a page's HTML can
    /// be long, so nothing here may rescan it).
    static func split(_ html: String, urlSlots: Set<Int>, aloneInParagraph: Set<Int>, headingIds: [String] = [],
                      blockClasses: [String] = [], template: String = "") throws(TemplateError) -> [Piece] {
        let bytes = Array(html.utf8)
        let marker = Array("tenantsite-slot-".utf8)
        let open = Array(String(SlotToken.open).utf8), close = Array(String(SlotToken.close).utf8)
        let paragraphOpen = Array("<p>".utf8), paragraphClose = Array("</p>\n".utf8)
        let rowOpen = Array("<tr>\n".utf8), rowClose = Array("</tr>\n".utf8)
        var pieces: [Piece] = []
        var pendingStart = 0
        var i = 0

        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position >= 0 && position + pattern.count <= bytes.count && bytes[position..<position + pattern.count].elementsEqual(pattern)
        }
        /// ASCII digits from `position`: the number and where they end (nil: none, or too many).
        func number(at position: Int) -> (value: Int, end: Int)? {
            var value = 0, j = position
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, j - position < 18 {
                value = value * 10 + Int(bytes[j] - 0x30)
                j += 1
            }
            return j > position ? (value, j) : nil
        }
        func flush(_ end: Int) {
            if end > pendingStart { pieces.append(.html(Array(bytes[pendingStart..<end]))) }
        }

        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "t"), matches(marker, at: i), let (index, end) = number(at: i + marker.count),
               matches(Array("-url".utf8), at: end), urlSlots.contains(index) {
                // A URL marker (plain ASCII inside href="…"/src="…").
                flush(i)
                pieces.append(.slot(index: index, context: .url, paragraph: false))
                i = end + 4
                pendingStart = i
                continue
            }
            if byte == open[0], matches(open, at: i), i + open.count < bytes.count, bytes[i + open.count] == UInt8(ascii: "C"),
               let (index, end) = number(at: i + open.count + 1), matches(close, at: end), index < blockClasses.count,
               i - paragraphOpen.count >= pendingStart, matches(paragraphOpen, at: i - paragraphOpen.count),
               matches(paragraphClose, at: end + close.count) {
                // `<p>marker</p>\n<ul>` → `<ul class="…">`: the class goes on the next block's opening tag.
                flush(i - paragraphOpen.count)
                var j = end + close.count + paragraphClose.count
                var tag: [UInt8] = []
                if j < bytes.count, bytes[j] == UInt8(ascii: "<") {
                    var k = j + 1
                    while k < bytes.count, (bytes[k] >= 0x61 && bytes[k] <= 0x7A) || (bytes[k] >= 0x30 && bytes[k] <= 0x39) { k += 1 }
                    if k < bytes.count, bytes[k] == UInt8(ascii: ">"), k > j + 1 {
                        tag = Array(bytes[j..<k])
                        j = k + 1
                    }
                }
                guard !tag.isEmpty else {
                    throw TemplateError(file: template, line: nil, message: "{: .\(blockClasses[index].replacingOccurrences(of: " ", with: " ."))} must stand right before a list, table or quote")
                }
                pieces.append(.html(tag + Array(" class=\"\(blockClasses[index])\">".utf8)))
                i = j
                pendingStart = i
                continue
            }
            if byte == open[0], matches(open, at: i), i + open.count < bytes.count, bytes[i + open.count] == UInt8(ascii: "L"),
               let (index, end) = number(at: i + open.count + 1), matches(close, at: end), index < blockClasses.count {
                // `<li>` + item marker (a tight list) or `<li>\n<p>` + marker (a loose one) → `<li class="…">`.
                let itemOpen = Array("<li>".utf8), looseOpen = Array("<li>\n<p>".utf8)
                let start: Int
                if i - itemOpen.count >= pendingStart, matches(itemOpen, at: i - itemOpen.count) {
                    start = i - itemOpen.count
                } else if i - looseOpen.count >= pendingStart, matches(looseOpen, at: i - looseOpen.count) {
                    start = i - looseOpen.count
                } else {
                    throw TemplateError(file: template, line: nil, message: "a list item's {: .class} could not be placed")
                }
                flush(start)
                var tag = Array("<li class=\"\(blockClasses[index])\">".utf8)
                if start == i - looseOpen.count { tag += Array("\n<p>".utf8) }
                pieces.append(.html(tag))
                i = end + close.count
                pendingStart = i
                continue
            }
            if byte == open[0], matches(open, at: i), i + open.count < bytes.count, bytes[i + open.count] == UInt8(ascii: "H"),
               let (index, end) = number(at: i + open.count + 1), matches(close, at: end), index < headingIds.count,
               i - 4 >= pendingStart, bytes[i - 1] == UInt8(ascii: ">"), bytes[i - 4] == UInt8(ascii: "<"), bytes[i - 3] == UInt8(ascii: "h") {
                // `<h2>` + heading marker → `<h2 id="…">` (the id is checked: lowercase letters, digits and hyphens).
                flush(i - 1)
                pieces.append(.html(Array(" id=\"\(headingIds[index])\">".utf8)))
                i = end + close.count
                pendingStart = i
                continue
            }
            if byte == open[0], matches(open, at: i), i + open.count < bytes.count, bytes[i + open.count] == UInt8(ascii: "R"),
               let (index, end) = number(at: i + open.count + 1), matches(close, at: end) {
                // A table's drawn rows: the whole row that holds the token (`<tr>` … `</tr>`) gives way to them.
                var before = i
                while before > pendingStart && !matches(rowOpen, at: before) { before -= 1 }
                guard let rowEnd = (end..<bytes.count).first(where: { matches(rowClose, at: $0) }), matches(rowOpen, at: before) else {
                    throw TemplateError(file: template, line: nil, message: "a table row section is not inside a table")
                }
                flush(before)
                pieces.append(.rows(index: index))
                i = rowEnd + rowClose.count
                pendingStart = i
                continue
            }
            if byte == open[0], matches(open, at: i), let (index, end) = number(at: i + open.count), matches(close, at: end) {
                var before = i
                var after = end + close.count
                // A token alone in a top-level paragraph: its <p> tags go, so trusted markup is not wrapped.
                let paragraph = aloneInParagraph.contains(index) && before - paragraphOpen.count >= pendingStart
                    && matches(paragraphOpen, at: before - paragraphOpen.count) && matches(paragraphClose, at: after)
                if paragraph {
                    before -= paragraphOpen.count
                    after += paragraphClose.count
                }
                flush(before)
                pieces.append(.slot(index: index, context: .text, paragraph: paragraph))
                i = after
                pendingStart = i
                continue
            }
            i += 1
        }
        flush(bytes.count)
        return pieces
    }

    func fill(with slots: [SlotRecorder.Slot], rows: [[UInt8]] = [], template: String) throws(TemplateError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(byteCount + slots.count * 16)
        try fill(into: &out, count: slots.count, value: { slots[$0].value }, name: { slots[$0].path }, line: { slots[$0].line }, rows: rows,
                 template: template)
        return out
    }

    /// A row's fill: its values in slot order, appended to the table's bytes.
    func fill(values: [TemplateValue], into out: inout [UInt8], template: String) throws(TemplateError) {
        try fill(into: &out, count: values.count, value: { values[$0] }, name: { "#\($0)" }, line: { _ in nil }, rows: [], template: template)
    }

    private func fill(into out: inout [UInt8], count: Int, value: (Int) -> TemplateValue, name: (Int) -> String, line: (Int) -> Int?,
                      rows: [[UInt8]], template: String) throws(TemplateError) {
        for piece in pieces {
            switch piece {
            case .html(let bytes):
                out += bytes
            case .rows(let index):
                if index < rows.count { out += rows[index] }
            case .slot(let index, let context, let paragraph):
                guard index < count else { continue }
                switch (value(index), context) {
                case (.text(let text), .text):
                    if paragraph { out += Self.paragraphOpen }
                    HTML.appendEscaped(text, to: &out)
                    if paragraph { out += Self.paragraphClose }
                case (.url(let url), .url):
                    HTML.appendEscapedHref(url.path, to: &out)
                case (.url(let url), .text):
                    if paragraph { out += Self.paragraphOpen }
                    HTML.appendEscaped(url.path, to: &out)
                    if paragraph { out += Self.paragraphClose }
                case (.html(let html), .text):
                    out += html.bytes
                case (.text, .url), (.html, .url):
                    throw TemplateError(file: template, line: line(index),
                                        message: "the value {{\(name(index))}} is text, not a link made by the site, and cannot be a link destination")
                default:
                    break
                }
            }
        }
    }

    private static let paragraphOpen = Array("<p>".utf8), paragraphClose = Array("</p>\n".utf8)
}
