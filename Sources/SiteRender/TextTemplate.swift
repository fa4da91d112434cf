import Foundation

/// A plain-text template (the text alternative of an invoice e-mail): Mustache without HTML escaping, rendered
/// by the one engine (`MustacheProgram`). Each text value goes through `clean` first, so a value can never add
/// a line the template did not write.
public struct TextTemplate: Sendable {
    public let name: String
    private let program: MustacheProgram

    public init(name: String, source: String) throws(TemplateError) {
        self.name = name
        guard source.utf8.count <= TemplateLimits.maxTemplateBytes else {
            throw TemplateError(file: name, line: nil, message: "the template is \(source.utf8.count) bytes; the limit is \(TemplateLimits.maxTemplateBytes)")
        }
        let pragma = "{{% CONTENT_TYPE: TEXT}}"
        do {
            program = try MustacheProgram(pragma + source)
        } catch {
            throw TemplateError(file: name, line: MustacheProgram.line(of: error.position, in: pragma + source), message: error.reason)
        }
    }

    /// Every name the template asks for, with its line.
    public var names: [(name: String, line: Int)] { program.names }

    /// The text as UTF-8; `clean` turns each text value into what is written (a URL is written as its path, trusted
    /// HTML never: this is not a page).
    public func renderBytes(_ value: TemplateValue, clean: (String) -> String) throws(TemplateError) -> [UInt8] {
        var out = ByteOutput()
        out.bytes.reserveCapacity(4096)
        var unknown: [MustacheProgram.Name] = []
        program.render(value, into: &out, unknown: &unknown) { value, _, _, out in
            switch value {
            case .text(let text): out.append(clean(text))
            case .url(let url): out.append(clean(url.path))
            default: break
            }
        }
        if let name = unknown.first {
            throw TemplateError(file: self.name, line: name.line,
                                message: "{{\(name.text)}} names nothing this page has; check the spelling against docs/templates.md")
        }
        return out.bytes
    }
}
