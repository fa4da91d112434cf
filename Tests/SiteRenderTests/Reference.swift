import Mustache
@testable import SiteRender

// swift-mustache, the reference the renderer (`MustacheProgram`) is compared with. Only the tests use it: the program
// has one template engine. These conformances make the view-model types readable to it.
extension SlotObject: MustacheParent {}
extension SlotLeaf: MustacheCustomRenderable {}
extension EscapedObject: MustacheParent {}
extension EscapedLeaf: MustacheCustomRenderable {}

enum Reference {
    /// A page template rendered the way pages were rendered before the renderer took over: swift-mustache over lazy
    /// contexts, then the same Markdown compilation and fill.
    static func markdown(_ source: String, _ value: TemplateValue, name: String = "t.md") throws -> String {
        let recorder = SlotRecorder()
        let context = recorder.context(for: value, path: .root)
        let markdown = try MustacheTemplate(string: source).render(context)
        let fragment = try CompiledFragment.compile(markdown: markdown, slotNames: recorder.slots.map(\.path), template: name)
        return String(decoding: try fragment.fill(with: recorder.slots, template: name), as: UTF8.self)
    }
}
