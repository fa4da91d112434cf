import Testing
@testable import SiteRender

/// The one-pass, byte-level `CompiledFragment.split` must cut exactly where the first version (kept here as
/// the reference) cut: same pieces, same holes, same lifted paragraphs.
@Suite struct FragmentSplitTests {
    enum Reference {
        /// Cuts rendered HTML at every token and URL marker.
        static func split(_ html: String, urlSlots: Set<Int>, aloneInParagraph: Set<Int>) -> [CompiledFragment.Piece] {
            var pieces: [CompiledFragment.Piece] = []
            var pending = ""
            var rest = Substring(html)

            // URL markers first: they are plain ASCII inside href="…"/src="…".
            var withURLHoles: [Either] = []
            if urlSlots.isEmpty {
                withURLHoles = [.text(rest)]
            } else {
                while let start = rest.range(of: "tenantsite-slot-") {
                    let afterPrefix = rest[start.upperBound...]
                    let digits = afterPrefix.prefix(while: { $0.isASCII && $0.isNumber })
                    let suffix = afterPrefix[digits.endIndex...]
                    if let index = Int(digits), suffix.hasPrefix("-url"), urlSlots.contains(index) {
                        withURLHoles.append(.text(rest[..<start.lowerBound]))
                        withURLHoles.append(.url(index))
                        rest = suffix.dropFirst(4)
                    } else {
                        withURLHoles.append(.text(rest[..<start.upperBound]))
                        rest = rest[start.upperBound...]
                    }
                }
                withURLHoles.append(.text(rest))
            }

            for part in withURLHoles {
                switch part {
                case .url(let index):
                    pieces.append(.html(Array(pending.utf8)))
                    pending = ""
                    pieces.append(.slot(index: index, context: .url, paragraph: false))
                case .text(let text):
                    let string = String(text)
                    var cursor = string.unicodeScalars.startIndex
                    for token in SlotToken.scan(string) {
                        pending += String(string.unicodeScalars[cursor..<token.range.lowerBound])
                        cursor = token.range.upperBound
                        var paragraph = false
                        if aloneInParagraph.contains(token.index), pending.hasSuffix("<p>"),
                           String(string.unicodeScalars[cursor...]).hasPrefix("</p>\n") {
                            pending.removeLast(3)
                            cursor = string.unicodeScalars.index(cursor, offsetBy: 5)
                            paragraph = true
                        }
                        pieces.append(.html(Array(pending.utf8)))
                        pending = ""
                        pieces.append(.slot(index: token.index, context: .text, paragraph: paragraph))
                    }
                    pending += String(string.unicodeScalars[cursor...])
                }
            }
            pieces.append(.html(Array(pending.utf8)))
            return pieces.filter {
                if case .html(let s) = $0 { return !s.isEmpty }
                return true
            }
        }

        private enum Either {
            case text(Substring)
            case url(Int)
        }

    }

    static func describe(_ pieces: [CompiledFragment.Piece]) -> [String] {
        pieces.map { piece in
            switch piece {
            case .html(let s): return "html:" + String(decoding: s, as: UTF8.self)
            case .slot(let index, let context, let paragraph): return "slot:\(index):\(context):\(paragraph)"
            case .rows(let index): return "rows:\(index)"
            }
        }
    }

    @Test func cutsLikeTheFirstVersion() {
        let parts = ["<p>", "</p>\n", "\u{E000}0\u{E001}", "\u{E000}1\u{E001}", "\u{E000}12\u{E001}", "\u{E000}\u{E001}",
                     "\u{E000}7", "\u{E001}", "tenantsite-slot-1-url", "tenantsite-slot-2-url", "tenantsite-slot-", "-url",
                     "<a href=\"", "\">", "x", "ż", "<td>", "\n", "3", "<p>\u{E000}3\u{E001}</p>\n", "tenantsite-slot-9-urx"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % n }
        var seen = Set<String>()
        for _ in 0..<4000 {
            var html = ""
            for _ in 0..<next(14) { html += parts[next(parts.count)] }
            let urlSlots = Set((0..<13).filter { _ in next(2) == 0 })
            let alone = Set((0..<13).filter { _ in next(2) == 0 })
            let expected = Self.describe(Reference.split(html, urlSlots: urlSlots, aloneInParagraph: alone))
            let actual = Self.describe((try? CompiledFragment.split(html, urlSlots: urlSlots, aloneInParagraph: alone)) ?? [])
            #expect(actual == expected, "\(html.debugDescription) url \(urlSlots.sorted()) alone \(alone.sorted())")
            for piece in actual where piece.hasPrefix("slot:") { seen.insert(String(piece.split(separator: ":", maxSplits: 2)[2])) }
        }
        // The cases exercised every kind of hole.
        #expect(seen == ["text:true", "text:false", "url:false"])
    }
}
