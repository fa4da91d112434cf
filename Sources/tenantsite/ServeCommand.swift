import ArgumentParser
import Foundation
import Hummingbird
import SiteBuild
import TenantModel

#if canImport(Glibc)
import Glibc
#endif

/// `tenantsite serve`: builds, serves the site on 127.0.0.1, watches `content/` and `templates/`, rebuilds
/// (incrementally: only what changed is made again) and tells open pages to reload. A broken edit shows its
/// `FILE: LOCATION: MESSAGE` lines in the browser, over the last good site, which stays served.
///
/// The reload is a server-sent event from `/_tenantsite/events`; the script that listens, `/_tenantsite/reload.js`, is
/// added to pages as they are served (never to the built files), and only to pages whose Content-Security-Policy
/// lets the site's own scripts run (the e-mail invoice pages do not, and are served as they are).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build, serve the site on 127.0.0.1 and rebuild on every change, reloading open pages.")

    @OptionGroup var site: SiteOptions

    @Option(help: "Folder the site is written to (the same as build's).")
    var output = "output"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: ArgumentHelp("Address to listen on. Only this machine by default; another interface only when you name it.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("How often to look for changes, in milliseconds.", valueName: "ms"))
    var poll = 150

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535, got \(port)") }
        guard (20...5000).contains(poll) else { throw ValidationError("--poll must be 20–5000 ms, got \(poll)") }
    }

    func run() async throws {
        let options = BuildOptions(content: site.content, templates: site.templates, output: output, settings: site.settings, jobs: site.jobs)
        let state = ServeState()
        let watched = [site.content, site.templates]
        await Self.rebuild(options, state: state)

        let watcher = Task.detached {
            var last = Fingerprint.of(watched)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(poll))
                var now = Fingerprint.of(watched)
                guard now != last else { continue }
                // Wait for the editor to finish writing: the same fingerprint twice in a row.
                while true {
                    try? await Task.sleep(for: .milliseconds(40))
                    let again = Fingerprint.of(watched)
                    if again == now { break }
                    now = again
                }
                last = now
                await Self.rebuild(options, state: state)
            }
        }
        defer { watcher.cancel() }

        let root = URL(fileURLWithPath: output).standardizedFileURL.path
        let router = Router()
        router.get("_tenantsite/events") { _, _ -> Response in
            let stream = await state.subscribe()
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for await message in stream {
                    try await writer.write(ByteBuffer(string: message))
                }
                try await writer.finish(nil)
            })
        }
        router.get("_tenantsite/reload.js") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: Self.reloadScript)))
        }
        router.get("/") { request, _ in Self.file(root: root, path: request.uri.path) }
        router.get("**") { request, _ in Self.file(root: root, path: request.uri.path) }

        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "tenantsite"),
                              onServerRunning: { _ in
                                  // Unbuffered: a log file or a pipe sees the line at once, too.
                                  FileHandle.standardOutput.write(Data("tenantsite: serving \(output)/ at http://\(host):\(port)/ — watching \(watched.joined(separator: " and ")); Ctrl-C stops\n".utf8))
                              })
        try await app.runService()
    }

    /// Builds (reusing what did not change) and tells the pages: reload, or here is what is wrong.
    static func rebuild(_ options: BuildOptions, state: ServeState) async {
        let started = ContinuousClock.now
        let outcome: Result<BuildReport, BuildFailure> = await Task.detached {
            do throws(BuildFailure) { return .success(try SiteBuilder.build(options)) } catch { return .failure(error) }
        }.value
        switch outcome {
        case .success(let report):
            let ms = (ContinuousClock.now - started).milliseconds
            FileHandle.standardOutput.write(Data("tenantsite: rebuilt in \(ms) ms: \(report.reusedTenants) of \(report.tenants) tenants unchanged, \(report.filesWritten) files written\n".utf8))
            await state.built()
        case .failure(let failure):
            let text: String
            switch failure {
            case .invalidInput(let diagnostics): text = Diagnostic.printout(diagnostics)
            case .io(let message): text = "tenantsite: \(message)\n"
            }
            FileHandle.standardError.write(Data((text + "tenantsite: the last good site is still served\n").utf8))
            await state.failed(text)
        }
    }

    /// A file of the served tree; a folder's `index.html`; HTML pages with the reload script added.
    static func file(root: String, path: String) -> Response {
        guard let decoded = path.removingPercentEncoding else { return problem(.badRequest) }
        var components = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // Nothing outside the site, nothing hidden (the trees' manifests, the marker).
        guard components.allSatisfy({ !$0.hasPrefix(".") && !$0.contains("\0") && !$0.contains("\\") }) else { return problem(.notFound) }
        let tree = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        var file = ([tree] + components).joined(separator: "/")
        var info = stat()
        if stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            if !decoded.hasSuffix("/") && !components.isEmpty {
                var headers = HTTPFields()
                headers[.location] = "/" + components.joined(separator: "/") + "/"
                return Response(status: .movedPermanently, headers: headers)
            }
            components.append("index.html")
            file += "/index.html"
        }
        guard let bytes = FileManager.default.contents(atPath: file) else {
            // Browsers ask every server for an icon; the site has none.
            if components == ["favicon.ico"] { return Response(status: .noContent) }
            return problem(.notFound)
        }
        let name = components.last ?? "index.html"
        var headers = HTTPFields()
        headers[.contentType] = contentType(name)
        headers[.cacheControl] = "no-store"
        if name.hasSuffix(".html"), var html = String(data: bytes, encoding: .utf8),
           html.contains("script-src 'self'"), let head = html.range(of: "</head>") {
            html.insert(contentsOf: "<script src=\"/_tenantsite/reload.js\" defer></script>\n", at: head.lowerBound)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func problem(_ status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n")))
    }

    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "xml": return "application/xml"
        case "atom": return "application/atom+xml"
        case "ics": return "text/calendar; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "eml": return "message/rfc822"
        case "png": return "image/png"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// Listens for the server's events: reload after a good build; show a failed build's problems over the page
    /// (styled through the CSSOM, which the pages' Content-Security-Policy allows, unlike a style attribute).
    static let reloadScript = """
    (function () {
      "use strict";
      var box = null;
      function show(text) {
        if (!box) {
          box = document.createElement("pre");
          box.id = "tenantsite-problem";
          box.setAttribute("role", "alert");
          var s = box.style;
          s.position = "fixed"; s.left = "1rem"; s.right = "1rem"; s.bottom = "1rem"; s.zIndex = "1000";
          s.maxHeight = "60vh"; s.overflow = "auto"; s.margin = "0"; s.padding = "1rem 1.2rem";
          s.background = "#2b0d0d"; s.color = "#ffe3e0"; s.border = "2px solid #ff6b5e"; s.borderRadius = "8px";
          s.font = "13px/1.5 ui-monospace, 'DejaVu Sans Mono', monospace"; s.whiteSpace = "pre-wrap";
          document.body.appendChild(box);
        }
        box.textContent = text;
      }
      function hide() { if (box) { box.remove(); box = null; } }
      var source = new EventSource("/_tenantsite/events");
      source.addEventListener("reload", function () { window.location.reload(); });
      source.addEventListener("problem", function (event) { show(event.data); });
      source.addEventListener("ok", hide);
    })();
    """
}

/// The server's state: which build is served, the last failure, and the pages listening.
actor ServeState {
    private var problem: String?
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]

    /// A page's stream of events: first how things stand, then each change.
    func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream()
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        listeners[id] = continuation
        continuation.yield(problem.map(Self.event("problem")) ?? Self.event("ok")(""))
        return stream
    }

    private func remove(_ id: UUID) { listeners[id] = nil }

    func built() {
        problem = nil
        broadcast(Self.event("reload")(""))
    }

    func failed(_ text: String) {
        problem = text
        broadcast(Self.event("problem")(text))
    }

    private func broadcast(_ message: String) {
        for continuation in listeners.values { continuation.yield(message) }
    }

    /// One server-sent event; each line of the data on a `data:` line of its own.
    static func event(_ name: String) -> (String) -> String {
        { data in "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n") + "\n\n" }
    }
}

/// What the watched folders look like, by `stat` of every file: a change of any file's size, times or inode, a file
/// added or removed, changes it.
struct Fingerprint: Equatable {
    var entries: [String: [Int]] = [:]

    static func of(_ folders: [String]) -> Fingerprint {
        var print = Fingerprint()
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            for case let relative as String in walker {
                let path = folder + "/" + relative
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                print.entries[path] = [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec, info.st_ctim.tv_nsec,
                                       Int(info.st_ino), Int(info.st_mode)]
            }
        }
        return print
    }
}
