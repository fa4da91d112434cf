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

    /// The same from UTF-8 bytes, appended to `out`.
    public static func appendQuotedPrintable(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard bytes.count > 0 else { return }
        let encoded = [UInt8](unsafeUninitializedCapacity: quotedPrintableCapacity(bytes.count)) { buffer, count in
            count = encodeQuotedPrintable(bytes, into: buffer.baseAddress!)
        }
        out.append(contentsOf: encoded)
    }

    /// Room that `encodeQuotedPrintable` may use for `count` bytes: every byte as `=XX`, a soft break for
    /// every 73 characters (a soft-broken line holds at least 73), and a little more.
    public static func quotedPrintableCapacity(_ count: Int) -> Int {
        3 * count + 3 * (3 * count / 70 + 1) + 24
    }

    /// Quoted-printable of `bytes` written at `out`, which has room for `quotedPrintableCapacity(bytes.count)`
    /// bytes; returns how many it wrote. (For writers that encode straight into a message they allocate once.)
    ///
    /// Most of an e-mail's HTML is runs of printable ASCII between an `=` here and a line end there: each run
    /// is measured sixteen bytes at a time (`plainRunEnd`) and copied in pieces that end at column 75, with
    /// a soft break after each. The general rule (`encodeByte`) takes what the runs leave: line ends, a dot or
    /// "From " in column one, the last character of a line, and the bytes written `=XX` where they need a
    /// soft break first.
    public static func encodeQuotedPrintable(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let source = bytes.baseAddress else { return 0 }
        var s = QPState(end: bytes.count)
        // (Wrapping arithmetic: every value is bounded by the buffers' sizes, and overflow checks were a good
        // part of the loop's cost.)
        while s.i < s.end {
            let byte = source[s.i]
            if isPlainByte(byte) {
                let runEnd = plainRunEnd(source, from: s.i, s.end)
                // The last byte of a run that ends its line takes the general rule (it may stand in column 76,
                // and a space there is written `=20`).
                let stop = isLineEnd(source, runEnd, s.end) ? runEnd &- 1 : runEnd
                copyRun(source, out, upTo: stop, &s)
                if s.i == runEnd { continue }
                encodeByte(source, out, &s)  // the run's last byte, or one in column one
                continue
            }
            // `=XX` where it fits before column 75 (anywhere: no rule of column one or of a line's last
            // character changes an encoded byte).
            if needsEncoding(byte), s.n &+ 3 <= s.lineOut &+ 75 {
                writeHex(byte, out + s.n)
                s.n &+= 3
                s.i &+= 1
                continue
            }
            encodeByte(source, out, &s)
        }
        return s.n
    }

    /// Where the encoder is: `i` in the input, `n` in the output, where the current output line starts (in the
    /// output) and where the current input line starts (in the input).
    private struct QPState {
        let end: Int
        var i = 0, n = 0, lineOut = 0, lineIn = 0
        init(end: Int) { self.end = end }
    }

    /// Printable ASCII or a space, but `=`: what a run holds.
    @inline(__always) private static func isPlainByte(_ b: UInt8) -> Bool { b &- 0x20 < 0x5F && b != 0x3D }

    /// Where the run of plain bytes that starts at `i` ends: sixteen bytes at a time, then eight, then one.
    @inline(__always) private static func plainRunEnd(_ source: UnsafePointer<UInt8>, from i: Int, _ end: Int) -> Int {
        let raw = UnsafeRawPointer(source)
        var j = i
        while j &+ 16 <= end, Word.arePlain((raw + j).loadUnaligned(as: SIMD2<UInt64>.self)) { j &+= 16 }
        while j &+ 8 <= end {
            let plain = Word.plainPrefix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)))
            j &+= plain
            if plain < 8 { return j }
        }
        while j < end, isPlainByte(source[j]) { j &+= 1 }
        return j
    }

    /// Copies plain bytes from `s.i` up to `stop` (none of them the last of its line) as they are, in pieces
    /// that end at column 75, each followed by a soft break when more follows; stops early at a byte in column
    /// one that may need its rule (a dot, an `F` starting a line).
    @inline(__always) private static func copyRun(_ source: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>,
                                                  upTo stop: Int, _ s: inout QPState) {
        while s.i < stop {
            if s.n == s.lineOut, mayNeedColumnOneRule(source[s.i], atLineStart: s.i == s.lineIn) { return }
            let room = s.lineOut &+ 75 &- s.n
            if room <= 0 {
                // Column 75 and the next character is not the line's last: a soft break.
                out[s.n] = UInt8(ascii: "=")
                out[s.n &+ 1] = 13
                out[s.n &+ 2] = 10
                s.n &+= 3
                s.lineOut = s.n
                continue
            }
            let count = min(stop &- s.i, room)
            UnsafeMutableRawPointer(out + s.n).copyMemory(from: source + s.i, byteCount: count)
            s.n &+= count
            s.i &+= count
        }
    }

    /// The general rule for the byte at `s.i` (RFC 2045 §6.7 with our additions):
    /// - a line end (LF, CR or CRLF) is a hard line break, CRLF;
    /// - printable ASCII but `=` stands as it is, and so do a space and a tab that do not end their line;
    ///   everything else is `=XX`;
    /// - a soft break (`=` CRLF) goes first where the character would not fit: a line holds 75 characters
    ///   and the `=`, or 76 when the character is the last of its line;
    /// - a dot in column one, and the `F` of a "From " that starts a line, are encoded, so SMTP dot-stuffing
    ///   and mbox files leave the body alone.
    private static func encodeByte(_ source: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ s: inout QPState) {
        let byte = source[s.i]
        if byte == 10 || byte == 13 {
            out[s.n] = 13
            out[s.n + 1] = 10
            s.n += 2
            s.i += 1
            if byte == 13, s.i < s.end, source[s.i] == 10 { s.i += 1 }
            s.lineOut = s.n
            s.lineIn = s.i
            return
        }
        let isLast = isLineEnd(source, s.i + 1, s.end)
        let literal = isPrintable(byte) || ((byte == 0x20 || byte == 0x09) && !isLast)
        if s.n - s.lineOut + (literal ? 1 : 3) > (isLast ? 76 : 75) {
            out[s.n] = UInt8(ascii: "=")
            out[s.n + 1] = 13
            out[s.n + 2] = 10
            s.n += 3
            s.lineOut = s.n
        }
        let atColumnOne = s.n == s.lineOut && (byte == UInt8(ascii: ".") || (s.i == s.lineIn && startsWithFrom(source, s.i, s.end)))
        if literal && !atColumnOne {
            out[s.n] = byte
            s.n += 1
        } else {
            writeHex(byte, out + s.n)
            s.n += 3
        }
        s.i += 1
    }

    /// Bytes that are always written `=XX`: every byte ≥ 0x80 and DEL, `=`, and the controls but tab, CR and LF.
    @inline(__always) private static func needsEncoding(_ b: UInt8) -> Bool {
        b >= 0x7F || b == 0x3D || (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D)
    }

    /// Whether `i` is at the end of its input line (a CR, an LF or the end of the input).
    @inline(__always) private static func isLineEnd(_ source: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        i >= end || source[i] == 10 || source[i] == 13
    }

    /// In column one: a dot, or an `F` that starts an input line (perhaps "From ").
    @inline(__always) private static func mayNeedColumnOneRule(_ byte: UInt8, atLineStart: Bool) -> Bool {
        byte == UInt8(ascii: ".") || (byte == UInt8(ascii: "F") && atLineStart)
    }

    private static func startsWithFrom(_ source: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        end - i >= 5 && source[i] == 0x46 && source[i + 1] == 0x72 && source[i + 2] == 0x6F && source[i + 3] == 0x6D
            && source[i + 4] == 0x20  // "From "
    }

    @inline(__always) private static func writeHex(_ byte: UInt8, _ out: UnsafeMutablePointer<UInt8>) {
        out[0] = UInt8(ascii: "=")
        out[1] = hexDigit(byte >> 4)
        out[2] = hexDigit(byte & 0x0F)
    }

    /// Eight bytes at once (a `UInt64` read from memory as little-endian).
    enum Word {
        static let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080

        /// Whether all sixteen bytes are printable ASCII or spaces, none `=` (the tests of `plainPrefix` on two
        /// words at once, in one vector register).
        @inline(__always) static func arePlain(_ words: SIMD2<UInt64>) -> Bool {
            let ones = SIMD2<UInt64>(repeating: Word.ones)
            let marks = (words | (words &+ ones) | (words &- ones &* 0x20) | ((words ^ (ones &* 0x3D)) &- ones))
            return (marks[0] | marks[1]) & highs == 0
        }

        /// How many of the word's bytes, from its first in memory (the word read as little-endian), are
        /// printable ASCII or spaces and not `=`. Each test below marks the high bit of a byte that fails it;
        /// a carry or borrow moves only towards later bytes, so the first mark is always right (later ones
        /// may be wrong, and are not used).
        @inline(__always) static func plainPrefix(_ word: UInt64) -> Int {
            // (A byte with its own high bit set is marked by `word` itself, so the usual `& ~word` is not needed.)
            let highOrDelete = word | (word &+ ones)  // a byte ≥ 0x7F
            let control = word &- ones &* 0x20  // a byte < 0x20
            let equalsSign = (word ^ (ones &* 0x3D)) &- ones  // a byte that was `=` (then zero) borrows
            return ((highOrDelete | control | equalsSign) & highs).trailingZeroBitCount &>> 3
        }
    }

    @inline(__always) private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x37 + value }

    /// Printable ASCII but `=`: may stand as it is anywhere inside a line.
    @inline(__always) private static func isPrintable(_ byte: UInt8) -> Bool { byte &- 33 < 94 && byte != UInt8(ascii: "=") }

    // MARK: Header fields

    /// Whether `text` has "=?" (what starts an encoded-word), looked for in its bytes: a substring search on
    /// `String` goes through the general string-processing machinery, dear for every header of every e-mail.
    static func hasEncodedWordStart(_ text: some StringProtocol) -> Bool {
        hasEncodedWordStart(text.utf8)
    }

    /// The same on UTF-8 bytes.
    static func hasEncodedWordStart(_ bytes: some Sequence<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
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
    ///
    /// Words are cut at the space's byte (0x20 is never part of a multi-byte character in UTF-8), and a run is
    /// a range of the text's bytes from the start of its first word to the end of its last: the text between
    /// two words is one space or more, and the run goes out with single spaces as before.
    static func mixedWords(_ text: String, isPlain: (UnsafeBufferPointer<UInt8>) -> Bool) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [String] = []
            var run: [UnsafeBufferPointer<UInt8>] = []
            func flush() {
                guard !run.isEmpty else { return }
                var joined: [UInt8] = []
                for (i, word) in run.enumerated() {
                    if i > 0 { joined.append(0x20) }
                    joined.append(contentsOf: word)
                }
                out += encodedWords(String(decoding: joined, as: UTF8.self))
                run = []
            }
            var start = 0
            while start < bytes.count {
                if bytes[start] == 0x20 {
                    start += 1
                    continue
                }
                var end = start
                while end < bytes.count, bytes[end] != 0x20 { end += 1 }
                let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if isPlain(word) {
                    flush()
                    out.append(String(decoding: word, as: UTF8.self))
                } else {
                    run.append(word)
                }
                start = end
            }
            flush()
            return out
        }
    }

    /// Printable ASCII that cannot be mistaken for an encoded-word, short enough for one line. (On UTF-8
    /// bytes: every byte of a character beyond ASCII is ≥ 0x80.)
    static func isPlainUnstructured(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count <= maxLineLength - 12 && word.allSatisfy { $0 > 0x20 && $0 < 0x7F } && !hasEncodedWordStart(word)
    }

    private static let atomSpecials = Array("!#$%&'*+-/=?^_`{|}~".utf8)

    /// An RFC 5322 atom: may stand unquoted in a display name.
    static func isAtom(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count <= maxLineLength - 12 && !hasEncodedWordStart(word) && word.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || atomSpecials.contains(b)
        }
    }

    /// An unstructured header field (`Subject`), folded at spaces to lines of at most 78 characters;
    /// words that are not plain ASCII go out as encoded-words.
    public static func unstructuredHeader(_ name: String, _ value: String) -> String {
        fold(name, mixedWords(singleLine(value), isPlain: isPlainUnstructured))
    }

    /// The same, appended to a message's bytes.
    public static func appendUnstructuredHeader(_ name: String, _ value: String, to out: inout [UInt8]) {
        appendFolded(name, mixedWords(singleLine(value), isPlain: isPlainUnstructured), to: &out)
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
        var out: [UInt8] = []
        appendFolded(name, words, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended to a message's bytes.
    public static func appendFolded(_ name: String, _ words: [String], to out: inout [UInt8]) {
        out += name.utf8
        out.append(UInt8(ascii: ":"))
        let nameLength = name.utf8.count + 1
        var lineLength = nameLength
        for word in words {
            let length = word.utf8.count
            if lineLength + 1 + length > maxLineLength, lineLength > nameLength {
                out.append(13)
                out.append(10)
                lineLength = 0
            }
            out.append(0x20)
            out += word.utf8
            lineLength += 1 + length
        }
    }

    // MARK: Dates

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 `date-time` for a wall-clock time in `timeZone`: `Wed, 01 Jul 2026 08:00:00 +0200`.
    public static func dateTime(_ date: CivilDate, hour: Int, minute: Int, in timeZone: TimeZone) -> String {
        var out: [UInt8] = []
        appendDateTime(date, hour: hour, minute: minute, in: timeZone, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended to a message's bytes.
    public static func appendDateTime(_ date: CivilDate, hour: Int, minute: Int, in timeZone: TimeZone, to out: inout [UInt8]) {
        // The offset in force at that wall-clock time (near enough: DST never changes at 08:00).
        let approximate = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86400 + hour * 3600 + minute * 60))
        let offset = timeZone.secondsFromGMT(for: approximate)
        func two(_ n: Int) {
            out.append(UInt8(0x30 + n / 10 % 10))
            out.append(UInt8(0x30 + n % 10))
        }
        out += weekdays[((date.daysSinceEpoch % 7) + 7) % 7].utf8
        out += ", ".utf8
        two(date.day)
        out.append(0x20)
        out += months[date.month - 1].utf8
        out.append(0x20)
        out += String(date.year).utf8
        out.append(0x20)
        two(hour)
        out.append(UInt8(ascii: ":"))
        two(minute)
        out += ":00 ".utf8
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(offset) / 60
        two(magnitude / 60)
        two(magnitude % 60)
    }
}
