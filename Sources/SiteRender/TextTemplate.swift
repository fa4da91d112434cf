import Foundation

/// A plain-text template (the text alternative of an invoice e-mail): Mustache without HTML escaping, rendered
/// by the one engine (`MustacheProgram`). Each text value goes through `clean` first, so a value can never add
/// a line the template did not write.
public struct TextTemplate: Sendable {
    public let name: String
    private var program: MustacheProgram
    private var flat: FlatProgram

    public init(name: String, source: String) throws(TemplateError) {
        self.name = name
        guard source.utf8.count <= TemplateLimits.maxTemplateBytes else {
            throw TemplateError(file: name, line: nil, message: "the template is \(source.utf8.count) bytes; the limit is \(TemplateLimits.maxTemplateBytes)")
        }
        let pragma = "{{% CONTENT_TYPE: TEXT}}"
        do {
            program = try MustacheProgram(pragma + source)
            flat = FlatProgram(program.nodes)
        } catch {
            throw TemplateError(file: name, line: MustacheProgram.line(of: error.position, in: pragma + source), message: error.reason)
        }
    }

    /// The same template with `{{root.…}}` written once from `value`, cleaned (`MustacheProgram.binding`).
    public func binding(_ root: String, to value: TemplateValue, clean: (String) -> String) -> TextTemplate {
        var copy = self
        copy.program = program.binding(root, to: value) { found in
            if case .text(let text) = found { return clean(text) }
            return nil
        }
        copy.flat = FlatProgram(copy.program.nodes)
        return copy
    }

    /// Every name the template asks for, with its line.
    public var names: [(name: String, line: Int)] { program.names }

    /// The text as UTF-8; `clean` turns each text value into what is written (a URL is written as its path, trusted
    /// HTML never: this is not a page).
    public func renderBytes(_ value: TemplateValue, clean: (String) -> String) throws(TemplateError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        var unknown: [MustacheProgram.Name] = []
        flat.render(value, into: &out, unknown: &unknown) { value, _, out in
            switch value {
            case .text(let text): out.appendUTF8(clean(text))
            case .url(let url): out.appendUTF8(clean(url.path))
            default: break
            }
        }
        if let name = unknown.first { throw TemplateError.unknownName(name, file: self.name) }
        return out
    }
}

extension [UInt8] {
    /// A string's UTF-8 appended as one copy of its bytes (`+= text.utf8` goes through the generic sequence path,
    /// dear for the many short strings of a page).
    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
