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
        func line(_ text: String) { Self.fold(text, into: &out) }
        line("BEGIN:VCALENDAR")
        line("VERSION:2.0")
        line("PRODID:-//tenantsite//Microsoft 365 tenants//EN")
        line("CALSCALE:GREGORIAN")
        line("METHOD:PUBLISH")
        line("X-WR-CALNAME:" + Self.escape(name))
        let dtstamp = Self.utc(stamp)
        for event in events {
            line("BEGIN:VEVENT")
            line("UID:" + event.uid)
            line("DTSTAMP:" + dtstamp)
            line("DTSTART;VALUE=DATE:" + Self.day(event.date))
            line("DTEND;VALUE=DATE:" + Self.day(event.date.adding(days: 1)))
            line("SUMMARY:" + Self.escape(event.summary))
            line("DESCRIPTION:" + Self.escape(event.description))
            if let url = event.url { line("URL:" + url) }
            line("TRANSP:TRANSPARENT")
            line("END:VEVENT")
        }
        line("END:VCALENDAR")
        return out
    }

    static func day(_ d: CivilDate) -> String { d.iso.replacingOccurrences(of: "-", with: "") }

    /// `20261120T073000Z`.
    static func utc(_ t: Timestamp) -> String {
        t.description.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    /// RFC 5545 §3.3.11: backslash, semicolon, comma and newline escaped; other control characters dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A content line, folded after 75 octets (§3.1) without splitting a UTF-8 sequence, ended with CRLF.
    static func fold(_ text: String, into out: inout [UInt8]) {
        var count = 0
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                // A character's bytes stay on one line: its length from its first byte.
                let lead = bytes[i]
                let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                let end = min(i + length, bytes.count)
                if count + (end - i) > 75 {
                    out.append(contentsOf: [0x0D, 0x0A, 0x20])
                    count = 1
                }
                out.append(contentsOf: bytes[i..<end])
                count += end - i
                i = end
            }
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }
}
