import Foundation
import Testing
@testable import SiteRender
import TenantModel

/// The encodings of the ready invoice e-mail and the CSV files.
struct MIMETests {
    /// Decodes quoted-printable the way RFC 2045 says, to check the encoder against.
    static func decodeQP(_ text: String) -> String {
        var bytes: [UInt8] = []
        let lines = text.components(separatedBy: "\r\n")
        for (n, line) in lines.enumerated() {
            var chars = Array(line.utf8)[...]
            var soft = false
            while let c = chars.first {
                chars = chars.dropFirst()
                if c == UInt8(ascii: "=") {
                    if chars.isEmpty { soft = true; break }
                    let hex = String(decoding: chars.prefix(2), as: UTF8.self)
                    bytes.append(UInt8(hex, radix: 16)!)
                    chars = chars.dropFirst(2)
                } else {
                    bytes.append(c)
                }
            }
            if !soft && n < lines.count - 1 { bytes += [13, 10] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        "Zażółć gęślą jaźń",
        "a = b",
        "trailing space \nand tab\t\nend",
        ".leading dot\nFrom the start",
        String(repeating: "ą", count: 200),
        String(repeating: "x", count: 75) + "=" + String(repeating: "y", count: 10),
        String(repeating: "x", count: 76) + "\n" + String(repeating: "x", count: 77),
        "<td style=\"font-family:Arial\">1234,56\u{00A0}zł</td>",
        "",
    ])
    func quotedPrintableRoundTripsWithShortLines(_ text: String) {
        let encoded = MIME.quotedPrintable(text)
        #expect(Self.decodeQP(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(line.utf8.allSatisfy { ($0 >= 33 && $0 <= 126) || $0 == 32 || $0 == 9 })
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            #expect(!line.hasPrefix("."), "a dot in column one")
            #expect(!line.hasPrefix("From "))
        }
        #expect(!encoded.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    static func decodeWords(_ words: [String]) -> String {
        words.map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?") else { return " " + word + " " }
            let base64 = word.dropFirst(10).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined().replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }

    @Test func encodedWordsAreShortAndNeverCutACharacter() {
        let text = "Zażółć \"Gęślą\" Jaźń — księgowość z bardzo długą nazwą działu rozliczeń 👩‍👩‍👧"
        let words = MIME.encodedWords(text)
        #expect(words.count > 1)
        for word in words {
            #expect(word.utf8.count <= 75)
            let base64 = word.dropFirst(10).dropLast(2)
            #expect(String(validating: Array(Data(base64Encoded: String(base64))!), as: UTF8.self) != nil, "a character was cut")
        }
        // Adjacent encoded-words join with nothing between them (RFC 2047 §6.2).
        #expect(words.map { String(decoding: Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))!, as: UTF8.self) }.joined() == text)
        // Cuts fall after a space: no word of the text is split.
        for word in words.dropLast() {
            #expect(String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self).hasSuffix(" "))
        }
    }

    @Test func headersFoldAt78AndKeepPlainWordsReadable() {
        let subject = MIME.unstructuredHeader("Subject", "Faktura korygująca FK/2026/06/00007 — home.pl S.A.\r\nBcc: evil@example.com")
        for line in subject.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
        #expect(subject.hasPrefix("Subject: Faktura =?UTF-8?B?"))
        #expect(!subject.contains("\r\nBcc:"), "a line break in data never starts a new header")
        let to = MIME.mailboxHeader("To", displayName: "Nordlicht Logistics – Accounts Payable", address: "ap@example.de")
        #expect(to == "To: Nordlicht Logistics =?UTF-8?B?4oCT?= Accounts Payable <ap@example.de>")
        #expect(MIME.mailboxHeader("From", displayName: "Dostawca \"Chmura\" sp. z o.o.", address: "a@b.invalid")
                == "From: \"Dostawca \\\"Chmura\\\" sp. z o.o.\" <a@b.invalid>")
        #expect(MIME.mailboxHeader("To", displayName: nil, address: "a@b.pl") == "To: <a@b.pl>")
        let long = MIME.mailboxHeader("To", displayName: String(repeating: "Łąka ", count: 30), address: "a@b.pl")
        for line in long.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
    }

    @Test func datesAreOnWarsawsClock() {
        #expect(MIME.dateTime(CivilDate(iso: "2026-07-01")!, hour: 8, minute: 0, in: .warsaw) == "Wed, 01 Jul 2026 08:00:00 +0200")
        #expect(MIME.dateTime(CivilDate(iso: "2026-11-09")!, hour: 8, minute: 0, in: .warsaw) == "Mon, 09 Nov 2026 08:00:00 +0100")
        #expect(MIME.dateTime(CivilDate(iso: "2024-02-29")!, hour: 8, minute: 0, in: .warsaw) == "Thu, 29 Feb 2024 08:00:00 +0100")
        // The morning after the spring change (29 March 2026, 02:00 → 03:00) is already summer time.
        #expect(MIME.dateTime(CivilDate(iso: "2026-03-29")!, hour: 8, minute: 0, in: .warsaw) == "Sun, 29 Mar 2026 08:00:00 +0200")
    }

    @Test func csvQuotingSeparatorsAndFormulas() {
        var pl = CSVWriter(language: .pl)
        pl.header(["Numer", "Kwota"])
        pl.row([.text("A;1"), .amount(Amount(exactly: "-1234.5")!), .text("say \"hi\""), .text("=SUM(A1)"), .text("two\nlines"), .date(nil)])
        #expect(pl.text == "\u{FEFF}Numer;Kwota\r\n\"A;1\";-1234,50;\"say \"\"hi\"\"\";'=SUM(A1);\"two\nlines\";\r\n")
        var en = CSVWriter(language: .en)
        en.row([.text("Overdue, partly paid"), .amount(Amount(exactly: "0.005")!), .date(CivilDate(iso: "2024-02-29"))])
        #expect(en.text == "\u{FEFF}\"Overdue, partly paid\",0.01,2024-02-29\r\n")
    }
}
