import Foundation

/// A `MustacheProgram` laid out for rendering many pages fast: its nodes as one array of plain operations (no
/// strings or arrays in them, so walking them copies and retains nothing) and its text as one byte buffer.
///
/// Why: the e-mail-safe invoice is a long HTML template rendered twice for each of a site's documents; walking
/// the node tree retained and released every node's payload, several times the cost of the bytes written. The
/// semantics are `MustacheProgram.render`'s, case for case (`MustacheProgramTests` compares both with swift-mustache
/// on the same generated templates).
struct FlatProgram: Sendable {
    enum Op: Sendable {
        /// `text[start..<end]`.
        case text(start: Int32, end: Int32)
        /// `names[name]`, escaped for Mustache (`{{x}}` under `CONTENT_TYPE: HTML`).
        case variable(name: Int32, escaped: Bool)
        /// `names[name]` over the operations up to `end` (exclusive), which is where the section's next sibling starts.
        case section(name: Int32, end: Int32)
        case inverted(name: Int32, end: Int32)
    }

    private(set) var ops: [Op] = []
    private(set) var text: [UInt8] = []
    private(set) var names: [MustacheProgram.Name] = []
    /// Per name: its number (`NameIDs`) when it is one plain name found down the stack (`{{net}}`), `current` for
    /// `{{.}}`, else -1; and its text. Most names are such, and are found here without copying the name or walking a
    /// reversed stack.
    private(set) var plainIds: [Int] = []
    private(set) var plainKeys: [String] = []
    /// `plainIds`' mark of `{{.}}`.
    private static let current = -2

    init(_ nodes: [MustacheProgram.Node], escapesHTML: Bool = true) {
        flatten(nodes, escapesHTML: escapesHTML)
    }

    private mutating func flatten(_ nodes: [MustacheProgram.Node], escapesHTML: Bool) {
        var escapesHTML = escapesHTML
        for node in nodes {
            switch node {
            case .text(let literal):
                let start = Int32(text.count)
                text.append(contentsOf: literal.utf8)
                // Adjacent texts become one operation.
                if case .text(let previousStart, let previousEnd)? = ops.last, previousEnd == start {
                    ops[ops.count - 1] = .text(start: previousStart, end: Int32(text.count))
                } else {
                    ops.append(.text(start: start, end: Int32(text.count)))
                }
            case .contentType(let escapes):
                escapesHTML = escapes
            case .variable(let name, let escaped):
                add(name)
                ops.append(.variable(name: Int32(names.count - 1), escaped: escaped && escapesHTML))
            case .section(let name, let children):
                section(name, children, inverted: false, escapesHTML: escapesHTML)
            case .rows(let rows):
                section(rows.name, rows.children, inverted: false, escapesHTML: escapesHTML)
            case .inverted(let name, let children):
                section(name, children, inverted: true, escapesHTML: escapesHTML)
            }
        }
    }

    private mutating func add(_ name: MustacheProgram.Name) {
        names.append(name)
        let plain = name.start == .stack && name.components.count == 1
        plainIds.append(plain ? name.firstId : name.start == .current ? FlatProgram.current : -1)
        plainKeys.append(plain ? name.components[0] : "")
    }

    private mutating func section(_ name: MustacheProgram.Name, _ children: [MustacheProgram.Node], inverted: Bool, escapesHTML: Bool) {
        add(name)
        let index = Int32(names.count - 1)
        let at = ops.count
        // Its place, set once the children are in; -1 so that no text is ever merged into it (a first child's text
        // starts at 0 when the section opens the template).
        ops.append(.text(start: -1, end: -1))
        flatten(children, escapesHTML: escapesHTML)
        let end = Int32(ops.count)
        ops[at] = inverted ? .inverted(name: index, end: end) : .section(name: index, end: end)
        // A text after the section must not be merged into its last child.
        ops.append(.text(start: Int32(text.count), end: Int32(text.count)))
    }

    /// Renders into `out`; `leaf` writes each text, URL or HTML value (its flag: Mustache escaping applies). Names
    /// found nowhere go to `unknown`.
    func render(_ root: TemplateValue, into out: inout [UInt8], unknown: inout [MustacheProgram.Name],
                leaf: (TemplateValue, Bool, inout [UInt8]) -> Void) {
        var stack = [root]
        text.withUnsafeBufferPointer { text in
            ops.withUnsafeBufferPointer { ops in
                render(ops, 0, ops.count, text, &stack, &out, &unknown, leaf)
            }
        }
    }

    /// `MustacheProgram.lookup`, with a short way for plain names.
    @inline(__always)
    private func find(_ index: Int, in stack: [TemplateValue]) -> TemplateValue? {
        let id = plainIds[index]
        guard id >= 0 else { return id == FlatProgram.current ? stack.last : MustacheProgram.lookup(names[index], in: stack) }
        var k = stack.count - 1
        while k >= 0 {
            switch stack[k] {
            case .record(let keys, let values):
                if id < keys.positionById.count {
                    let position = keys.positionById[id]
                    if position >= 0 { return values[position] }
                } else if let position = keys.position[plainKeys[index]] {
                    return values[position]
                }
            case .object(let members):
                if let value = members[plainKeys[index]] { return value }
            default:
                break
            }
            k -= 1
        }
        return nil
    }

    private func render(_ ops: UnsafeBufferPointer<Op>, _ from: Int, _ to: Int, _ text: UnsafeBufferPointer<UInt8>,
                        _ stack: inout [TemplateValue], _ out: inout [UInt8], _ unknown: inout [MustacheProgram.Name],
                        _ leaf: (TemplateValue, Bool, inout [UInt8]) -> Void) {
        var i = from
        while i < to {
            switch ops[i] {
            case .text(let start, let end):
                if end > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(start)..<Int(end)])) }
                i += 1
            case .variable(let name, let escaped):
                i += 1
                guard let value = find(Int(name), in: stack) else {
                    unknown.append(names[Int(name)])
                    continue
                }
                switch value {
                case .text, .url, .html: leaf(value, escaped, &out)
                case .bool(let b): out.append(contentsOf: b ? [116, 114, 117, 101] : [102, 97, 108, 115, 101])
                case .list, .object, .record: break
                }
            case .section(let name, let end):
                let children = i + 1, next = Int(end)
                switch find(Int(name), in: stack) {
                case nil:
                    unknown.append(names[Int(name)])
                case .list(let items)?:
                    for item in items {
                        stack.append(item)
                        render(ops, children, next, text, &stack, &out, &unknown, leaf)
                        stack.removeLast()
                    }
                case .bool(let b)?:
                    if b { render(ops, children, next, text, &stack, &out, &unknown, leaf) }
                case let value? where !value.isTruthy:
                    break
                case let value?:
                    stack.append(value)
                    render(ops, children, next, text, &stack, &out, &unknown, leaf)
                    stack.removeLast()
                }
                i = next
            case .inverted(let name, let end):
                let children = i + 1, next = Int(end)
                switch find(Int(name), in: stack) {
                case nil:
                    unknown.append(names[Int(name)])
                    render(ops, children, next, text, &stack, &out, &unknown, leaf)
                case .list(let items)?:
                    if items.isEmpty {
                        stack.append(.list(items))
                        render(ops, children, next, text, &stack, &out, &unknown, leaf)
                        stack.removeLast()
                    }
                case .bool(let b)?:
                    if !b { render(ops, children, next, text, &stack, &out, &unknown, leaf) }
                case let value? where !value.isTruthy && !value.isContainer:
                    render(ops, children, next, text, &stack, &out, &unknown, leaf)
                case .some:
                    break
                }
                i = next
            }
        }
    }
}
