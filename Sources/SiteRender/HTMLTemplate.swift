import Foundation

/// An HTML template (the shared layout, the e-mail wrapper). Each value is escaped by its kind — text for
/// HTML, a site URL for an attribute, trusted markup as it is — so `{{x}}` and `{{{x}}}` are equally safe.
public struct HTMLTemplate: Sendable {
    public let name: String
    /// The renderer (see `MustacheProgram`), the one template engine at run time.
    private var program: MustacheProgram
    /// The same, laid out for rendering (`FlatProgram`).
    private var flat: FlatProgram

    public init(name: String, source: String) throws(TemplateError) {
        self.name = name
        guard source.utf8.count <= TemplateLimits.maxTemplateBytes else {
            throw TemplateError(file: name, line: nil, message: "the template is \(source.utf8.count) bytes; the limit is \(TemplateLimits.maxTemplateBytes)")
        }
        do {
            // The pragma shares line 1 with the template's own first line, so line numbers stay true.
            program = try MustacheProgram("{{% CONTENT_TYPE: TEXT}}" + source)
            flat = FlatProgram(program.nodes)
        } catch {
            throw TemplateError(file: name, line: MustacheProgram.line(of: error.position, in: "{{% CONTENT_TYPE: TEXT}}" + source), message: error.reason)
        }
    }

    /// The same template with `{{root.…}}` printed once from `value` (`MustacheProgram.binding`): for the strings
    /// (`t`) and styles (`s`) of a language, before its hundreds of pages.
    public func binding(_ root: String, to value: TemplateValue) -> HTMLTemplate {
        var copy = self
        copy.program = program.binding(root, to: value) { found in
            switch found {
            case .text(let text): return HTML.escape(text)
            case .url(let url): return HTML.escapeHref(url.path)
            case .html(let html): return html.markup
            default: return nil
            }
        }
        copy.flat = FlatProgram(copy.program.nodes)
        return copy
    }

    public func render(_ value: TemplateValue) -> String {
        program.render(value) { EscapedLeaf(value: $0).renderText }
    }

    /// Every name the template asks for, with its line.
    public var names: [(name: String, line: Int)] { program.names }

    /// The same page as UTF-8 bytes, each value escaped straight into them (no intermediate strings).
    public func renderBytes(_ value: TemplateValue) throws(TemplateError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        var unknown: [MustacheProgram.Name] = []
        flat.render(value, into: &out, unknown: &unknown) { value, escaped, out in
            if escaped {
                // Not in our layouts (their pragma turns Mustache's escaping off); kept exact all the same.
                HTML.appendEscaped(EscapedLeaf(value: value).renderText, to: &out)
                return
            }
            switch value {
            case .text(let text): HTML.appendEscaped(text, to: &out)
            case .url(let url): HTML.appendEscapedHref(url.path, to: &out)
            case .html(let html): out.append(contentsOf: html.bytes)
            default: break
            }
        }
        if let name = unknown.first { throw TemplateError.unknownName(name, file: self.name) }
        return out
    }

    static func context(for value: TemplateValue) -> Any {
        switch value {
        case .bool(let b): return b
        case .list(let items): return items.map(context(for:))
        case .object(let members): return EscapedObject(members: members)
        case .record(let keys, let values): return EscapedObject(members: keys.object(values))
        case .text, .url, .html: return EscapedLeaf(value: value)
        }
    }
}

/// An object as Mustache sees it, its members converted only when the template asks for them (the layout
/// uses a few of the hundreds of strings in `t`).
struct EscapedObject: CustomStringConvertible {
    let members: [String: TemplateValue]

    func child(named name: String) -> Any? { members[name].map(HTMLTemplate.context(for:)) }

    var description: String { "" }
}

struct EscapedLeaf {
    let value: TemplateValue

    var renderText: String {
        switch value {
        case .text(let text): return HTML.escape(text)
        case .url(let url): return HTML.escapeHref(url.path)
        case .html(let html): return html.markup
        default: return ""
        }
    }

    var isNull: Bool { !value.isTruthy }
}
