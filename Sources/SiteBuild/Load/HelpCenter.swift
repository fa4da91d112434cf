import Foundation
import SiteRender
import TenantModel

/// The help articles under `content/help/<panel>/<lang>/<article>.md`, with their front matter
/// (docs/help-articles.md). Loading checks each article and then the whole set: every article in every
/// language, `order` and `topics` equal across languages, `related` and links pointing at real articles and
/// headings. Every problem is reported as `FILE: LINE: MESSAGE`.
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
        /// `panel/slug` of other articles in the same language.
        public var related: [String]
        public var body: String
        /// Line of the body's first line in the file, so Markdown problems can name the file's own line.
        public var bodyLine: Int
        /// The `h2`/`h3` headings of the body with their anchors (lines relative to the body).
        public var headings: [MarkdownArticle.Heading] = []
        /// Where each front matter field starts in the file, for messages.
        var fieldLines: [String: Int] = [:]
        /// The body's links (lines relative to the body), checked once every article is loaded.
        var links: [MarkdownArticle.Link] = []

        /// `panel/slug`, the form `related:` uses.
        public var key: String { "\(panel.rawValue)/\(slug)" }

        /// The file's own line for a line of the body.
        public func fileLine(bodyLine line: Int) -> Int { bodyLine + line - 1 }
    }

    public var articles: [Article]
    private var index: [String: Int]

    public init(articles: [Article] = []) {
        self.articles = articles.sorted { ($0.language.rawValue, $0.panel.rawValue, $0.order, $0.slug) < ($1.language.rawValue, $1.panel.rawValue, $1.order, $1.slug) }
        var index: [String: Int] = [:]
        for (i, article) in self.articles.enumerated() { index[Self.indexKey(article.language, article.panel, article.slug)] = i }
        self.index = index
    }

    private static func indexKey(_ language: Language, _ panel: HelpLinks.Panel, _ slug: String) -> String {
        "\(language.rawValue)/\(panel.rawValue)/\(slug)"
    }

    public func article(_ language: Language, _ panel: HelpLinks.Panel, _ slug: String) -> Article? {
        index[Self.indexKey(language, panel, slug)].map { articles[$0] }
    }

    /// `related:` entries are `panel/slug`.
    public func article(_ language: Language, key: String) -> Article? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let panel = HelpLinks.Panel(rawValue: String(parts[0])) else { return nil }
        return article(language, panel, String(parts[1]))
    }

    /// A panel's articles in one language, in reading order (`order`, then slug).
    public func articles(_ language: Language, _ panel: HelpLinks.Panel) -> [Article] {
        articles.filter { $0.language == language && $0.panel == panel }
    }

    /// Ids the page around an article already uses; headings never take them.
    public static let reservedIDs: Set<String> = ["main", "search", "search-input", "search-results", "search-status", "toc", "related", "pager"]

    /// (panel, topic) → the article with the lowest `order` (then slug) that declares the topic. Topics and
    /// order are the same in every language (checked at load), so one map serves all languages.
    public var links: HelpLinks {
        var map: [String: (order: Int, slug: String)] = [:]
        for article in articles {
            for topic in article.topics {
                let key = HelpLinks.key(article.panel, topic)
                if let best = map[key], (best.order, best.slug) <= (article.order, article.slug) { continue }
                map[key] = (article.order, article.slug)
            }
        }
        return HelpLinks(articles: map.mapValues(\.slug))
    }

    // MARK: Loading

    public static func load(folder: String) -> Result<HelpCenter, InvalidInput> {
        let fm = FileManager.default
        if InputFile.kind(folder) == .symbolicLink {
            return .failure(InvalidInput([Diagnostic(file: folder, location: .wholeFile, message: InputFile.Failure.symbolicLink.description)]))
        }
        guard fm.fileExists(atPath: folder) else { return .success(HelpCenter()) }
        var problems: [Diagnostic] = []
        var articles: [Article] = []
        for panelName in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !panelName.hasPrefix(".") {
            let panelPath = folder + "/" + panelName
            if InputFile.kind(panelPath) == .symbolicLink {
                problems.append(Diagnostic(file: panelPath, location: .wholeFile, message: InputFile.Failure.symbolicLink.description))
                continue
            }
            guard let panel = HelpLinks.Panel(rawValue: panelName) else {
                problems.append(Diagnostic(file: panelPath, location: .wholeFile,
                                           message: "not a panel; use one of \(HelpLinks.Panel.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            for entry in ((try? fm.contentsOfDirectory(atPath: panelPath)) ?? []).sorted() where !entry.hasPrefix(".") && Language(rawValue: entry) == nil {
                problems.append(Diagnostic(file: panelPath + "/" + entry, location: .wholeFile,
                                           message: "not a language folder; use \(Language.allCases.map(\.rawValue).joined(separator: " or "))"))
            }
            for language in Language.allCases {
                let languagePath = panelPath + "/" + language.rawValue
                if InputFile.kind(languagePath) == .symbolicLink {
                    problems.append(Diagnostic(file: languagePath, location: .wholeFile, message: InputFile.Failure.symbolicLink.description))
                    continue
                }
                for file in ((try? fm.contentsOfDirectory(atPath: languagePath)) ?? []).sorted() where !file.hasPrefix(".") {
                    let path = languagePath + "/" + file
                    guard file.hasSuffix(".md") else {
                        problems.append(Diagnostic(file: path, location: .wholeFile, message: "not an article: help articles are <slug>.md files"))
                        continue
                    }
                    let slug = String(file.dropLast(3))
                    guard SnapshotDecoder.isValidSlug(slug) else {
                        problems.append(Diagnostic(file: path, location: .wholeFile, message: "an article's file name must match \(SnapshotDecoder.slugPattern) + .md"))
                        continue
                    }
                    let data: [UInt8]
                    do {
                        data = try InputFile.read(path, limit: MarkdownArticle.maxBytes)
                    } catch {
                        problems.append(Diagnostic(file: path, location: .wholeFile, message: error.description))
                        continue
                    }
                    guard let text = String(validating: data, as: UTF8.self) else {
                        problems.append(Diagnostic(file: path, location: .wholeFile, message: "cannot be read as UTF-8 text"))
                        continue
                    }
                    if let bad = TextLimits.firstForbidden(in: text) {
                        problems.append(Diagnostic(file: path, location: .lineColumn(line: bad.line, column: bad.column),
                                                   message: TextLimits.problem(bad.scalar)))
                        continue
                    }
                    switch parse(text, file: path, panel: panel, language: language, slug: slug) {
                    case .success(let article): articles.append(article)
                    case .failure(let invalid): problems += invalid.diagnostics
                    }
                }
            }
        }
        let center = HelpCenter(articles: articles)
        problems += center.crossCheck()
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(center)
    }

    static func parse(_ text: String, file: String, panel: HelpLinks.Panel, language: Language, slug: String) -> Result<Article, InvalidInput> {
        func fail(_ location: SourceLocation, _ message: String) -> Result<Article, InvalidInput> {
            .failure(InvalidInput([Diagnostic(file: file, location: location, message: message)]))
        }
        // Lines are cut on the byte "\n", never on Characters: in Swift "\r\n" is one Character, so a file saved with
        // Windows line ends would otherwise be one long line.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            Substring(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
        }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            return fail(.line(1), "an article starts with front matter: a line ---, the fields (title, summary, order, topics, related), and another line ---")
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return fail(.line(1), "the front matter is not closed: add a line --- after its last field")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        // The YAML starts on the file's line 2.
        let frontMatter: FrontMatter
        do {
            frontMatter = try FrontMatter(yaml: yaml)
        } catch {
            return fail(.lineColumn(line: error.line + 1, column: error.column), error.message)
        }
        var fieldLines: [String: Int] = [:]
        for name in frontMatter.names { fieldLines[name] = (frontMatter[name]?.line ?? 1) + 1 }
        func lineOf(_ name: String) -> SourceLocation { .line(fieldLines[name] ?? 2) }

        var problems: [Diagnostic] = []
        func problem(_ name: String, _ message: String) { problems.append(Diagnostic(file: file, location: lineOf(name), message: message)) }

        let known = ["title", "summary", "order", "topics", "related", "panel"]
        for key in frontMatter.names where !known.contains(key) {
            problem(key, "unknown front matter field \"\(key)\"; the fields are \(known.joined(separator: ", "))")
        }
        func textField(_ name: String) -> String? {
            guard let field = frontMatter[name] else {
                problems.append(Diagnostic(file: file, location: .line(1), message: "front matter field \"\(name)\" is missing"))
                return nil
            }
            guard case .scalar(let raw, _) = field.value, !field.value.isNull, !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                problem(name, "\"\(name)\" must be a line of text")
                return nil
            }
            let string = raw.trimmingCharacters(in: .whitespaces)
            if let message = TextLimits.problem(inLineOfText: string) {
                problem(name, "\"\(name)\" \(message)")
                return nil
            }
            return string
        }
        func list(_ name: String) -> [String] {
            guard let field = frontMatter[name], !field.value.isNull else { return [] }
            guard case .list(let items) = field.value else {
                problem(name, "\"\(name)\" must be a list, e.g. \(name): [a, b] or one `- item` per line")
                return []
            }
            return items
        }

        let title = textField("title")
        let summary = textField("summary")
        var order: Int?
        switch frontMatter["order"]?.value {
        case nil: problems.append(Diagnostic(file: file, location: .line(1), message: "front matter field \"order\" is missing (the article's place in its panel: 1, 2, 3…)"))
        case .scalar(let text, plain: true)? where !text.isEmpty && text.count <= 6 && text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }): order = Int(text)
        default: problem("order", "\"order\" must be a whole number, 0 or more (the article's place in its panel)")
        }
        let topics = list("topics")
        for topic in topics where !HelpLinks.knownTopics.contains(topic) {
            problem("topics", "unknown topic \"\(topic)\"; the topics reports link to are \(HelpLinks.knownTopics.sorted().joined(separator: ", "))")
        }
        let related = list("related")
        for entry in related {
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count != 2 || HelpLinks.Panel(rawValue: String(parts[0])) == nil || !SnapshotDecoder.isValidSlug(String(parts[1])) {
                problem("related", "related article \"\(entry)\" must be written panel/article, e.g. home-pl/force-sync")
            }
        }
        if let declared = frontMatter["panel"]?.value {
            if declared != .scalar(panel.rawValue, plain: true) && declared != .scalar(panel.rawValue, plain: false) {
                let shown: String
                switch declared {
                case .scalar(let text, _): shown = text
                case .list(let items): shown = "[" + items.joined(separator: ", ") + "]"
                }
                problem("panel", "says panel \(shown) but the file is in \(panel.rawValue)/; remove the field or move the file")
            }
        }

        let body = lines[(end + 1)...].joined(separator: "\n")
        let bodyLine = end + 2
        if let limit = MarkdownLimits.check(body) {
            problems.append(Diagnostic(file: file, location: .line(bodyLine + limit.line - 1), message: limit.message))
            return .failure(InvalidInput(problems))
        }
        let markdown = MarkdownArticle(body, anchor: { Slug.make($0) }, reservedIDs: reservedIDs)
        for line in markdown.topLevelHeadingLines {
            problems.append(Diagnostic(file: file, location: .line(bodyLine + line - 1),
                                       message: "a level-1 heading (# …) in the body; the title comes from the front matter, so start sections with ##"))
        }
        guard problems.isEmpty, let title, let summary, let order else { return .failure(InvalidInput(problems)) }
        return .success(Article(panel: panel, language: language, slug: slug, file: file, title: title, summary: summary, order: order,
                                topics: topics, related: related, body: body, bodyLine: bodyLine, headings: markdown.headings,
                                fieldLines: fieldLines, links: markdown.links))
    }

    // MARK: Checks across articles

    /// Problems that need the whole set: missing translations, order and topics that differ between
    /// languages, two articles with the same place in a panel, related articles and links that point nowhere.
    func crossCheck() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let languageNames: [Language: String] = [.pl: "Polish", .en: "English"]
        // Every article in every language, with the same order and topics.
        var byKey: [String: [Language: Article]] = [:]
        for article in articles { byKey[article.key, default: [:]][article.language] = article }
        for key in byKey.keys.sorted() {
            let versions = byKey[key]!
            let present = Language.allCases.filter { versions[$0] != nil }
            let first = versions[present[0]]!
            for language in Language.allCases where versions[language] == nil {
                problems.append(Diagnostic(file: first.file, location: .wholeFile,
                                           message: "has no \(languageNames[language] ?? language.rawValue) version: add \(Self.path(of: first, in: language))"))
            }
            for language in present.dropFirst() {
                let other = versions[language]!
                if other.order != first.order {
                    problems.append(Diagnostic(file: other.file, location: .line(other.fieldLines["order"] ?? 1),
                                               message: "order is \(other.order) here but \(first.order) in \(first.file); the versions must agree"))
                }
                if Set(other.topics) != Set(first.topics) {
                    problems.append(Diagnostic(file: other.file, location: .line(other.fieldLines["topics"] ?? 1),
                                               message: "topics are [\(other.topics.joined(separator: ", "))] here but [\(first.topics.joined(separator: ", "))] in \(first.file); the versions must agree"))
                }
            }
        }
        // One article per place in a panel.
        var places: [String: Article] = [:]
        for article in articles {
            let place = "\(article.language.rawValue)/\(article.panel.rawValue)/\(article.order)"
            if let taken = places[place] {
                problems.append(Diagnostic(file: article.file, location: .line(article.fieldLines["order"] ?? 1),
                                           message: "order \(article.order) is also used by \(taken.file); give each article of a panel its own place"))
            } else {
                places[place] = article
            }
        }
        // Related articles and links.
        for article in articles {
            for entry in article.related {
                if entry == article.key {
                    problems.append(Diagnostic(file: article.file, location: .line(article.fieldLines["related"] ?? 1), message: "an article is not related to itself: remove \(entry)"))
                } else if self.article(article.language, key: entry) == nil {
                    problems.append(Diagnostic(file: article.file, location: .line(article.fieldLines["related"] ?? 1),
                                               message: "related article \(entry) does not exist (no file \(Self.folder(article))/\(entry.split(separator: "/").first ?? "")/\(article.language.rawValue)/\(entry.split(separator: "/").last ?? "").md)"))
                }
            }
            for link in article.links {
                if case .failure(let problem) = resolve(link, in: article) {
                    problems.append(Diagnostic(file: article.file, location: .lineColumn(line: article.fileLine(bodyLine: link.line), column: link.column), message: problem.message))
                }
            }
        }
        return problems
    }

    /// `content/help` from an article's file path.
    private static func folder(_ article: Article) -> String {
        let parts = article.file.split(separator: "/", omittingEmptySubsequences: false)
        return parts.dropLast(3).joined(separator: "/")
    }

    private static func path(of article: Article, in language: Language) -> String {
        "\(folder(article))/\(article.panel.rawValue)/\(language.rawValue)/\(article.slug).md"
    }

    // MARK: Links in articles

    public struct LinkProblem: Error, Sendable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    /// Where a link in an article's body leads.
    public enum LinkTarget: Sendable, Equatable {
        /// Another article (or this one), optionally at one of its headings.
        case article(panel: HelpLinks.Panel, language: Language, slug: String, fragment: String?)
        /// A heading of the same article (`#id`).
        case fragment(String)
        /// `https:` or `mailto:`.
        case external(SiteURL)
    }

    /// Articles link to each other by their source files, relative to the article (`force-sync.md`,
    /// `../../az-pl/pl/invoices.md#krok-2`), so links also work when reading the Markdown on its own.
    public func resolve(_ link: MarkdownArticle.Link, in article: Article) -> Result<LinkTarget, LinkProblem> {
        let destination = link.destination
        if link.isImage {
            return .failure(LinkProblem("images are not supported in help articles (\"\(destination)\"); describe the screen in words"))
        }
        if destination.isEmpty {
            return .failure(LinkProblem("a link with no destination"))
        }
        if destination.hasPrefix("#") {
            let fragment = String(destination.dropFirst())
            guard article.headings.contains(where: { $0.id == fragment }) else {
                return .failure(LinkProblem("the link \"\(destination)\" points to no heading of this article; its anchors are \(Self.anchorList(article))"))
            }
            return .success(.fragment(fragment))
        }
        let lower = destination.lowercased()
        if let colon = lower.firstIndex(of: ":"), lower[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
            if lower.hasPrefix("https:") || lower.hasPrefix("mailto:") {
                guard let url = SiteURL.external(destination) else {
                    return .failure(LinkProblem("the link \"\(destination)\" is not a valid address (spaces, quotes or non-ASCII characters must be percent-encoded)"))
                }
                return .success(.external(url))
            }
            if lower.hasPrefix("http:") {
                return .failure(LinkProblem("the link \"\(destination)\" uses http:; use https: (a bare www. address is turned into an http: link: write https://… instead)"))
            }
            return .failure(LinkProblem("the link \"\(destination)\" uses \(lower[..<colon]):; only https:, mailto: and links to other articles (other.md) are allowed"))
        }
        if destination.hasPrefix("/") {
            return .failure(LinkProblem("the link \"\(destination)\" is absolute; link to an article by its .md file relative to this one (other.md, ../../az-pl/\(article.language.rawValue)/invoices.md)"))
        }
        var pathPart = Substring(destination)
        var fragment: String?
        if let hash = pathPart.firstIndex(of: "#") {
            fragment = String(pathPart[pathPart.index(after: hash)...])
            pathPart = pathPart[..<hash]
        }
        if pathPart.contains("?") {
            return .failure(LinkProblem("the link \"\(destination)\" has a query (?…); links between articles cannot carry one"))
        }
        guard let decoded = String(pathPart).removingPercentEncoding else {
            return .failure(LinkProblem("the link \"\(destination)\" has a broken percent-encoding"))
        }
        guard decoded.hasSuffix(".md") else {
            return .failure(LinkProblem("the link \"\(destination)\" is neither an article (.md), https: nor mailto:"))
        }
        // Resolve against the article's folder in content/help: <panel>/<lang>/.
        var components = [article.panel.rawValue, article.language.rawValue]
        for part in decoded.split(separator: "/", omittingEmptySubsequences: false) {
            switch part {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return .failure(LinkProblem("the link \"\(destination)\" climbs out of the help folder")) }
                components.removeLast()
            case "": return .failure(LinkProblem("the link \"\(destination)\" has an empty path segment (//)"))
            default: components.append(String(part))
            }
        }
        let expected = "\(Self.folder(article))/\(components.joined(separator: "/"))"
        guard components.count == 3, let panel = HelpLinks.Panel(rawValue: components[0]), let language = Language(rawValue: components[1]) else {
            return .failure(LinkProblem("the link \"\(destination)\" points to no article (\(expected) is not content/help/<panel>/<lang>/<article>.md)"))
        }
        let slug = String(components[2].dropLast(3))
        guard let target = self.article(language, panel, slug) else {
            return .failure(LinkProblem("the link \"\(destination)\" points to no article: \(expected) does not exist"))
        }
        if let fragment {
            guard target.headings.contains(where: { $0.id == fragment }) else {
                return .failure(LinkProblem("the link \"\(destination)\" points to no heading of \(target.file); its anchors are \(Self.anchorList(target))"))
            }
        }
        return .success(.article(panel: panel, language: language, slug: slug, fragment: fragment))
    }

    private static func anchorList(_ article: Article) -> String {
        article.headings.isEmpty ? "(none)" : article.headings.map { "#" + $0.id }.joined(separator: ", ")
    }
}
