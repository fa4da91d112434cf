import TenantModel

/// An iCalendar file (RFC 5545) of all-day events that Outlook and Google Calendar can subscribe to. Built in code: the
/// format's lines, escaping and folding are not something a template should get wrong; the words come from the strings.
/// Every value is deterministic (the stamp is the snapshot's capture time, never the wall clock), so a rebuild gives
/// the same bytes and a subscribed calendar sees no change.
struct ICalendar {
    struct Event {
        /// Stable across rebuilds: made from what the event is about and its date (`StableID`).
        var uid: String
        var date: CivilDate
        var summary: String
        var description: String
        var url: String?
    }

    var name: String
    var stamp: Timestamp
    var events: [Event]

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + events.count * 400)
        // Each content line is put together in `line`, then folded into `out`.
        var line: [UInt8] = []
        func put(_ name: String, _ value: String = "", escaped: Bool = false) {
            line.removeAll(keepingCapacity: true)
            line += name.utf8
            if escaped { Self.appendEscaped(value, to: &line) } else { line += value.utf8 }
            Self.fold(line, into: &out)
        }
        put("BEGIN:VCALENDAR")
        put("VERSION:2.0")
        put("PRODID:-//tenantsite//Microsoft 365 tenants//EN")
        put("CALSCALE:GREGORIAN")
        put("METHOD:PUBLISH")
        put("X-WR-CALNAME:", name, escaped: true)
        let dtstamp = Self.utc(stamp)
        for event in events {
            put("BEGIN:VEVENT")
            put("UID:", event.uid)
            put("DTSTAMP:", dtstamp)
            put("DTSTART;VALUE=DATE:", Self.day(event.date))
            put("DTEND;VALUE=DATE:", Self.day(event.date.adding(days: 1)))
            put("SUMMARY:", event.summary, escaped: true)
            put("DESCRIPTION:", event.description, escaped: true)
            if let url = event.url { put("URL:", url) }
            put("TRANSP:TRANSPARENT")
            put("END:VEVENT")
        }
        put("END:VCALENDAR")
        return out
    }

    /// `20261120`.
    static func day(_ d: CivilDate) -> String { String(decoding: d.iso.utf8.filter { $0 != UInt8(ascii: "-") }, as: UTF8.self) }

    /// `20261120T073000Z`.
    static func utc(_ t: Timestamp) -> String {
        String(decoding: t.description.utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }, as: UTF8.self)
    }

    /// RFC 5545 §3.3.11: backslash, semicolon, comma and newline escaped; other control characters dropped. On bytes:
    /// a character of more than one byte has no byte below 0x80, so bytes can be tested alone.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case UInt8(ascii: ";"): out += [0x5C, UInt8(ascii: ";")]
            case UInt8(ascii: ","): out += [0x5C, UInt8(ascii: ",")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0..<0x20, 0x7F: continue
            default: out.append(byte)
            }
        }
    }

    /// A content line, folded after 75 octets (§3.1) without splitting a UTF-8 sequence, ended with CRLF.
    static func fold(_ bytes: [UInt8], into out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { bytes in
            var count = 0
            var i = 0
            var run = 0  // the start of what is not copied yet
            while i < bytes.count {
                // A character's bytes stay on one line: its length from its first byte.
                let lead = bytes[i]
                let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                let end = min(i + length, bytes.count)
                if count + (end - i) > 75 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                    out.append(contentsOf: [0x0D, 0x0A, 0x20])
                    run = i
                    count = 1
                }
                count += end - i
                i = end
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }
}
