import Foundation
import Testing

/// The one way tests compare with checked-in expectations. Files are stored as a reader reviews them: an HTML
/// page as its `<main>` (the layout is the same on every page and is checked once, on the home page), an e-mail
/// decoded (headers unfolded, the text part in plain UTF-8, the HTML part named by its size: it is the invoice's
/// page, compared on its own). `UPDATE_GOLDEN=1 swift test --filter …` rewrites them; a mismatch shows a diff.
enum Golden {
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    /// Compares `actual` (relative path → text) with the files under `folder`, which must hold exactly those files.
    static func check(_ actual: [String: String], folder: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        if updating {
            try? FileManager.default.removeItem(at: folder)
            for (path, text) in actual {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return
        }
        let expected = tree(folder).mapValues { String(decoding: $0, as: UTF8.self) }
        #expect(!expected.isEmpty, "no golden files in \(folder.lastPathComponent): run UPDATE_GOLDEN=1 swift test", sourceLocation: sourceLocation)
        let missing = Set(expected.keys).subtracting(actual.keys).sorted(), extra = Set(actual.keys).subtracting(expected.keys).sorted()
        #expect(missing.isEmpty, "no longer made: \(missing.prefix(10))", sourceLocation: sourceLocation)
        #expect(extra.isEmpty, "not in the golden set: \(extra.prefix(10))", sourceLocation: sourceLocation)
        for path in Set(expected.keys).intersection(actual.keys).sorted() where expected[path] != actual[path] {
            Issue.record("\(path) differs from the golden file (UPDATE_GOLDEN=1 to accept):\n\(diff(expected[path]!, actual[path]!))",
                         sourceLocation: sourceLocation)
        }
    }

    /// A unified diff of two texts, its first 40 lines (the system's `diff`).
    static func diff(_ expected: String, _ actual: String) -> String {
        guard let folder = try? temporaryFolder("tenantsite-diff") else { return "" }
        defer { cleanUp(folder) }
        let a = folder.appendingPathComponent("golden"), b = folder.appendingPathComponent("actual")
        try? Data(expected.utf8).write(to: a)
        try? Data(actual.utf8).write(to: b)
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", a.path, b.path]
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).prefix(40).joined(separator: "\n")
    }

    /// What is stored of a built file: see the type's documentation.
    static func reviewable(_ path: String, _ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        if path.hasSuffix(".eml") { return decodedEmail(text) }
        if path.hasSuffix(".html"), let start = text.range(of: "<main"), let end = text.range(of: "</main>", range: start.upperBound..<text.endIndex) {
            return String(text[start.lowerBound..<end.upperBound]) + "\n"
        }
        // An e-mail-safe page (an invoice): what its sheet holds, without the e-mail layout around it.
        if path.hasSuffix(".html"), let sheet = text.range(of: "class=\"sheet\""),
           let cell = text.range(of: "<td", range: sheet.upperBound..<text.endIndex),
           let cellEnd = text.range(of: ">", range: cell.upperBound..<text.endIndex),
           let close = text.range(of: "</td></tr>\n</table>\n</td></tr>", options: .backwards) , close.lowerBound > cellEnd.upperBound {
            return String(text[cellEnd.upperBound..<close.lowerBound])
        }
        return text
    }

    /// Headers unfolded, then each part: its headers and, for text, its body decoded from quoted-printable.
    static func decodedEmail(_ eml: String) -> String {
        let message = eml.replacingOccurrences(of: "\r\n", with: "\n")
        guard let split = message.range(of: "\n\n") else { return message }
        let headers = message[..<split.lowerBound].replacingOccurrences(of: "\n ", with: " ")
        var out = headers + "\n"
        guard let boundary = headers.firstMatch(of: /boundary="([^"]+)"/)?.1 else { return out + "\n" + message[split.upperBound...] }
        for part in message[split.upperBound...].components(separatedBy: "--" + boundary).dropFirst() {
            guard let partSplit = part.range(of: "\n\n") else { continue }
            let partHeaders = part[..<partSplit.lowerBound].trimmingCharacters(in: .newlines)
            let body = String(part[partSplit.upperBound...])
            if partHeaders.contains("text/plain") {
                out += "\n" + partHeaders + "\n\n" + quotedPrintableDecoded(body)
            } else if partHeaders.contains("text/html") {
                out += "\n" + partHeaders + "\n\n[the invoice page: \(quotedPrintableDecoded(body).utf8.count) bytes]\n"
            }
        }
        return out
    }

    static func quotedPrintableDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            default: return nil
            }
        }
        while i < input.count {
            if input[i] == UInt8(ascii: "="), i + 1 < input.count, input[i + 1] == 0x0A {
                i += 2  // soft line break
            } else if input[i] == UInt8(ascii: "="), i + 2 < input.count, let h = hex(input[i + 1]), let l = hex(input[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
