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
        /// "Generated from the snapshot of …", the same on every document of the tenant.
        let generated: String
        private let toHeader: String
        /// `From:` per seller name: a mailbox header with encoded-words is dear, and a tenant's documents
        /// mostly come from one or two sellers.
        private var fromHeaders: [String: String] = [:]

        init(tenant: TenantContext, words: InvoiceWords, generated: String) {
            self.tenant = tenant
            self.words = words
            self.generated = generated
            if let contact = tenant.snapshot.tenant.billingContact {
                toHeader = MIME.mailboxHeader("To", displayName: contact.displayName, address: contact.email)
            } else {
                toHeader = "To: undisclosed-recipients:;"
            }
        }

        /// - Parameter html: the HTML part's text, in pieces of which each but the last ends a line (LF).
        mutating func message(_ invoice: Invoice, _ figures: InvoiceFigures, facts: InvoiceFacts, html: [ArraySlice<UInt8>]) -> [UInt8] {
            let from: String
            if let cached = fromHeaders[invoice.seller.name] {
                from = cached
            } else {
                from = MIME.mailboxHeader("From", displayName: invoice.seller.name, address: defaultFromAddress)
                fromHeaders[invoice.seller.name] = from
            }
            let text = InvoiceEmail.plainText(invoice, figures, facts: facts, words: words, generated: generated, tenant: tenant)
            return InvoiceEmail.message(invoice, from: from, to: toHeader, html: html, text: text, words: words, tenant: tenant)
        }
    }

    /// - Parameter html: the HTML part's text, in pieces of which each but the last ends a line (LF): the
    ///   quoted-printable of such pieces, one after another, is that of the whole.
    static func message(_ invoice: Invoice, from: String, to: String, html: [ArraySlice<UInt8>], text: [UInt8], words: InvoiceWords,
                        tenant: TenantContext) -> [UInt8] {
        let lang = tenant.lang
        let slug = tenant.invoiceSlugs[invoice.id] ?? Slug.make(invoice.id)
        let boundary = "=_tenantsite_\(slug.prefix(40))"
        let subject = words.subject(words.typeName(invoice.documentType), invoice.id, invoice.seller.name)

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

    /// The plain-text alternative: the same facts as the HTML page, readable in any client. Written as UTF-8
    /// into one buffer (it is encoded as bytes next); the words come from `InvoiceWords`, the sums from
    /// `InvoiceFigures`.
    static func plainText(_ invoice: Invoice, _ figures: InvoiceFigures, facts: InvoiceFacts, words w: InvoiceWords,
                          generated: String, tenant: TenantContext) -> [UInt8] {
        let f = tenant.format
        let c = invoice.currencyCode
        var out: [UInt8] = []
        out.reserveCapacity(1024 + invoice.lines.count * 200)
        func line(_ text: String) {
            out.appendUTF8(text)
            out.append(10)
        }
        func line(_ label: String, _ value: String) {
            out.appendUTF8(label)
            out.append(UInt8(ascii: ":"))
            out.append(0x20)
            out.appendUTF8(value)
            out.append(10)
        }
        let heading = w.heading(invoice)
        line(heading)
        out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: min(heading.count, 76)))
        out.append(10)
        line(w.notice(invoice))
        line("")
        line(w.greeting)
        line(w.emailIntro(invoice.id, figures.issueDate))
        line("")
        if let corrected = invoice.correctedInvoiceId {
            let date = facts.byId[corrected].map { " " + w.correctsOf(f.longDate($0.invoiceDate)) } ?? ""
            line("\(w.corrects) \(corrected)\(date)")
            line("")
        }
        for (label, party) in [(w.seller, invoice.seller), (w.buyer, invoice.buyer)] {
            line(label, MIME.singleLine(party.name))
            for address in party.addressLines { line("  " + MIME.singleLine(address)) }
            if let nip = party.nip { line("  " + w.nip, InvoiceWords.nip(nip)) }
            if let vatId = party.vatId { line("  " + w.vatId, vatId) }
        }
        line("")
        line(w.issueDate, figures.issueDate)
        if let sale = figures.saleDate { line(w.saleDate, sale) }
        line(w.dueDate, figures.dueDate)
        if let period = figures.billingPeriod { line(w.billingPeriod, period) }
        if let ksef = invoice.ksefNumber { line(w.ksef, ksef) }
        line("")
        // The lines and the VAT summary in numbers without the currency, named once above them (as on the
        // page, which formats the same numbers: `InvoiceFigures`).
        line(w.lines + ":")
        line(figures.amountsIn)
        for (i, (item, amounts)) in zip(invoice.lines, figures.lines).enumerated() {
            out.appendUTF8(String(i + 1))
            out.append(UInt8(ascii: "."))
            out.append(0x20)
            line(MIME.singleLine(item.description))
            out.append(contentsOf: repeatElement(0x20, count: 3))
            w.emailLine.append([amounts.quantity, MIME.singleLine(item.unit), amounts.unitPrice, amounts.rate,
                                amounts.net, amounts.vat, amounts.gross], to: &out)
            out.append(10)
        }
        line("")
        line(w.vatSummary + ":")
        for (i, (rate, amounts)) in zip(figures.rates, figures.rateAmounts).enumerated() {
            out.append(contentsOf: repeatElement(0x20, count: 2))
            w.rateLine.append([w.rateName(rate.rate), amounts.net, amounts.vat, amounts.gross], to: &out)
            if figures.exchange != nil { out += " (\(w.vatPLN): \(f.money(figures.ratesVATInPLN[i], "PLN")))".utf8 }
            out.append(10)
        }
        if figures.hasReverseCharge { line(w.reverseCharge) }
        if let exchange = figures.exchange {
            line(w.exchange(f.quantity(exchange.rate), c, f.longDate(exchange.date), exchange.source.map { " (\(MIME.singleLine($0)))" } ?? ""))
        }
        line("")
        let negative = invoice.totalCharges < 0
        line(negative ? w.refundDue : w.totalDue, f.money(invoice.totalCharges, c))
        line(negative ? w.refundPaid : w.paid, f.money(invoice.paidAmount, c))
        line(negative ? w.refundOutstanding : w.outstanding, f.money(invoice.outstanding, c))
        line(w.status, figures.status)
        line("")
        line("-- ")
        line(generated)
        return out
    }
}

extension [UInt8] {
    /// A string's UTF-8 appended as one copy of its bytes (`+= text.utf8` goes through the generic sequence path,
    /// dear for the many short strings of an e-mail's text).
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
