import Foundation
import TenantModel
import Yams

/// The help articles under `content/help/<panel>/<lang>/<article>.md`, with their front matter.
public struct HelpCenter: Sendable {
    public struct Article: Sendable {
        public var panel: HelpLinks.Panel
        public var language: Language
        public var slug: String
        public var file: String
        public var title: String
        public var summary: String
        public var order: Int
        public var topics: [String]
        public var related: [String]
        public var body: String
        /// Line of the body's first line in the file, so Markdown problems can name the file's own line.
        public var bodyLine: Int
    }

    public var articles: [Article]

    public init(articles: [Article] = []) { self.articles = articles }

    /// (panel, topic) → article slug, for linking the reports to the right instructions.
    public var links: HelpLinks {
        var map: [String: String] = [:]
        for article in articles.sorted(by: { ($0.panel.rawValue, $0.order, $0.slug) < ($1.panel.rawValue, $1.order, $1.slug) }) {
            for topic in article.topics where map[HelpLinks.key(article.panel, topic)] == nil {
                map[HelpLinks.key(article.panel, topic)] = article.slug
            }
        }
        return HelpLinks(articles: map)
    }

    public static func load(folder: String) -> Result<HelpCenter, InvalidInput> {
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder) else { return .success(HelpCenter()) }
        var problems: [Diagnostic] = []
        var articles: [Article] = []
        for panelName in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let panelPath = folder + "/" + panelName
            guard let panel = HelpLinks.Panel(rawValue: panelName) else {
                problems.append(Diagnostic(file: panelPath, location: .wholeFile,
                                           message: "not a panel; use one of \(HelpLinks.Panel.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            for language in Language.allCases {
                let languagePath = panelPath + "/" + language.rawValue
                for file in ((try? fm.contentsOfDirectory(atPath: languagePath)) ?? []).filter({ $0.hasSuffix(".md") }).sorted() {
                    let path = languagePath + "/" + file
                    let slug = String(file.dropLast(3))
                    guard SnapshotDecoder.isValidSlug(slug) else {
                        problems.append(Diagnostic(file: path, location: .wholeFile, message: "an article's file name must match \(SnapshotDecoder.slugPattern) + .md"))
                        continue
                    }
                    guard let data = fm.contents(atPath: path), let text = String(validating: Array(data), as: UTF8.self) else {
                        problems.append(Diagnostic(file: path, location: .wholeFile, message: "cannot be read as UTF-8 text"))
                        continue
                    }
                    switch parse(text, file: path, panel: panel, language: language, slug: slug) {
                    case .success(let article): articles.append(article)
                    case .failure(let invalid): problems += invalid.diagnostics
                    }
                }
            }
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(HelpCenter(articles: articles))
    }

    static func parse(_ text: String, file: String, panel: HelpLinks.Panel, language: Language, slug: String) -> Result<Article, InvalidInput> {
        func fail(_ location: SourceLocation, _ message: String) -> Result<Article, InvalidInput> {
            .failure(InvalidInput([Diagnostic(file: file, location: location, message: message)]))
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
              let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return fail(.line(1), "an article starts with front matter between two lines of ---")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch let error as YamlError {
            if case .scanner(_, _, let mark, _) = error { return fail(.lineColumn(line: mark.line + 1, column: mark.column), "front matter: \(error)") }
            if case .parser(_, _, let mark, _) = error { return fail(.lineColumn(line: mark.line + 1, column: mark.column), "front matter: \(error)") }
            return fail(.line(2), "front matter: \(error)")
        } catch {
            return fail(.line(2), "front matter: \(error)")
        }
        guard let fields = loaded as? [String: Any] else { return fail(.line(2), "front matter must be a mapping of fields") }
        var problems: [Diagnostic] = []
        func field<T>(_ name: String, _ type: T.Type, required: Bool = true) -> T? {
            guard let value = fields[name] else {
                if required { problems.append(Diagnostic(file: file, location: .path(JSONPath.root.appending(name)), message: "front matter field is missing")) }
                return nil
            }
            guard let typed = value as? T else {
                problems.append(Diagnostic(file: file, location: .path(JSONPath.root.appending(name)), message: "front matter field has the wrong type"))
                return nil
            }
            return typed
        }
        let known: Set<String> = ["title", "summary", "order", "topics", "related", "panel"]
        for key in fields.keys.sorted() where !known.contains(key) {
            problems.append(Diagnostic(file: file, location: .path(JSONPath.root.appending(key)), message: "unknown front matter field"))
        }
        let title = field("title", String.self)
        let summary = field("summary", String.self)
        let order = field("order", Int.self)
        let topics = field("topics", [Any].self, required: false)?.compactMap { $0 as? String } ?? []
        let related = field("related", [Any].self, required: false)?.compactMap { $0 as? String } ?? []
        if let declared = field("panel", String.self, required: false), declared != panel.rawValue {
            problems.append(Diagnostic(file: file, location: .path(JSONPath.root.appending("panel")), message: "says \(declared) but the file is in \(panel.rawValue)/"))
        }
        guard problems.isEmpty, let title, let summary, let order else { return .failure(InvalidInput(problems)) }
        let body = lines[(end + 1)...].joined(separator: "\n")
        return .success(Article(panel: panel, language: language, slug: slug, file: file, title: title, summary: summary, order: order,
                                topics: topics, related: related, body: body, bodyLine: end + 2))
    }
}
