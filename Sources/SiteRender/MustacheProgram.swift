import Foundation

/// A Mustache template compiled for rendering `TemplateValue`s quickly.
///
/// Why: swift-mustache renders through `Any` — every variable is found with dynamic casts down a stack of
/// existentials — and on a big site that was most of the time spent on pages. This is a second
/// implementation of the part of Mustache our templates use (text, `{{x}}`, `{{{x}}}`, `{{&x}}`, sections,
/// inverted sections, comments, dotted names, `{{.}}`, the `CONTENT_TYPE` pragma) that parses the way
/// swift-mustache parses — the same standalone-line rules, ported step by step from its parser — and
/// renders the way it renders. swift-mustache stays the reference: it still checks every template at load
/// time and renders the templates this does not take (partials, blocks, set delimiters, transforms), and
/// the tests compare the two on generated templates and values.
///
/// Two differences, both where swift-mustache shows data it should not: a value that is a list or an
/// object printed as a variable (`{{rows}}`) gives nothing here (swift-mustache prints Swift's description
/// of it), and a text value has no members (swift-mustache finds `{{value}}` in a text by reflection).
struct MustacheProgram: Sendable {
    enum Node: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, [Node])
        case inverted(Name, [Node])
        /// `{{% CONTENT_TYPE: TEXT}}` / `HTML`: whether later variables at this level are HTML-escaped.
        case contentType(escapesHTML: Bool)
        /// A section that repeats one row of a Markdown table (see `markingTableRows`): rendered as a section, unless
        /// the renderer is given a `rows` hook, which draws each row from the row's own compiled template.
        case rows(RowSection)
    }

    /// `{{#name}}` on its own line, one table row, `{{/name}}` on its own line, right under a table's delimiter row.
    struct RowSection: Sendable {
        var name: Name
        var children: [Node]
        /// The table's delimiter row as written (`|---|---:|`), which sets its columns and their alignment.
        var delimiter: String
        /// Its place among the template's row sections, for caches.
        var id: Int
        /// At most 64 variables and sections: each row's shape fits in a `UInt64` (see `flatRow`).
        var isFlat: Bool
    }

    /// A flat row's values for one item, and its shape: a bit for each variable that printed a value and each section
    /// that rendered, in order. Two items of one shape give the same token Markdown, so the row's compiled form is found
    /// by the shape and filled with the values, without writing the row's Markdown. nil when the item takes a path the
    /// shape cannot tell (a variable printing a bool, a section over a non-empty list).
    static func flatRow(_ section: RowSection, _ stack: inout [TemplateValue], unknown: inout [Name]) -> (values: [TemplateValue], shape: UInt64)? {
        var values: [TemplateValue] = []
        var shape: UInt64 = 0
        var bit: UInt64 = 1
        func take(_ taken: Bool) {
            if taken { shape |= bit }
            bit <<= 1
        }
        /// A section's bit, and its children when it renders (on the value it pushes, if any).
        func descend(_ taken: Bool, _ push: TemplateValue?, _ children: [Node]) -> Bool {
            take(taken)
            guard taken else { return true }
            if let push { stack.append(push) }
            defer { if push != nil { stack.removeLast() } }
            return walk(children)
        }
        func walk(_ nodes: [Node]) -> Bool {
            for node in nodes {
                switch node {
                case .text, .contentType:
                    continue
                case .variable(let name, _):
                    // The common case first: a plain name found in the row's own record, by position.
                    if name.start == .stack, name.components.count == 1, case .record(let keys, let rowValues)? = stack.last,
                       name.firstId >= 0, name.firstId < keys.positionById.count, keys.positionById[name.firstId] >= 0 {
                        let value = rowValues[keys.positionById[name.firstId]]
                        switch value {
                        case .bool: return false
                        case .list, .object, .record: take(false)
                        default:
                            values.append(value)
                            take(true)
                        }
                        continue
                    }
                    switch lookup(name, in: stack) {
                    case nil:
                        unknown.append(name)
                        take(false)
                    case .bool?:
                        return false
                    case .list?, .object?, .record?:
                        take(false)
                    case let value?:
                        values.append(value)
                        take(true)
                    }
                case .section(let name, let children):
                    // As `render`: a bool or a falsy value does not push; a non-empty list repeats (not flat).
                    var push: TemplateValue?
                    var taken: Bool
                    switch lookup(name, in: stack) {
                    case nil: unknown.append(name); taken = false
                    case .list(let items)?: if !items.isEmpty { return false }; taken = false
                    case .bool(let b)?: taken = b
                    case let value? where !value.isTruthy: taken = false
                    case let value?: taken = true; push = value
                    }
                    if !descend(taken, push, children) { return false }
                case .inverted(let name, let children):
                    var push: TemplateValue?
                    var taken: Bool
                    switch lookup(name, in: stack) {
                    case nil: unknown.append(name); taken = true
                    case .list(let items)?: taken = items.isEmpty; if taken { push = .list(items) }
                    case .bool(let b)?: taken = !b
                    case let value? where !value.isTruthy && !value.isContainer: taken = true
                    case .some: taken = false
                    }
                    if !descend(taken, push, children) { return false }
                case .rows:
                    return false
                }
            }
            return true
        }
        return walk(section.children) ? (values, shape) : nil
    }

    /// A variable or section name, split once at parse time.
    struct Name: Sendable {
        enum Start: Sendable {
            /// `.`: the current value.
            case current
            /// `.a.b`: from the current value only.
            case currentOnly
            /// `a.b`: the first name is looked for down the whole stack.
            case stack
        }

        var start: Start
        var components: [String]
        /// 1-based line of the tag in the template, for errors.
        var line: Int

        /// The first component's number among all names (`NameIDs`), so a row record finds it without hashing.
        var firstId: Int

        init(_ text: String, line: Int = 0) {
            components = text.split(separator: ".").map(String.init)
            start = text == "." ? .current : text.first == "." ? .currentOnly : .stack
            self.line = line
            firstId = components.first.map(NameIDs.id) ?? -1
        }

        var text: String { start == .current ? "." : (start == .currentOnly ? "." : "") + components.joined(separator: ".") }
    }

    private(set) var nodes: [Node]

    /// Fails, saying where, on what it does not render (partials, blocks, set delimiters, transforms) or cannot parse.
    init(_ source: String) throws(Unsupported) {
        var parser = Scanner(Array(source))
        nodes = try Self.parse(&parser, section: nil, newLine: true)
    }

    /// The same program with every variable whose name starts at `root` (`{{t.invoice.lines}}`) replaced by what
    /// `leaf` writes for its value in `value`: the strings and styles a page shares with every other page of its
    /// language, printed once instead of looked up and escaped on every page. `root` is a reserved name (no value of
    /// a page has a member of that name to shadow it); a name `value` does not have stays, for render to report.
    func binding(_ root: String, to value: TemplateValue, leaf: (TemplateValue) -> String?) -> MustacheProgram {
        func bind(_ nodes: [Node]) -> [Node] {
            var out: [Node] = []
            out.reserveCapacity(nodes.count)
            func appendText(_ text: String) {
                if case .text(let previous)? = out.last {
                    out[out.count - 1] = .text(previous + text)
                } else {
                    out.append(.text(text))
                }
            }
            for node in nodes {
                switch node {
                case .text(let text):
                    appendText(text)
                // `{{t.x}}` only: a triple-mustache `{{{t.x}}}` prints its value unescaped, so it is left to the renderer.
                case .variable(let name, true) where name.start == .stack && name.components.count > 1 && name.components[0] == root:
                    if let found = Self.resolve(name.components.dropFirst(), from: value), let text = leaf(found) {
                        appendText(text)
                    } else {
                        out.append(node)
                    }
                case .section(let name, let children): out.append(.section(name, bind(children)))
                case .inverted(let name, let children): out.append(.inverted(name, bind(children)))
                case .rows(var section):
                    section.children = bind(section.children)
                    out.append(.rows(section))
                case .variable, .contentType:
                    out.append(node)
                }
            }
            return out
        }
        var copy = self
        copy.nodes = bind(nodes)
        return copy
    }

    /// The same program with every table row section marked (`Node.rows`): a section whose open and close tags stand
    /// on their own lines around exactly one line that starts with `|`, right under a table's delimiter row.
    func markingTableRows() -> MustacheProgram {
        var next = 0
        func mark(_ nodes: [Node]) -> [Node] {
            var result: [Node] = []
            for node in nodes {
                switch node {
                case .section(let name, let children):
                    if case .text(let before)? = result.last, let delimiter = Self.delimiterRow(endingWith: before), Self.isOneTableRow(children) {
                        // Each variable and section is a bit of the row's shape: at most 64 of them.
                        func tags(_ nodes: [Node]) -> Int {
                            nodes.reduce(0) { count, node in
                                switch node {
                                case .variable: return count + 1
                                case .section(_, let inner), .inverted(_, let inner): return count + 1 + tags(inner)
                                case .rows: return count + 65
                                case .text, .contentType: return count
                                }
                            }
                        }
                        let flat = tags(children) <= 64
                        result.append(.rows(RowSection(name: name, children: children, delimiter: delimiter, id: next, isFlat: flat)))
                        next += 1
                    } else {
                        result.append(.section(name, mark(children)))
                    }
                case .inverted(let name, let children):
                    result.append(.inverted(name, mark(children)))
                default:
                    result.append(node)
                }
            }
            return result
        }
        var copy = self
        copy.nodes = mark(nodes)
        return copy
    }

    /// The last line of `text` when it is a GFM delimiter row (`|---|:--:|`) followed by a line end.
    private static func delimiterRow(endingWith text: String) -> String? {
        guard text.hasSuffix("\n") else { return nil }
        let line = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("|"), trimmed.contains("-"),
              trimmed.allSatisfy({ $0 == "|" || $0 == "-" || $0 == ":" || $0 == " " }) else { return nil }
        return trimmed
    }

    /// Whether nodes print exactly one line that starts with `|` (sections inside it may not add lines).
    private static func isOneTableRow(_ nodes: [Node]) -> Bool {
        guard case .text(let first)? = nodes.first, first.trimmingCharacters(in: .whitespaces).hasPrefix("|"),
              case .text(let last)? = nodes.last, last.hasSuffix("\n") else { return false }
        func newlines(_ nodes: [Node]) -> Int? {
            var count = 0
            for node in nodes {
                switch node {
                case .text(let text): count += text.filter(\.isNewline).count
                case .variable, .contentType: break
                case .section(_, let children), .inverted(_, let children):
                    guard let inner = newlines(children), inner == 0 else { return nil }
                case .rows: return nil
                }
            }
            return count
        }
        return newlines(nodes) == 1
    }

    /// Every name in the template, in order, with its line.
    var names: [(name: String, line: Int)] {
        var found: [(String, Int)] = []
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .variable(let name, _): found.append((name.text, name.line))
                case .section(let name, let children), .inverted(let name, let children):
                    found.append((name.text, name.line))
                    walk(children)
                case .rows(let section):
                    found.append((section.name.text, section.name.line))
                    walk(section.children)
                case .text, .contentType: break
                }
            }
        }
        walk(nodes)
        return found
    }

    /// The 1-based line of a character offset.
    static func line(of position: Int, in source: String) -> Int {
        var line = 1
        for (i, c) in source.enumerated() {
            if i >= position { break }
            if c.isNewline { line += 1 }
        }
        return line
    }

    // MARK: - Parsing (after swift-mustache's `MustacheTemplate.parse`, which the tests keep as the reference)

    /// What the renderer does not take, and where (a character offset into the source).
    struct Unsupported: Error {
        var position: Int
        var reason: String
        init(_ position: Int, _ reason: String) {
            self.position = position
            self.reason = reason
        }
    }

    /// Characters of a name; with the brackets of transforms, which only swift-mustache renders.
    private static let nameCharacters = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let configCharacters = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")

    private static func parse(_ p: inout Scanner, section: String?, newLine: Bool) throws(Unsupported) -> [Node] {
        var nodes: [Node] = []
        var newLine = newLine
        var whiteSpaceBefore = ""
        func flushWhiteSpace() {
            if !whiteSpaceBefore.isEmpty {
                nodes.append(.text(whiteSpaceBefore))
                whiteSpaceBefore = ""
            }
        }
        while !p.atEnd {
            if newLine { whiteSpaceBefore = p.read(while: { $0 == " " || $0 == "\t" }) }
            let text = try readUntilTagOrNewline(&p)
            if p.current.isNewline {
                nodes.append(.text(whiteSpaceBefore + text + String(p.current)))
                newLine = true
                p.advance()
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                newLine = false
            }
            if p.atEnd { break }
            var setNewLine = false
            switch p.current {
            case "#", "^":
                let inverted = p.current == "^"
                let line = p.line
                p.advance()
                let name = try parseName(&p)
                if isStandalone(&p, newLine: newLine) {
                    setNewLine = true
                } else {
                    flushWhiteSpace()
                }
                // As in swift-mustache: the section starts on a new line only if its tag stood alone.
                let children = try parse(&p, section: name, newLine: setNewLine && newLine)
                nodes.append(inverted ? .inverted(Name(name, line: line), children) : .section(Name(name, line: line), children))
            case "/":
                p.advance()
                let name = try parseName(&p)
                guard name == section else { throw Unsupported(p.position, "{{/\(name)}} closes no open section") }
                if !isStandalone(&p, newLine: newLine) { flushWhiteSpace() }
                return nodes
            case "!":
                p.advance()
                try p.skip(past: ["}", "}"])
                setNewLine = isStandalone(&p, newLine: newLine)
            case "{":
                flushWhiteSpace()
                p.advance()
                let name = try parseName(&p)
                guard p.current == "}", !p.atEnd else { throw Unsupported(p.position, "a {{{ tag is not closed with }}}") }
                p.advance()
                nodes.append(.variable(Name(name, line: p.line), escaped: false))
            case "&":
                flushWhiteSpace()
                p.advance()
                let line = p.line
                nodes.append(.variable(Name(try parseName(&p), line: line), escaped: false))
            case "%":
                p.advance()
                nodes.append(try parseConfig(&p))
                setNewLine = isStandalone(&p, newLine: newLine)
            case ">", "<", "$", "=":
                throw Unsupported(p.position, "partials ({{> …}}), blocks ({{< …}}, {{$ …}}) and set delimiters ({{= …}}) are not supported: templates are self-contained")
            default:
                flushWhiteSpace()
                let line = p.line
                nodes.append(.variable(Name(try parseName(&p), line: line), escaped: true))
            }
            newLine = setNewLine
        }
        guard section == nil else { throw Unsupported(p.position, "the section {{#\(section ?? "")}} is not closed") }
        return nodes
    }

    /// Text up to a newline or just past an opening `{{`.
    private static func readUntilTagOrNewline(_ p: inout Scanner) throws(Unsupported) -> String {
        var text = ""
        while !p.atEnd {
            text += p.read(while: { $0 != "\n" && $0 != "\r\n" && $0 != "{" })
            if p.current.isNewline { break }
            if p.current == "{" {
                guard p.remaining >= 2 else { throw Unsupported(p.position, "a tag is not closed") }
                if p.peek(1) == "{" {
                    p.advance(by: 2)
                    break
                }
                text.append("{")
                p.advance()
            }
        }
        return text
    }

    private static func parseName(_ p: inout Scanner) throws(Unsupported) -> String {
        p.skip(while: \.isWhitespace)
        let name = p.read(while: { nameCharacters.contains($0) })
        p.skip(while: \.isWhitespace)
        guard p.remaining >= 2, p.current == "}", p.peek(1) == "}" else { throw Unsupported(p.position, "a tag is not closed with }}, or its name has a character names cannot have") }
        p.advance(by: 2)
        // Brackets are transforms (`{{uppercased(name)}}`): swift-mustache's.
        guard !name.contains("("), !name.contains(")") else { throw Unsupported(p.position, "transforms such as {{uppercased(x)}} are not supported") }
        return name
    }

    private static func parseConfig(_ p: inout Scanner) throws(Unsupported) -> Node {
        p.skip(while: \.isWhitespace)
        let variable = p.read(while: { configCharacters.contains($0) })
        p.skip(while: \.isWhitespace)
        guard !p.atEnd, p.current == ":" else { throw Unsupported(p.position, "the only pragma is {{% CONTENT_TYPE: TEXT}} or HTML") }
        p.advance()
        p.skip(while: \.isWhitespace)
        let value = p.read(while: { configCharacters.contains($0) })
        p.skip(while: \.isWhitespace)
        guard p.remaining >= 2, p.current == "}", p.peek(1) == "}", variable == "CONTENT_TYPE" else { throw Unsupported(p.position, "the only pragma is {{% CONTENT_TYPE: TEXT}} or HTML") }
        p.advance(by: 2)
        switch value {
        case "TEXT": return .contentType(escapesHTML: false)
        case "HTML": return .contentType(escapesHTML: true)
        default: throw Unsupported(p.position, "the only pragma is {{% CONTENT_TYPE: TEXT}} or HTML")
        }
    }

    /// A tag is standalone when it began its line (after blanks) and only blanks follow it to the line's end,
    /// which is then consumed with the tag.
    private static func isStandalone(_ p: inout Scanner, newLine: Bool) -> Bool {
        guard newLine else { return false }
        if p.atEnd { return true }
        var ahead = p
        ahead.skip(while: { $0 == " " || $0 == "\t" })
        guard ahead.current.isNewline else { return false }
        ahead.advance()
        p = ahead
        return true
    }

    /// A cursor over the template's characters (grapheme clusters, as swift-mustache reads them).
    struct Scanner {
        let characters: [Character]
        var position = 0
        /// Where each line after the first starts.
        private let lineStarts: [Int]

        init(_ characters: [Character]) {
            self.characters = characters
            lineStarts = characters.indices.filter { characters[$0].isNewline }.map { $0 + 1 }
        }

        /// The 1-based line of the current position.
        var line: Int {
            var low = 0, high = lineStarts.count
            while low < high {
                let mid = (low + high) / 2
                if lineStarts[mid] <= position { low = mid + 1 } else { high = mid }
            }
            return low + 1
        }

        var atEnd: Bool { position >= characters.count }
        var remaining: Int { characters.count - position }
        /// The current character, `"\0"` at the end (as swift-mustache's parser answers).
        var current: Character { atEnd ? "\0" : characters[position] }
        func peek(_ offset: Int) -> Character { position + offset < characters.count ? characters[position + offset] : "\0" }
        mutating func advance(by count: Int = 1) { position += count }

        mutating func read(while predicate: (Character) -> Bool) -> String {
            let start = position
            while position < characters.count, predicate(characters[position]) { position += 1 }
            return String(characters[start..<position])
        }

        mutating func skip(while predicate: (Character) -> Bool) {
            while position < characters.count, predicate(characters[position]) { position += 1 }
        }

        /// Moves past the first occurrence of `pattern`; fails when there is none.
        mutating func skip(past pattern: [Character]) throws(Unsupported) {
            var i = position
            while i + pattern.count <= characters.count {
                if Array(characters[i..<i + pattern.count]) == pattern {
                    position = i + pattern.count
                    return
                }
                i += 1
            }
            throw Unsupported(position, "a comment {{! is not closed with }}")
        }
    }

    // MARK: - Rendering (after swift-mustache's `renderToken` and `getChild`)

    /// Renders with `leaf` turning each text, URL or HTML value into what the template prints for it.
    func render(_ root: TemplateValue, escapesHTML: Bool = true, leaf: (TemplateValue) -> String) -> String {
        var out = ""
        render(root, escapesHTML: escapesHTML, into: &out) { value, escaped, out in
            let text = leaf(value)
            if escaped { Self.appendEscaped(text, to: &out) } else { out += text }
        }
        return out
    }

    /// Renders into `out`; `leaf` writes each text, URL or HTML value, Mustache-escaped when its flag says so.
    func render<Output: MustacheOutput>(_ root: TemplateValue, escapesHTML: Bool = true, into out: inout Output,
                                        leaf: (TemplateValue, _ escaped: Bool, inout Output) -> Void) {
        var unknown: [Name] = []
        render(root, escapesHTML: escapesHTML, into: &out, unknown: &unknown) { value, escaped, _, out in leaf(value, escaped, &out) }
    }

    /// The same, with every name that is found nowhere on the stack collected in `unknown` (a typo in a template:
    /// view-models encode an absent optional as a present, empty value, so a missing name is never data).
    func render<Output: MustacheOutput>(_ root: TemplateValue, escapesHTML: Bool = true, into out: inout Output, unknown: inout [Name],
                                        rows: RowsHook<Output>? = nil,
                                        leaf: (TemplateValue, _ escaped: Bool, _ name: Name, inout Output) -> Void) {
        var stack = [root]
        Self.render(nodes, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf)
    }

    /// Draws a row section's items (never empty) into `out` in place of repeating its Markdown row.
    typealias RowsHook<Output> = (_ section: RowSection, _ items: [TemplateValue], _ stack: inout [TemplateValue], _ out: inout Output,
                                  _ unknown: inout [Name]) -> Void

    /// Renders nodes with a stack as it stands (a row section's row, for the rows hook).
    static func render<Output: MustacheOutput>(_ nodes: [Node], _ stack: inout [TemplateValue], escapesHTML: Bool,
                                               into out: inout Output, unknown: inout [Name], rows: RowsHook<Output>? = nil,
                                               leaf: (TemplateValue, Bool, Name, inout Output) -> Void) {
        var escapesHTML = escapesHTML
        for node in nodes {
            switch node {
            case .text(let text):
                out.append(text)
            case .contentType(let escapes):
                escapesHTML = escapes
            case .variable(let name, let escaped):
                guard let value = lookup(name, in: stack) else {
                    unknown.append(name)
                    continue
                }
                switch value {
                case .text, .url, .html: leaf(value, escaped && escapesHTML, name, &out)
                case .bool(let b): out.append(b ? "true" : "false")
                case .list, .object, .record: continue
                }
            case .rows(let section):
                if let rows, case .list(let items)? = lookup(section.name, in: stack) {
                    if !items.isEmpty { rows(section, items, &stack, &out, &unknown) }
                } else {
                    render([.section(section.name, section.children)], &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown,
                           rows: rows, leaf: leaf)
                }
            case .section(let name, let children):
                switch lookup(name, in: stack) {
                case nil:
                    unknown.append(name)
                case .list(let items)?:
                    for item in items {
                        stack.append(item)
                        render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf)
                        stack.removeLast()
                    }
                case .bool(let b)?:
                    if b { render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf) }
                case let value? where !value.isTruthy:
                    break
                case let value?:
                    stack.append(value)
                    render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf)
                    stack.removeLast()
                }
            case .inverted(let name, let children):
                switch lookup(name, in: stack) {
                case nil:
                    unknown.append(name)
                    render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf)
                case .list(let items)?:
                    if items.isEmpty {
                        stack.append(.list(items))
                        render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf)
                        stack.removeLast()
                    }
                case .bool(let b)?:
                    if !b { render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf) }
                case let value? where !value.isTruthy && !value.isContainer:
                    render(children, &stack, escapesHTML: escapesHTML, into: &out, unknown: &unknown, rows: rows, leaf: leaf)
                case .some:
                    break
                }
            }
        }
    }

    static func lookup(_ name: Name, in stack: [TemplateValue]) -> TemplateValue? {
        switch name.start {
        case .current:
            return stack.last
        case .currentOnly:
            return resolve(name.components[...], from: stack[stack.count - 1])
        case .stack:
            guard let first = name.components.first else { return stack.last }
            var k = stack.count - 1
            while k >= 0 {
                if let child = member(first, id: name.firstId, of: stack[k]) {
                    return name.components.count == 1 ? child : resolve(name.components.dropFirst(), from: child)
                }
                k -= 1
            }
            return nil
        }
    }

    private static func resolve(_ names: ArraySlice<String>, from value: TemplateValue) -> TemplateValue? {
        var current = value
        for name in names {
            guard let child = member(name, of: current) else { return nil }
            current = child
        }
        return current
    }

    private static func member(_ name: String, id: Int = -1, of value: TemplateValue) -> TemplateValue? {
        switch value {
        case .object(let members):
            return members[name]
        case .record(let keys, let values):
            if id >= 0 && id < keys.positionById.count {
                let position = keys.positionById[id]
                return position >= 0 ? values[position] : nil
            }
            return keys.position[name].map { values[$0] }
        default:
            return nil
        }
    }

    /// Mustache's escaping of `{{x}}`: the project's one escaper (`HTML.appendEscaped`), the same five characters as
    /// swift-mustache's `htmlEscape`, but read on scalars, so a combining mark after a quote cannot hide it.
    static func appendEscaped(_ text: String, to out: inout String) { HTML.appendEscaped(text, to: &out) }
}

/// Where a rendering goes: a `String` (the token Markdown of a page template) or `ByteOutput` (a layout).
protocol MustacheOutput {
    mutating func append(_ text: String)
}

extension String: MustacheOutput {}

/// UTF-8 bytes, for templates whose output is written to a file as it is.
struct ByteOutput: MustacheOutput {
    var bytes: [UInt8] = []

    mutating func append(_ text: String) {
        // One copy of a native string's bytes (the generic `contentsOf: text.utf8` walks them one by one).
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: text.utf8) }
    }
    mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }
}

extension TemplateValue {
    /// Objects and lists: never "null" to Mustache, whatever they hold.
    var isContainer: Bool {
        switch self {
        case .list, .object, .record: return true
        default: return false
        }
    }
}

extension TemplateError {
    /// A name a template asks for that the page's values do not have (a typo): the same words for every kind of template.
    static func unknownName(_ name: MustacheProgram.Name, file: String) -> TemplateError {
        TemplateError(file: file, line: name.line, message: "{{\(name.text)}} names nothing this page has; check the spelling against docs/templates.md")
    }
}
