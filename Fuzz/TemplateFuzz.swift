// libFuzzer entry for template rendering. The input is a template and a value, split at the first NUL byte.
//  1. Any template source either fails with a TemplateError or renders: never a crash or a memory error.
//  2. The law of the project: a value never changes a page's structure. The fixed templates below are rendered
//     with the fuzzed value and with a plain word, and their tags must be the same, in the same order.
import Foundation
import TenantModel

private let fixedTemplates: [MarkdownTemplate] = [
    "| {{a}} | {{b}} |\n|---|---:|\n{{#rows}}\n| {{c}} | {{a}} |\n{{/rows}}\n",
    "# {{a}}\n\n{{a}} *{{a}}* [{{a}}]({{u}})\n\n- {{a}}\n- {{#rows}}{{c}}{{/rows}}\n\n> {{a}}\n",
    "{{a}}\n\n{{{a}}}\n\n`{{a}}`\n\n    {{a}}\n\n{{a}}. {{a}}\n",
].map { try! MarkdownTemplate(name: "fixed.md", source: $0) }

private func model(_ value: String) -> TemplateValue {
    .object([
        "a": .text(value), "b": .text(value), "u": .url(.internalLink("../x/index.html")), "flag": .bool(true),
        "rows": .list([.object(["c": .text(value)]), .object(["c": .text("2024. " + value)])]),
    ])
}

private func tags(_ html: String) -> [Substring] {
    // On Unicode scalars, not Characters: a value that starts with a combining mark joins the `>` before it into one
    // Character, and a Character-level match would then miss a tag that is there (a false alarm, not a finding).
    html.matches(of: /<\/?[a-zA-Z][^>]*>/.matchingSemantics(.unicodeScalar)).map { $0.output }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func templateFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let source = String(decoding: bytes[..<split], as: UTF8.self)
    let value = split < bytes.count ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : source

    if let template = try? MarkdownTemplate(name: "fuzz.md", source: source) {
        _ = try? template.render(model(value))
    }
    for template in fixedTemplates {
        let plain = try! template.render(model("word"))
        let fuzzed = try! template.render(model(value))
        precondition(tags(fuzzed) == tags(plain),
                     "a value changed the structure: \(value.debugDescription)")
        precondition(!fuzzed.contains("<script") && !fuzzed.lowercased().contains("href=\"javascript:"), "markup from a value")
    }
    return 0
}
