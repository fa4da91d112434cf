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

    static func message(_ invoice: Invoice, html: [UInt8], text: String, tenant: TenantContext) -> [UInt8] {
        let lang = tenant.lang
        let slug = tenant.invoiceSlugs[invoice.id] ?? Slug.make(invoice.id)
        let boundary = "=_tenantsite_\(slug.prefix(40))"
        let typeName = InvoiceListPages.typeName(invoice.documentType, lang)
        let subject = lang.t("invoice.email.subject", ["type": typeName, "number": invoice.id, "seller": invoice.seller.name])

        var headers: [String] = []
        headers.append(MIME.mailboxHeader("From", displayName: invoice.seller.name, address: defaultFromAddress))
        if let contact = tenant.snapshot.tenant.billingContact {
            headers.append(MIME.mailboxHeader("To", displayName: contact.displayName, address: contact.email))
        } else {
            headers.append("To: undisclosed-recipients:;")
        }
        headers.append(MIME.unstructuredHeader("Subject", subject))
        // The issue date, 08:00 in Warsaw: the morning the invoice would go out.
        headers.append("Date: " + MIME.dateTime(invoice.invoiceDate, hour: 8, minute: 0, in: .warsaw))
        headers.append("Message-ID: " + messageID(invoice, slug: slug, tenant: tenant))
        headers.append("MIME-Version: 1.0")
        headers.append("Content-Language: \(lang.language.rawValue)")
        headers.append("X-Unsent: 1")
        headers.append("Content-Type: multipart/alternative;" + MIME.crlf + " boundary=\"\(boundary)\"")

        // Bytes from the start: the bodies are encoded straight into the message.
        var out = Array((headers.joined(separator: MIME.crlf) + MIME.crlf + MIME.crlf).utf8)
        out += ("This is a multi-part message in MIME format." + MIME.crlf).utf8
        for (type, body) in [("text/plain", Array(text.utf8)), ("text/html", html)] {
            out += (MIME.crlf + "--" + boundary + MIME.crlf).utf8
            out += ("Content-Type: \(type); charset=utf-8" + MIME.crlf).utf8
            out += ("Content-Transfer-Encoding: quoted-printable" + MIME.crlf + MIME.crlf).utf8
            MIME.appendQuotedPrintable(bytes: body, to: &out)
        }
        out += (MIME.crlf + "--" + boundary + "--" + MIME.crlf).utf8
        return out
    }

    /// `<fv-2026-07-07771.pl.1f0c2b9a7d3e4c55@tenantsite.invalid>`: the invoice's slug (cut to 24 characters)
    /// for people, and a hash of tenant id, document number and language for uniqueness; at most 77
    /// characters with the field name.
    static func messageID(_ invoice: Invoice, slug: String, tenant: TenantContext) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits: stable across runs and machines
        for byte in "\(tenant.snapshot.tenant.id.lowercased())\u{0}\(invoice.id)\u{0}\(tenant.language.rawValue)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return "<\(slug.prefix(24)).\(tenant.language.rawValue).\(digits)@\(messageIdDomain)>"
    }

    /// The plain-text alternative: the same facts as the HTML page, readable in any client.
    static func plainText(_ invoice: Invoice, facts: InvoiceFacts, tenant: TenantContext) -> String {
        let lang = tenant.lang, f = tenant.format
        let c = invoice.currencyCode
        var lines: [String] = []
        let heading = InvoiceDocumentPages.heading(invoice, lang)
        lines.append(heading)
        lines.append(String(repeating: "-", count: min(heading.count, 76)))
        lines.append(invoice.ksefNumber.map { lang.t("invoice.copy.ksef", ["ksef": $0]) } ?? lang.t("invoice.copy.noKsef", ["seller": invoice.seller.name]))
        lines.append("")
        lines.append(lang.t("invoice.email.greeting"))
        lines.append(lang.t("invoice.email.intro", ["number": invoice.id, "date": f.longDate(invoice.invoiceDate)]))
        lines.append("")
        if let corrected = invoice.correctedInvoiceId {
            let date = facts.byId[corrected].map { " " + lang.t("invoice.correctsOf", ["date": f.longDate($0.invoiceDate)]) } ?? ""
            lines.append("\(lang.t("invoice.corrects")) \(corrected)\(date)")
            lines.append("")
        }
        for (label, party) in [(lang.t("invoice.seller"), invoice.seller), (lang.t("invoice.buyer"), invoice.buyer)] {
            lines.append("\(label): \(MIME.singleLine(party.name))")
            for address in party.addressLines { lines.append("  " + MIME.singleLine(address)) }
            if let nip = party.nip { lines.append("  \(lang.t("invoice.nip")): \(NIP.formatted(nip))") }
            if let vatId = party.vatId { lines.append("  \(lang.t("invoice.vatId")): \(vatId)") }
        }
        lines.append("")
        lines.append("\(lang.t("invoice.issueDate")): \(f.longDate(invoice.invoiceDate))")
        if let sale = invoice.saleDate { lines.append("\(lang.t("invoice.saleDate")): \(f.longDate(sale))") }
        lines.append("\(lang.t("invoice.dueDate")): \(f.longDate(invoice.dueDate))")
        if let start = invoice.billingPeriodStartDate, let end = invoice.billingPeriodEndDate {
            lines.append("\(lang.t("invoice.billingPeriod")): \(f.dateRange(start, end))")
        }
        if let ksef = invoice.ksefNumber { lines.append("\(lang.t("invoice.ksef")): \(ksef)") }
        lines.append("")
        lines.append(lang.t("invoice.lines") + ":")
        for (i, line) in invoice.lines.enumerated() {
            lines.append("\(i + 1). \(MIME.singleLine(line.description))")
            lines.append("   " + lang.t("invoice.email.line", [
                "quantity": f.quantity(line.quantity), "unit": MIME.singleLine(line.unit), "price": f.money(line.unitPrice, c),
                "rate": InvoiceBlocks.rateName(line.vatRate, lang), "net": f.money(line.subtotal, c),
                "vat": f.money(line.taxTotal, c), "gross": f.money(line.totalForCustomer, c),
            ]))
        }
        lines.append("")
        lines.append(lang.t("invoice.vatSummary") + ":")
        for rate in VATRateTotal.of(invoice) {
            var text = "  " + lang.t("invoice.email.rateLine", [
                "rate": InvoiceBlocks.rateName(rate.rate, lang), "net": f.money(rate.net, c), "vat": f.money(rate.vat, c), "gross": f.money(rate.gross, c),
            ])
            if let exchange = invoice.exchangeRate, c != "PLN" { text += " (\(lang.t("invoice.col.vatPLN")): \(f.money(rate.vatInPLN(exchange), "PLN")))" }
            lines.append(text)
        }
        if invoice.lines.contains(where: { $0.vatRate == .reverseCharge }) { lines.append(lang.t("invoice.reverseCharge")) }
        if let exchange = invoice.exchangeRate, c != "PLN" {
            lines.append(lang.t("invoice.exchange", ["rate": f.quantity(exchange.rate), "currency": c, "date": f.longDate(exchange.date),
                                                     "source": exchange.source.map { " (\(MIME.singleLine($0)))" } ?? ""]))
        }
        lines.append("")
        let negative = invoice.totalCharges < 0
        lines.append("\(lang.t(negative ? "invoice.refundDue" : "invoice.totalDue")): \(f.money(invoice.totalCharges, c))")
        lines.append("\(lang.t(negative ? "invoice.refundPaid" : "invoice.paid")): \(f.money(invoice.paidAmount, c))")
        lines.append("\(lang.t(negative ? "invoice.refundOutstanding" : "invoice.outstanding")): \(f.money(invoice.outstanding, c))")
        lines.append("\(lang.t("invoice.status")): \(InvoiceListPages.statusText(invoice, facts, lang))")
        lines.append("")
        lines.append("-- ")
        lines.append(lang.t("invoice.generated", ["date": f.dateTime(tenant.snapshot.capturedDateTime)]))
        return lines.joined(separator: "\n") + "\n"
    }
}
