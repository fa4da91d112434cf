import Foundation
import SiteRender
import TenantModel

/// `invoices/<number-slug>.eml`: a complete message (RFC 5322, MIME 2045/2046/2047) that `sendmail -t` or a
/// mail client can send as it is. Everything in it is derived from the snapshot, so it is byte-for-byte the
/// same on every build. docs/invoices.md lists each header's source.
enum InvoiceEmail {
    /// The seller's data has no e-mail address; `.invalid` (RFC 2606) can never belong to anyone, so the
    /// message never claims a real domain it was not sent from. The sender replaces it (Outlook opens the
    /// file as a draft thanks to `X-Unsent: 1`).
    static let defaultFromAddress = "no-reply@tenantsite.invalid"
    static let messageIdDomain = "tenantsite.invalid"

    /// Writes the messages of one tenant's documents: what is the same for all of them (the recipient, the
    /// sender's header for each seller, the words) is made once.
    struct Composer {
        let tenant: TenantContext
        let words: InvoiceWords
        private let toHeader: String
        /// `From:` per seller name: a mailbox header with encoded-words is dear, and a tenant's documents
        /// mostly come from one or two sellers.
        private var fromHeaders: [String: String] = [:]

        init(tenant: TenantContext, words: InvoiceWords) {
            self.tenant = tenant
            self.words = words
            if let contact = tenant.snapshot.tenant.billingContact {
                toHeader = MIME.mailboxHeader("To", displayName: contact.displayName, address: contact.email)
            } else {
                toHeader = "To: undisclosed-recipients:;"
            }
        }

        /// - Parameters:
        ///   - html: the HTML part (`pages/invoice.html` without the link back).
        ///   - text: the text part (`pages/invoice.txt`).
        ///   - code: a KSeF invoice's KOD I, sent as an inline PNG with the invoice's file attached.
        mutating func message(_ invoice: Invoice, html: [UInt8], text: [UInt8], code: QRCode? = nil) -> [UInt8] {
            let from: String
            if let cached = fromHeaders[invoice.seller.name] {
                from = cached
            } else {
                from = MIME.mailboxHeader("From", displayName: invoice.seller.name, address: defaultFromAddress)
                fromHeaders[invoice.seller.name] = from
            }
            let attachments = invoice.ksef.map { Attachments(qrPNG: code?.png(scale: 4) ?? [], xml: $0.bytes, xmlName: $0.file) }
            return InvoiceEmail.message(invoice, from: from, to: toHeader, html: [html[...]], text: text, words: words, tenant: tenant,
                                        attachments: attachments)
        }
    }

    /// A KSeF invoice's message carries KOD I as an inline image (mail clients drop SVG; the HTML part shows it by
    /// `cid:`) and the invoice file itself, byte for byte, as an `application/xml` attachment.
    struct Attachments {
        var qrPNG: [UInt8]
        var xml: [UInt8]
        var xmlName: String
    }

    /// - Parameter html: the HTML part's text, in pieces of which each but the last ends a line (LF): the
    ///   quoted-printable of such pieces, one after another, is that of the whole.
    /// - Parameter attachments: with them the message is multipart/mixed (the XML) of multipart/related (the image) of
    ///   multipart/alternative (text and HTML); without, multipart/alternative alone.
    static func message(_ invoice: Invoice, from: String, to: String, html: [ArraySlice<UInt8>], text: [UInt8], words: InvoiceWords,
                        tenant: TenantContext, attachments: Attachments? = nil) -> [UInt8] {
        let lang = tenant.lang
        let slug = tenant.invoiceSlugs[invoice.id] ?? Slug.make(invoice.id)
        let boundary = "=_tenantsite_\(slug.prefix(40))"
        let subject = words.subjectLine(invoice)

        // The message is written once, into one buffer with room for the worst case of both bodies: the
        // headers and the parts' headers as bytes, the bodies encoded straight into it.
        var head: [UInt8] = []
        head.reserveCapacity(1024)
        func header(_ text: String) {
            head += text.utf8
            head += crlf
        }
        header(from)
        header(to)
        MIME.appendUnstructuredHeader("Subject", subject, to: &head)
        head += crlf
        // The issue date, 08:00 in Warsaw: the morning the invoice would go out.
        head += "Date: ".utf8
        MIME.appendDateTime(invoice.invoiceDate, hour: 8, minute: 0, in: .warsaw, to: &head)
        head += crlf
        head += "Message-ID: ".utf8
        head += messageID(invoice, slug: slug, tenant: tenant).utf8
        head += crlf
        header("MIME-Version: 1.0")
        header("Content-Language: \(lang.language.rawValue)")
        header("X-Unsent: 1")
        if let attachments {
            header("Content-Type: multipart/mixed;")
            header(" boundary=\"\(boundary)_m\"")
            header("")
            header("This is a multi-part message in MIME format.")
            header("--\(boundary)_m")
            header("Content-Type: multipart/related;")
            header(" boundary=\"\(boundary)_r\"; type=\"multipart/alternative\"")
            header("")
            header("--\(boundary)_r")
        }
        header("Content-Type: multipart/alternative;")
        head += " boundary=\"".utf8
        head += boundary.utf8
        head += "\"".utf8
        head += crlf
        head += crlf
        head += "This is a multi-part message in MIME format.".utf8
        head += crlf
        appendPartHeader("text/plain", boundary: boundary, to: &head)
        var htmlHead: [UInt8] = []
        appendPartHeader("text/html", boundary: boundary, to: &htmlHead)
        var tail: [UInt8] = crlf + Array("--".utf8)
        tail += boundary.utf8
        tail += "--".utf8
        tail += crlf
        if let attachments {
            func line(_ text: String) { tail += text.utf8; tail += crlf }
            func base64(_ bytes: [UInt8]) {
                // Lines of 76 characters (RFC 2045), each ended by CRLF.
                let text = Array(Data(bytes).base64EncodedString().utf8)
                var start = 0
                while start < text.count {
                    tail += text[start..<min(start + 76, text.count)]
                    tail += crlf
                    start += 76
                }
            }
            line("--\(boundary)_r")
            line("Content-Type: image/png")
            line("Content-Transfer-Encoding: base64")
            line("Content-ID: <\(InvoiceDocument.qrContentID)>")
            line("Content-Disposition: inline; filename=\"kod-i.png\"")
            line("")
            base64(attachments.qrPNG)
            line("--\(boundary)_r--")
            line("--\(boundary)_m")
            // The file's name (at most 132 characters of [A-Za-z0-9._-], `KSeFFiles.isValidName`) on a line of its own.
            line("Content-Type: application/xml;")
            line(" name=\"\(attachments.xmlName)\"")
            line("Content-Transfer-Encoding: base64")
            line("Content-Disposition: attachment;")
            line(" filename=\"\(attachments.xmlName)\"")
            line("")
            base64(attachments.xml)
            line("--\(boundary)_m--")
        }

        let capacity = head.count + MIME.quotedPrintableCapacity(text.count) + htmlHead.count
            + html.reduce(0) { $0 + MIME.quotedPrintableCapacity($1.count) } + tail.count
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            let start = buffer.baseAddress!
            var n = 0
            func copy(_ bytes: [UInt8]) {
                bytes.withUnsafeBufferPointer { (start + n).initialize(from: $0.baseAddress!, count: $0.count) }
                n += bytes.count
            }
            copy(head)
            n += text.withUnsafeBufferPointer { MIME.encodeQuotedPrintable($0, into: start + n) }
            copy(htmlHead)
            for piece in html {
                n += piece.withUnsafeBufferPointer { MIME.encodeQuotedPrintable($0, into: start + n) }
            }
            copy(tail)
            count = n
        }
    }

    private static let crlf = Array(MIME.crlf.utf8)

    /// CRLF, the boundary line and the headers of one part (UTF-8 text in quoted-printable), and the empty line.
    private static func appendPartHeader(_ type: String, boundary: String, to out: inout [UInt8]) {
        out += crlf
        out += "--".utf8
        out += boundary.utf8
        out += crlf
        out += "Content-Type: ".utf8
        out += type.utf8
        out += "; charset=utf-8".utf8
        out += crlf
        out += "Content-Transfer-Encoding: quoted-printable".utf8
        out += crlf
        out += crlf
    }

    /// `<fv-2026-07-07771.pl.1f0c2b9a7d3e4c55@tenantsite.invalid>`: the invoice's slug (cut to 24 characters)
    /// for people, and a hash of tenant id, document number and language for uniqueness; at most 77
    /// characters with the field name.
    static func messageID(_ invoice: Invoice, slug: String, tenant: TenantContext) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits: stable across runs and machines
        func add(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for byte in tenant.snapshot.tenant.id.lowercased().utf8 { add(byte) }
        add(0)
        for byte in invoice.id.utf8 { add(byte) }
        add(0)
        for byte in tenant.language.rawValue.utf8 { add(byte) }
        var out: [UInt8] = [UInt8(ascii: "<")]
        out.reserveCapacity(80)
        // 24 characters of the slug (bytes when it is ASCII, as slugs are).
        if slug.utf8.allSatisfy({ $0 < 0x80 }) { out += slug.utf8.prefix(24) } else { out += slug.prefix(24).utf8 }
        out.append(UInt8(ascii: "."))
        out += tenant.language.rawValue.utf8
        out.append(UInt8(ascii: "."))
        for shift in stride(from: 60, through: 0, by: -4) {  // sixteen hexadecimal digits, leading zeros kept
            let digit = UInt8((hash >> UInt64(shift)) & 0xF)
            out.append(digit < 10 ? 0x30 + digit : 0x57 + digit)
        }
        out.append(UInt8(ascii: "@"))
        out += messageIdDomain.utf8
        out.append(UInt8(ascii: ">"))
        return String(decoding: out, as: UTF8.self)
    }
}
