import Foundation
import TenantModel

/// The pieces of an Internet message that need encoding rules (RFC 5322, 2045, 2046, 2047): header fields
/// folded to 78 characters, non-ASCII words as encoded-words, bodies in quoted-printable, CRLF everywhere.
public enum MIME {
    public static let crlf = "\r\n"
    /// RFC 5322 recommends lines of at most 78 characters (without CRLF); we never exceed it.
    public static let maxLineLength = 78

    // MARK: Quoted-printable (RFC 2045 §6.7)

    /// Encodes text as quoted-printable UTF-8 with CRLF line ends and lines of at most 76 characters.
    /// Any line end in `text` (LF, CR or CRLF) becomes a hard CRLF line break. A leading `.` and a leading
    /// `From ` are encoded too, so the body survives SMTP dot-stuffing and mbox files unchanged.
    public static func quotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        appendQuotedPrintable(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended to a message's bytes.
    public static func appendQuotedPrintable(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuotedPrintable($0, to: &out) }
    }

    /// The same from UTF-8 bytes: one pass, written through a pointer into space reserved for the worst case
    /// (every byte as `=XX`, plus soft breaks), then copied in one piece. An e-mail body is kilobytes long,
    /// and a big site has thousands of them.
    public static func appendQuotedPrintable(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard bytes.count > 0 else { return }
        let worst = 3 * bytes.count + 3 * (3 * bytes.count / 70 + 1) + 16  // a soft-broken line holds ≥ 73
        let encoded = [UInt8](unsafeUninitializedCapacity: worst) { buffer, count in
            count = encode(bytes, into: buffer.baseAddress!)
        }
        out.append(contentsOf: encoded)
    }

    /// The same for UTF-8 bytes (a page rendered as bytes).
    public static func appendQuotedPrintable(bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendQuotedPrintable($0, to: &out) }
    }

    /// Encodes `bytes`, returning how many bytes it wrote to `out`.
    private static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let end = bytes.count
        var n = 0
        var index = 0
        while true {
            // One line of the text (up to CR, LF or the end): eight bytes at a time while none of them is a
            // control character (an e-mail's HTML has long lines).
            var lineEnd = index
            let base = UnsafeRawPointer(bytes.baseAddress!)
            while lineEnd &+ 8 <= end, !Word.hasByte(below: 14, base.loadUnaligned(fromByteOffset: lineEnd, as: UInt64.self)) { lineEnd &+= 8 }
            while lineEnd < end, bytes[lineEnd] != 10, bytes[lineEnd] != 13 { lineEnd += 1 }
            n = encodeLine(bytes, index, lineEnd, out, n)
            if lineEnd == end { return n }
            out[n] = 13
            out[n + 1] = 10
            n += 2
            index = lineEnd + 1
            if bytes[lineEnd] == 13, index < end, bytes[index] == 10 { index += 1 }
        }
    }

    /// Tests on eight bytes at once (a `UInt64` read from memory, any byte order): "has a byte below n"
    /// (exact: a word it says no about has none; a yes may be wrong, and the caller then looks byte by byte).
    enum Word {
        static let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080

        @inline(__always) static func hasByte(below n: UInt8, _ word: UInt64) -> Bool {
            (word &- ones &* UInt64(n)) & ~word & highs != 0
        }

        /// Every byte is printable ASCII or a space (0x20...0x7E) and none is `=`: written as it is, inside a line.
        @inline(__always) static func isPlain(_ word: UInt64) -> Bool {
            let highOrDelete = (word | (word &+ ones)) & highs  // a byte ≥ 0x7F
            let equals = word ^ (ones &* 0x3D)  // a zero byte where `=` was
            return highOrDelete == 0 && !hasByte(below: 0x20, word) && !hasByte(below: 1, equals)
        }
    }

    @inline(__always) private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x37 + value }

    /// Printable ASCII but `=`: may stand as it is anywhere inside a line.
    @inline(__always) private static func isPrintable(_ byte: UInt8) -> Bool { byte &- 33 < 94 && byte != UInt8(ascii: "=") }

    /// One line of text (`bytes[start..<end]`, no line ends) as quoted-printable lines of at most 76
    /// characters joined by soft breaks; returns the new output count.
    private static func encodeLine(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                   _ out: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var n = count
        var column = 0
        let startsWithFrom = end - start >= 5 && bytes[start] == 0x46 && bytes[start + 1] == 0x72 && bytes[start + 2] == 0x6F
            && bytes[start + 3] == 0x6D && bytes[start + 4] == 0x20  // "From "
        var index = start
        let last = end - 1
        while index < end {
            // The common case first: a run of characters that stand as they are, before the line's last
            // character, copied up to column 75 (in column one only if it is not a dot or "From ").
            if column != 0 || (bytes[index] != UInt8(ascii: ".") && !(index == start && startsWithFrom)) {
                // (Wrapping arithmetic in these two loops: the bounds keep every value small, and the
                // overflow checks were a third of their cost.)
                let stop = min(last, index &+ (75 &- column))
                var i = index
                // Eight at a time while all eight are printable ASCII or spaces, none `=`.
                let source = UnsafeRawPointer(bytes.baseAddress!)
                while i &+ 8 <= stop {
                    let word = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    guard Word.isPlain(word) else { break }
                    UnsafeMutableRawPointer(out + n).storeBytes(of: word, as: UInt64.self)
                    n &+= 8
                    i &+= 8
                }
                while i < stop {
                    let b = bytes[i]
                    if !isPrintable(b), b != 0x20, b != 0x09 { break }
                    out[n] = b
                    n &+= 1
                    i &+= 1
                }
                column += i - index
                index = i
                if index == end { break }
                // Column 75 with more to come (not the line's last character): a soft break, as below.
                if column == 75, index < last {
                    out[n] = UInt8(ascii: "=")
                    out[n + 1] = 13
                    out[n + 2] = 10
                    n += 3
                    column = 0
                    continue
                }
            }
            let byte = bytes[index]
            let isLast = index == last
            let literal: Bool
            if isPrintable(byte) {
                literal = true
            } else if byte == 0x20 || byte == 0x09 {
                literal = !isLast
            } else {
                literal = false
            }
            var width = literal ? 1 : 3
            // A soft break ("=") needs one column: a line holds 75 characters and "=", or 76 at the line's end.
            if column + width > (isLast ? 76 : 75) {
                out[n] = UInt8(ascii: "=")
                out[n + 1] = 13
                out[n + 2] = 10
                n += 3
                column = 0
            }
            // A dot or "From " in column one is encoded, so SMTP dot-stuffing and mbox files leave the body alone.
            let atColumnOne = column == 0 && (byte == UInt8(ascii: ".") || (index == start && startsWithFrom))
            if literal && !atColumnOne {
                out[n] = byte
                n += 1
            } else {
                out[n] = UInt8(ascii: "=")
                out[n + 1] = hexDigit(byte >> 4)
                out[n + 2] = hexDigit(byte & 0x0F)
                n += 3
                width = 3
            }
            column += width
            index += 1
        }
        return n
    }

    // MARK: Header fields

    /// Whether `text` has "=?" (what starts an encoded-word), looked for in its bytes: a substring search on
    /// `String` goes through the general string-processing machinery, dear for every header of every e-mail.
    static func hasEncodedWordStart(_ text: some StringProtocol) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return true }
            previous = byte
        }
        return false
    }

    /// Whether a header word can go out as it is (printable ASCII, no encoded-word look-alike).
    static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } && !hasEncodedWordStart(text)
    }

    /// Control characters and line breaks in data become spaces: a header value is one logical line.
    public static func singleLine(_ text: String) -> String {
        // Control characters are single bytes in UTF-8: most values have none and go out as they are.
        var copy = text
        guard copy.withUTF8({ $0.contains { $0 < 0x20 || $0 == 0x7F } }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// RFC 2047 encoded-words (`=?UTF-8?B?…?=`), each at most 75 characters, never splitting a character.
    /// Cuts fall right after a space when one is near (the space stays inside the earlier word, since
    /// decoders drop the whitespace *between* encoded-words), so a word is never cut in two unless it alone
    /// is longer than one encoded-word.
    public static func encodedWords(_ text: String) -> [String] {
        // 39 bytes of UTF-8 → 52 base64 characters; with "=?UTF-8?B?" and "?=" that is 64 ≤ 75, short
        // enough to share the first line with any header name we write ("Subject: " + 64 < 78).
        let limit = 39
        var words: [String] = []
        var chunk: [Character] = []
        var bytes = 0
        func emit(_ characters: [Character]) {
            words.append("=?UTF-8?B?" + Data(String(characters).utf8).base64EncodedString() + "?=")
        }
        for character in text {
            let size = String(character).utf8.count
            if bytes + size > limit, !chunk.isEmpty {
                if let space = chunk.lastIndex(of: " "), space + 1 < chunk.count {
                    emit(Array(chunk[...space]))
                    chunk = Array(chunk[(space + 1)...])
                } else {
                    emit(chunk)
                    chunk = []
                }
                bytes = String(chunk).utf8.count
            }
            chunk.append(character)
            bytes += size
        }
        if !chunk.isEmpty { emit(chunk) }
        return words
    }

    /// The words of a header value: those that may go out as they are stay plain, each run of the others
    /// becomes encoded-words. A space between a plain word and an encoded-word is kept by every decoder;
    /// spaces inside a run are encoded with it.
    static func mixedWords(_ text: String, isPlain: (Substring) -> Bool) -> [String] {
        var out: [String] = []
        var run: [Substring] = []
        func flush() {
            if !run.isEmpty { out += encodedWords(run.joined(separator: " ")) }
            run = []
        }
        // Split on the space scalar (a `Character` split walks grapheme clusters; a space followed by a combining
        // mark then starts a word with the mark, which goes out encoded like any non-ASCII word).
        for scalars in text.unicodeScalars.split(separator: " ", omittingEmptySubsequences: true) {
            let word = Substring(scalars)
            if isPlain(word) {
                flush()
                out.append(String(word))
            } else {
                run.append(word)
            }
        }
        flush()
        return out
    }

    /// Printable ASCII that cannot be mistaken for an encoded-word, short enough for one line.
    static func isPlainUnstructured(_ word: Substring) -> Bool {
        word.utf8.count <= maxLineLength - 12 && word.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F } && !hasEncodedWordStart(word)
    }

    /// An RFC 5322 atom: may stand unquoted in a display name.
    static func isAtom(_ word: Substring) -> Bool {
        word.utf8.count <= maxLineLength - 12 && !hasEncodedWordStart(word) && word.unicodeScalars.allSatisfy { s in
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(s)
        }
    }

    /// An unstructured header field (`Subject`), folded at spaces to lines of at most 78 characters;
    /// words that are not plain ASCII go out as encoded-words.
    public static func unstructuredHeader(_ name: String, _ value: String) -> String {
        fold(name, mixedWords(singleLine(value), isPlain: isPlainUnstructured))
    }

    /// A mailbox (`From`, `To`): `"Display Name" <addr@example.com>`, or atoms and encoded-words for a name
    /// that is not plain ASCII. `address` must already be a plain ASCII addr-spec (the snapshot reader checks
    /// e-mail addresses).
    public static func mailboxHeader(_ name: String, displayName: String?, address: String) -> String {
        var words: [String] = []
        if let displayName {
            let text = singleLine(displayName).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            if !text.isEmpty {
                let quoted = "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
                if isPlainASCII(text), quoted.utf8.count <= maxLineLength - name.utf8.count - 2 {
                    words = [quoted]
                } else {
                    words = mixedWords(text, isPlain: isAtom)
                }
            }
        }
        words.append("<" + address + ">")
        return fold(name, words)
    }

    /// `Name: word word…`, folded between words (CRLF + one space) so no line is longer than 78.
    public static func fold(_ name: String, _ words: [String]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        for word in words {
            if lineLength + 1 + word.utf8.count > maxLineLength, lineLength > name.utf8.count + 1 {
                out += crlf
                lineLength = 0
            }
            out += " " + word
            lineLength += 1 + word.utf8.count
        }
        return out
    }

    // MARK: Dates

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 `date-time` for a wall-clock time in `timeZone`: `Wed, 01 Jul 2026 08:00:00 +0200`.
    public static func dateTime(_ date: CivilDate, hour: Int, minute: Int, in timeZone: TimeZone) -> String {
        // The offset in force at that wall-clock time (near enough: DST never changes at 08:00).
        let approximate = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86400 + hour * 3600 + minute * 60))
        let offset = timeZone.secondsFromGMT(for: approximate)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = weekdays[((date.daysSinceEpoch % 7) + 7) % 7]
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return "\(weekday), \(two(date.day)) \(months[date.month - 1]) \(date.year) \(two(hour)):\(two(minute)):00 \(sign)\(two(magnitude / 60))\(two(magnitude % 60))"
    }
}
