import Foundation
import Synchronization
import SiteRender
import TenantModel

/// Everything under `templates/`: the shared layout, one Markdown template per page kind, the string tables
/// of both languages and the static assets. A user points `--templates` at a copy to change any of it.
public struct TemplateSet: Sendable {
    public let folder: String
    public let layout: HTMLTemplate
    /// The wrapper of the e-mail-safe pages (`email-layout.html`): head, page background, link back, sheet.
    public let emailLayout: HTMLTemplate
    public let pages: [String: MarkdownTemplate]
    /// `pages/*.html` by name without extension: whole pages that do not use the shared layout, such as the
    /// self-contained, e-mail-safe invoice.
    public let documents: [String: HTMLTemplate]
    /// `pages/*.txt`: plain-text templates (the text part of an invoice's e-mail).
    public let texts: [String: TextTemplate]
    /// `pages/*.atom`: Atom feeds (XML, each value escaped as for HTML, which XML reads the same way).
    public let feeds: [String: HTMLTemplate]
    public let strings: [Language: StringTable]
    /// The e-mail-safe pages' inline styles (`email-styles.json`), given to them as `s`.
    let emailStyles: EmailStyles
    /// Files copied as they are to `output/assets/`.
    public let assets: [(name: String, bytes: [UInt8])]

    public func page(_ name: String) -> MarkdownTemplate {
        guard let template = pages[name] else { preconditionFailure("template \(name) was checked at load time") }
        return template
    }

    public func document(_ name: String) -> HTMLTemplate {
        guard let template = documents[name] else { preconditionFailure("template \(name).html was checked at load time") }
        return template
    }

    public func feed(_ name: String) -> HTMLTemplate {
        guard let template = feeds[name] else { preconditionFailure("template \(name).atom was checked at load time") }
        return template
    }

    public func text(_ name: String) -> TextTemplate {
        guard let template = texts[name] else { preconditionFailure("template \(name).txt was checked at load time") }
        return template
    }

    /// Loads and checks the whole folder, reporting every problem (missing files, syntax errors with their
    /// line, string keys missing in one language). `requiredPages` are names under `pages/`: without an
    /// extension a Markdown template (`.md`), else the file itself (`invoice.html`, `invoice.txt`).
    public static func load(folder: String, requiredPages: [String]) -> Result<TemplateSet, InvalidInput> {
        var problems: [Diagnostic] = []
        let fm = FileManager.default
        func display(_ parts: String...) -> String { ([folder] + parts).joined(separator: "/") }

        // A linked folder would publish whatever it points at (assets are copied into the site as they are).
        for sub in ["pages", "strings", "strings/pl", "strings/en", "assets"] where InputFile.kind(display(sub)) == .symbolicLink {
            problems.append(Diagnostic(file: display(sub), location: .wholeFile, message: InputFile.Failure.symbolicLink.description))
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }

        var layout: HTMLTemplate?
        let layoutFile = display("layout.html")
        if let source = readText(layoutFile, &problems) {
            do { layout = try HTMLTemplate(name: layoutFile, source: source) } catch { problems.append(error.diagnostic) }
        }

        var emailLayout: HTMLTemplate?
        let emailLayoutFile = display("email-layout.html")
        if let source = readText(emailLayoutFile, &problems) {
            do { emailLayout = try HTMLTemplate(name: emailLayoutFile, source: source) } catch { problems.append(error.diagnostic) }
        }

        var pages: [String: MarkdownTemplate] = [:]
        let pageFolder = display("pages")
        let pageFiles = ((try? fm.contentsOfDirectory(atPath: pageFolder)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        let pageSources = pageFiles.map { file in (file, display("pages", file)) }.compactMap { file, path in
            readText(path, &problems).map { (file: file, path: path, source: $0) }
        }
        // Compiled on every core: checking a template with swift-mustache and compiling it for the fast renderer
        // is most of the time a build spends before its first tenant. Results are taken in file order.
        let compiled = Mutex<[Int: Result<MarkdownTemplate, TemplateError>]>([:])
        DispatchQueue.concurrentPerform(iterations: pageSources.count) { i in
            let page = pageSources[i]
            let result = Result { () throws(TemplateError) -> MarkdownTemplate in try MarkdownTemplate(name: page.path, source: page.source) }
            compiled.withLock { $0[i] = result }
        }
        let results = compiled.withLock { $0 }
        for (i, page) in pageSources.enumerated() {
            switch results[i]! {
            case .success(let template): pages[String(page.file.dropLast(3))] = template
            case .failure(let error): problems.append(error.diagnostic)
            }
        }
        var documents: [String: HTMLTemplate] = [:]
        var texts: [String: TextTemplate] = [:]
        var feeds: [String: HTMLTemplate] = [:]
        let otherFiles = ((try? fm.contentsOfDirectory(atPath: pageFolder)) ?? [])
            .filter { $0.hasSuffix(".html") || $0.hasSuffix(".txt") || $0.hasSuffix(".atom") }.sorted()
        for file in otherFiles {
            let path = display("pages", file)
            guard let source = readText(path, &problems) else { continue }
            do {
                if file.hasSuffix(".html") {
                    documents[String(file.dropLast(5))] = try HTMLTemplate(name: path, source: source)
                } else if file.hasSuffix(".atom") {
                    feeds[String(file.dropLast(5))] = try HTMLTemplate(name: path, source: source)
                } else {
                    texts[String(file.dropLast(4))] = try TextTemplate(name: path, source: source)
                }
            } catch {
                problems.append(error.diagnostic)
            }
        }
        for name in requiredPages {
            let file = name.contains(".") ? name : name + ".md"
            if !pageFiles.contains(file) && !otherFiles.contains(file) {
                problems.append(Diagnostic(file: display("pages", file), location: .wholeFile, message: "this page template is missing"))
            }
        }

        var strings: [Language: StringTable] = [:]
        for language in Language.allCases {
            let languageFolder = display("strings", language.rawValue)
            let files = ((try? fm.contentsOfDirectory(atPath: languageFolder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            if files.isEmpty {
                problems.append(Diagnostic(file: languageFolder, location: .wholeFile, message: "no string tables (*.json) for \(language.rawValue)"))
                continue
            }
            var entries: [String: StringTable.Entry] = [:]
            var origin: [String: String] = [:]
            for file in files {
                let path = display("strings", language.rawValue, file)
                guard let bytes = readBytes(path, limit: maxTextBytes, &problems) else { continue }
                switch StringTable.load(bytes, file: path, language: language) {
                case .failure(let invalid): problems += invalid.diagnostics
                case .success(let table):
                    for (key, entry) in table.entries {
                        if let first = origin[key] {
                            problems.append(Diagnostic(file: path, location: .key(key), message: "the key is also defined in \(first)"))
                        }
                        entries[key] = entry
                        origin[key] = path
                    }
                }
            }
            // `{{t.a.b}}` reads the key `a.b` as a path: with `a.b` and `a.b.c` both defined, one of them could
            // never be reached from a template.
            for key in entries.keys.sorted() {
                var prefix = Substring(key)
                while let dot = prefix.lastIndex(of: ".") {
                    prefix = prefix[..<dot]
                    if entries[String(prefix)] != nil {
                        problems.append(Diagnostic(file: origin[key] ?? languageFolder, location: .key(key),
                                                   message: "the key \"\(prefix)\" (in \(origin[String(prefix)] ?? languageFolder)) is a text, so no key can be under it; rename one of them"))
                    }
                }
            }
            strings[language] = StringTable(language: language, file: languageFolder, entries: entries)
        }
        if strings.count == Language.allCases.count {
            problems += StringTable.compareKeys(Language.allCases.compactMap { strings[$0] })
        }

        var emailStyles: EmailStyles?
        let styleFile = display("email-styles.json")
        if let bytes = readBytes(styleFile, limit: maxTextBytes, &problems) {
            switch EmailStyles.load(bytes, file: styleFile) {
            case .success(let styles): emailStyles = styles
            case .failure(let invalid): problems += invalid.diagnostics
            }
        }

        var assets: [(String, [UInt8])] = []
        let assetFolder = display("assets")
        for file in InputFile.names(in: assetFolder) ?? [] where !file.hasPrefix(".") {
            let path = display("assets", file)
            guard SitePath.isSafeComponent(file) else {
                problems.append(Diagnostic(file: path, location: .wholeFile, message: "an asset's name must be usable in a URL: printable ASCII without spaces or / \\ : \" < > ? * |"))
                continue
            }
            if let bytes = readBytes(path, limit: maxAssetBytes, &problems) { assets.append((file, bytes)) }
        }

        // `{{t.key}}` names a string and `{{s.name}}` a style: checked here for every branch of every template, not only
        // those a build takes.
        var named: [(file: String, names: [(name: String, line: Int)])] = []
        if let layout { named.append((layoutFile, layout.names)) }
        if let emailLayout { named.append((emailLayoutFile, emailLayout.names)) }
        for file in pageFiles { if let page = pages[String(file.dropLast(3))] { named.append((display("pages", file), page.names)) } }
        for file in otherFiles {
            let name = String(file.dropLast(file.hasSuffix(".txt") ? 4 : 5))
            let names = file.hasSuffix(".html") ? documents[name]?.names : file.hasSuffix(".atom") ? feeds[name]?.names : texts[name]?.names
            if let names { named.append((display("pages", file), names)) }
        }
        if let emailStyles {
            for (file, names) in named {
                for (name, line) in names where name.hasPrefix("s.") && emailStyles.names[String(name.dropFirst(2))] == nil {
                    problems.append(Diagnostic(file: file, location: .line(line),
                                               message: "{{\(name)}}: there is no style \"\(name.dropFirst(2))\" in \(styleFile)"))
                }
            }
        }
        if let table = strings[.pl] ?? strings[.en] {
            for (file, names) in named {
                for (name, line) in names where name.hasPrefix("t.") {
                    let key = String(name.dropFirst(2))
                    if table.entries[key] == nil && !table.entries.keys.contains(where: { $0.hasPrefix(key + ".") }) {
                        problems.append(Diagnostic(file: file, location: .line(line),
                                                   message: "{{\(name)}}: there is no string \"\(key)\" in \(table.file)"))
                    }
                }
            }
        }

        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(TemplateSet(folder: folder, layout: layout!, emailLayout: emailLayout!, pages: pages, documents: documents, texts: texts, feeds: feeds, strings: strings,
                                    emailStyles: emailStyles!, assets: assets))
    }

    /// Caps on what a template folder may hold, checked before a file is read: a layout, page template or string
    /// table is text a person writes (the largest shipped is a few KB); an asset is a style sheet, script or image.
    public static let maxTextBytes = 256 * 1024
    public static let maxAssetBytes = 4 * 1024 * 1024

    private static func readBytes(_ path: String, limit: Int, _ problems: inout [Diagnostic]) -> [UInt8]? {
        do {
            return try InputFile.read(path, limit: limit)
        } catch {
            problems.append(Diagnostic(file: path, location: .wholeFile, message: error == .missing ? "the file is missing or cannot be read" : error.description))
            return nil
        }
    }

    private static func readText(_ path: String, _ problems: inout [Diagnostic]) -> String? {
        guard let bytes = readBytes(path, limit: maxTextBytes, &problems) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            problems.append(Diagnostic(file: path, location: .wholeFile, message: "the file is not valid UTF-8"))
            return nil
        }
        return text
    }
}

extension TemplateError {
    var diagnostic: Diagnostic {
        Diagnostic(file: file, location: line.map { .line($0) } ?? .wholeFile, message: message)
    }
}
