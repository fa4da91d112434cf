import Foundation
import SiteRender
import TenantModel

/// The inline styles of the e-mail-safe pages (`templates/email-styles.json`), given to their templates as `s`:
/// `style="{{s.tdRight}}"`. A style is a line of CSS declarations under a name the template chooses; the names a
/// template uses are checked at load (`TemplateSet`).
struct EmailStyles: Sendable {
    /// Name → declarations.
    let names: [String: String]
    /// The same as the template value `s`.
    let templateValue: TemplateValue

    /// The style sheet file: a JSON object of style names to declarations. Problems name the file and the key.
    static func load(_ bytes: [UInt8], file: String) -> Result<EmailStyles, InvalidInput> {
        let node: JSONNode
        do {
            node = try JSONParser.parse(bytes)
        } catch {
            return .failure(InvalidInput([Diagnostic(file: file, location: .wholeFile, message: "not valid JSON: \(error)")]))
        }
        guard case .object(let members) = node.value else {
            return .failure(InvalidInput([Diagnostic(file: file, location: .wholeFile, message: "must be one object of style names to CSS declarations")]))
        }
        var problems: [Diagnostic] = []
        var styles: [String: String] = [:]
        for member in members {
            guard let first = member.key.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
                  member.key.utf8.count <= 64,
                  member.key.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) else {
                problems.append(Diagnostic(file: file, location: .key(member.key), message: "a style's name is a letter then letters, digits, - or _ (at most 64)"))
                continue
            }
            // Escaping leaves such a line as it is, so what the file says is what the page carries.
            guard case .string(let css) = member.value.value, css.utf8.count <= 1024,
                  css.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" && $0 != "\"" && $0 != "\\" && $0 != "&" && $0 != "'" }) else {
                problems.append(Diagnostic(file: file, location: .key(member.key), message: "must be a line of CSS declarations (printable ASCII, no quotes, ampersands or angle brackets)"))
                continue
            }
            styles[member.key] = css
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        return .success(EmailStyles(names: styles, templateValue: .object(styles.mapValues { .text($0) })))
    }
}

/// The words of invoice pages and e-mails in one language that code chooses between (VAT rate and document
/// type names), looked up once per tenant rather than once per invoice and line. A class: every document holds it,
/// and a struct of forty strings and phrases was copied (forty retains and releases) for each.
final class InvoiceWords {
    let lang: LanguageContext
    let rateNames: [InvoiceLine.VATRate: String]
    let typeNames: [Invoice.DocumentType: String]
    let seller, buyer, issueDate, saleDate, dueDate, billingPeriod, ksef, total, reverseCharge: String
    /// The sentences each document fills (`StringTable.phrase`).
    let headings: [Invoice.DocumentType: Phrase], otherHeading: Phrase
    let copyKsef, copyNoKsef, correctsOf, amountsIn, exchange, intro, subject: Phrase
    /// KSeF invoices (FA(3)) and invoices outside KSeF.
    let ksefHeadings: [FA3Invoice.Kind: Phrase]
    let ksefNotice, outsideKsef, ksefSubject, outsideSubject, ksefIntro, mismatch, mismatchTotal, exemption, correctedKsef: Phrase
    let transferTitle, paidOn, partPaid, ksefExchange: Phrase
    let offline, qrLabel, before, after: String

    init(_ lang: LanguageContext) {
        let table = lang.strings
        headings = Dictionary(uniqueKeysWithValues: [Invoice.DocumentType.invoice, .creditNote, .correction].map {
            ($0, table.phrase("invoice.heading.\($0.rawValue)", ["number"]))
        })
        otherHeading = table.phrase("invoice.heading.other", ["type", "number"])
        copyKsef = table.phrase("invoice.copy.ksef", ["ksef"])
        copyNoKsef = table.phrase("invoice.copy.noKsef", ["seller"])
        correctsOf = table.phrase("invoice.correctsOf", ["date"])
        amountsIn = table.phrase("invoice.amountsIn", ["currency"])
        exchange = table.phrase("invoice.exchange", ["rate", "currency", "date", "source"])
        intro = table.phrase("invoice.email.intro", ["number", "date"])
        subject = table.phrase("invoice.email.subject", ["type", "number", "seller"])
        ksefHeadings = Dictionary(uniqueKeysWithValues: FA3Invoice.Kind.allCases.map { ($0, table.phrase("ksef.heading.\($0.rawValue)", ["number"])) })
        ksefNotice = table.phrase("ksef.notice", ["ksef"])
        outsideKsef = table.phrase("ksef.outside", ["seller"])
        ksefSubject = table.phrase("ksef.emailSubject", ["number", "seller"])
        outsideSubject = table.phrase("ksef.outsideSubject", ["type", "number", "seller"])
        ksefIntro = table.phrase("ksef.emailIntro", ["number", "date"])
        mismatch = table.phrase("ksef.mismatch", ["rate", "parts", "stated"])
        mismatchTotal = table.phrase("ksef.mismatchTotal", ["parts", "stated"])
        exemption = table.phrase("ksef.exemption", ["basis"])
        correctedKsef = table.phrase("ksef.correctedKsef", ["ksef"])
        transferTitle = table.phrase("ksef.title", ["number", "ksef"])
        paidOn = table.phrase("ksef.paidOn", ["date"])
        partPaid = table.phrase("ksef.partPaid", ["amount", "date"])
        ksefExchange = table.phrase("ksef.exchange", ["rate", "currency"])
        offline = lang.t("ksef.offline"); qrLabel = lang.t("ksef.qrLabel")
        before = lang.t("ksef.before"); after = lang.t("ksef.after")
        total = lang.t("invoice.total"); reverseCharge = lang.t("invoice.reverseCharge")
        self.lang = lang
        rateNames = Dictionary(uniqueKeysWithValues: [InvoiceLine.VATRate.exempt, .notSubject, .reverseCharge].map { ($0, lang.t("invoice.rate.\($0.code)")) })
        typeNames = Dictionary(uniqueKeysWithValues: [Invoice.DocumentType.invoice, .creditNote, .correction].map { ($0, InvoiceListPages.typeName($0, lang)) })
        seller = lang.t("invoice.seller"); buyer = lang.t("invoice.buyer")
        issueDate = lang.t("invoice.issueDate"); saleDate = lang.t("invoice.saleDate"); dueDate = lang.t("invoice.dueDate")
        billingPeriod = lang.t("invoice.billingPeriod"); ksef = lang.t("invoice.ksef")
    }

    func rateName(_ rate: InvoiceLine.VATRate) -> String {
        if case .percent(let p) = rate { return "\(p)%" }
        return rateNames[rate] ?? lang.t("invoice.rate.\(rate.code)")
    }

    func typeName(_ type: Invoice.DocumentType) -> String { typeNames[type] ?? InvoiceListPages.typeName(type, lang) }

    /// "Faktura VAT nr …": the heading of the page, the e-mail's text and its subject; a KSeF invoice's by its kind.
    func heading(_ invoice: Invoice) -> String {
        if let kind = invoice.ksef?.invoice.kind, let phrase = ksefHeadings[kind] { return phrase(invoice.id) }
        return headings[invoice.documentType].map { $0(invoice.id) } ?? otherHeading(invoice.documentType.rawValue, invoice.id)
    }

    /// What the document is: a visualisation of a KSeF invoice, an invoice outside KSeF (a foreign seller's), or an
    /// informational copy and where the legal invoice is.
    func notice(_ invoice: Invoice) -> String {
        if invoice.ksef != nil { return invoice.ksefNumber.map { ksefNotice($0) } ?? lang.t("ksef.noticeOffline") }
        if Self.isOutsideKSeF(invoice) { return outsideKsef(invoice.seller.name) }
        return invoice.ksefNumber.map { copyKsef($0) } ?? copyNoKsef(invoice.seller.name)
    }

    /// The e-mail's subject: it says a KSeF invoice's message carries a visualisation, and a foreign seller's invoice
    /// that it is outside KSeF.
    func subjectLine(_ invoice: Invoice) -> String {
        if invoice.ksef != nil { return ksefSubject(invoice.id, invoice.seller.name) }
        if Self.isOutsideKSeF(invoice) { return outsideSubject(typeName(invoice.documentType), invoice.id, invoice.seller.name) }
        return subject(typeName(invoice.documentType), invoice.id, invoice.seller.name)
    }

    /// An invoice to a Polish buyer from a seller without a Polish NIP (Microsoft Ireland and other foreign sellers)
    /// is issued outside KSeF; for a buyer elsewhere KSeF does not apply and nothing is said.
    static func isOutsideKSeF(_ invoice: Invoice) -> Bool {
        let polishBuyer = invoice.buyer.nip != nil || invoice.buyer.countryCode == "PL"
        return polishBuyer && invoice.ksef == nil && invoice.ksefNumber == nil && invoice.seller.nip == nil
            && (invoice.seller.countryCode.map { $0 != "PL" } ?? true)
    }

    /// A rate as P_12 writes it, in words: `23` → 23%, `0 KR` → 0% (kraj), `zw` → zw.
    func ksefRate(_ code: String) -> String {
        if let percent = Int(code) { return "\(percent)%" }
        return lang.t("ksef.rate.\(code)")
    }

    /// `NIP.formatted` for the usual ten ASCII digits, cut on bytes (it walks `Character`s); anything else
    /// goes to it.
    static func nip(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count == 10, utf8.allSatisfy({ $0 < 0x80 }) else { return NIP.formatted(text) }
        var out: [UInt8] = []
        out.reserveCapacity(13)
        for (i, byte) in utf8.enumerated() {
            if i == 3 || i == 6 || i == 8 { out.append(UInt8(ascii: "-")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One document as its templates see it (`pages/invoice.html`, `pages/invoice.txt`): every figure computed and
/// formatted once, for the page, the e-mail's HTML and its text. docs/templates.md lists the names.
struct InvoiceDocument {
    /// The document's values, in `Keys.document`'s order; `web` and `mail` differ in links to other documents (a
    /// mailbox has no site around it: those are text there), `hasLinks` says whether there are any.
    let web: TemplateValue
    let mail: TemplateValue
    let hasLinks: Bool
    let title: String
    /// A KSeF invoice's KOD I, drawn once for the page (SVG) and the e-mail (PNG).
    let verificationCode: QRCode?

    enum Keys {
        static let document = RowKeys(["lang", "title", "t", "s", "notice", "heading", "headingRule", "intro",
                                       "corrects", "hasCorrectedBy", "correctedBy", "parties", "dateRows", "dates", "amountsIn", "lines",
                                       "rates", "total", "inPLN", "notes", "isRefund", "totalDue", "paid", "outstanding", "dueDate",
                                       "status", "generated", "ksef"])
        static let line = RowKeys(["number", "description", "quantity", "unit", "unitPrice", "rate", "net", "vat", "gross"])
        static let rate = RowKeys(["rate", "net", "vat", "gross", "vatPLN"])
        static let party = RowKeys(["label", "name", "address", "nip", "vatId"])
        static let fact = RowKeys(["label", "value"])
        static let dateRow = RowKeys(["pair", "single"])
        static let reference = RowKeys(["number", "url", "date"])
        /// `email-layout.html`'s names.
        static let layout = RowKeys(["lang", "title", "backURL", "backLabel", "t", "s", "body"])
        /// A KSeF invoice's own parts (`ksef`); absent for an invoice typed into the snapshot.
        static let ksef = RowKeys(["number", "label", "qr", "link", "file", "lines", "grossPriced", "hasAnnotations", "annotations", "reason",
                                   "payment", "exchange"])
        static let xmlLine = RowKeys(["number", "description", "quantity", "unit", "unitPrice", "rate", "value", "state"])
        static let payment = RowKeys(["form", "accounts", "dueDates", "paidOn", "parts", "transferTitle"])
        static let ksefIndex = document.names.firstIndex(of: "ksef")!
        static let corrects = document.names.firstIndex(of: "corrects")!, correctedBy = document.names.firstIndex(of: "correctedBy")!
    }

    /// What every document of one tenant in one language shares.
    /// (A class for the same reason as `InvoiceWords`.)
    final class Shared {
        let words: InvoiceWords
        let lang: TemplateValue, strings: TemplateValue, styles: TemplateValue
        let back: (url: TemplateValue, label: TemplateValue)
        let generated: TemplateValue
        let status: (Invoice) -> String

        init(words: InvoiceWords, lang: TemplateValue, strings: TemplateValue, styles: TemplateValue,
             back: (url: TemplateValue, label: TemplateValue), generated: TemplateValue, status: @escaping (Invoice) -> String) {
            self.words = words
            self.lang = lang
            self.strings = strings
            self.styles = styles
            self.back = back
            self.generated = generated
            self.status = status
        }
    }

    init(_ invoice: Invoice, facts: InvoiceFacts, shared: Shared, path: SitePath, tenant: TenantContext) {
        let w = shared.words
        let f = tenant.format
        let lang = w.lang
        let heading = w.heading(invoice)
        title = heading + " · " + invoice.seller.name

        func reference(_ id: String, linked: Bool) -> TemplateValue {
            // A KSeF correction names the invoice it corrects with its date and KSeF number, whether or not the site has it.
            if let stated = invoice.ksef?.invoice.corrected.first(where: { $0.number == id }) {
                let date = stated.issueDate.map { w.correctsOf(f.longDate($0)) } ?? ""
                let number = stated.ksefNumber.map { " " + w.correctedKsef($0) } ?? ""
                let url: TemplateValue = linked && facts.byId[id] != nil ? .url(path.link(to: tenant.invoicePath(id))) : .absent
                return Keys.reference.record([.text(id), url, .text(date + number)])
            }
            guard let other = facts.byId[id] else { return Keys.reference.record([.text(id), .absent, .text("")]) }
            return Keys.reference.record([.text(id), linked ? .url(path.link(to: tenant.invoicePath(id))) : .absent,
                                          .text(w.correctsOf(f.longDate(other.invoiceDate)))])
        }
        let correctedBy = facts.correctedBy[invoice.id] ?? []

        let parties: [TemplateValue] = [(w.seller, invoice.seller), (w.buyer, invoice.buyer)].map { label, party in
            Keys.party.record([.text(label), .text(party.name), .list(party.addressLines.map { .text($0) }),
                               party.nip.map { .text(InvoiceWords.nip($0)) } ?? .absent, party.vatId.map { .text($0) } ?? .absent])
        }

        let issueDate = f.longDate(invoice.invoiceDate), dueDate = f.longDate(invoice.dueDate)
        var dates: [TemplateValue] = [Keys.fact.record([.text(w.issueDate), .text(issueDate)])]
        if let sale = invoice.saleDate { dates.append(Keys.fact.record([.text(w.saleDate), .text(f.longDate(sale))])) }
        dates.append(Keys.fact.record([.text(w.dueDate), .text(dueDate)]))
        if let start = invoice.billingPeriodStartDate, let end = invoice.billingPeriodEndDate {
            dates.append(Keys.fact.record([.text(w.billingPeriod), .text(f.dateRange(start, end))]))
        }
        if let ksef = invoice.ksefNumber { dates.append(Keys.fact.record([.text(w.ksef), .text(ksef)])) }
        // Two to a row; the last of an odd count takes the whole row.
        let dateRows: [TemplateValue] = stride(from: 0, to: dates.count, by: 2).map { i in
            i + 1 < dates.count ? Keys.dateRow.record([.list([dates[i], dates[i + 1]]), .absent])
                : Keys.dateRow.record([.absent, .list([dates[i]])])
        }

        let lines: [TemplateValue] = invoice.lines.enumerated().map { i, line in
            let quantity = f.quantity(line.quantity), price = f.decimal(line.unitPrice), rate = w.rateName(line.vatRate)
            let net = f.decimal(line.subtotal), vat = f.decimal(line.taxTotal), gross = f.decimal(line.totalForCustomer)
            return Keys.line.record([.text(String(i + 1)), .text(line.description), .text(quantity), .text(line.unit), .text(price),
                                     .text(rate), .text(net), .text(vat), .text(gross)])
        }

        let rates = invoice.ksef == nil ? InvoiceDocument.rates(invoice) : []
        let exchange = invoice.currencyCode == "PLN" ? nil : invoice.exchangeRate
        var totalVATInPLN: Amount = 0
        let rateValues: [TemplateValue] = rates.map { total in
            let name = w.rateName(total.rate), net = f.decimal(total.net), vat = f.decimal(total.vat), gross = f.decimal(total.gross)
            var inPLN: TemplateValue = .absent
            if let exchange {
                let pln = total.vatInPLN(exchange)
                totalVATInPLN = totalVATInPLN + (pln)
                inPLN = .text(f.money(pln, "PLN"))
            }
            return Keys.rate.record([.text(name), .text(net), .text(vat), .text(gross), inPLN])
        }
        var total = Keys.rate.record([.text(w.total), .text(f.decimal(invoice.netTotal)), .text(f.decimal(invoice.taxTotal)),
                                      .text(f.decimal(invoice.totalCharges)), exchange == nil ? .absent : .text(f.money(totalVATInPLN, "PLN"))])

        var notes: [TemplateValue] = []
        var ksefWeb: TemplateValue = .absent, ksefMail: TemplateValue = .absent
        var code: QRCode?
        var hasPLN = exchange != nil
        var ratesShown = rateValues
        if let document = invoice.ksef {
            let parts = InvoiceDocument.ksefParts(invoice, document, words: w, format: f, path: path, tenant: tenant)
            (ksefWeb, ksefMail, ratesShown, total, hasPLN, code) = (parts.web, parts.mail, parts.rates, parts.total, parts.hasPLN, parts.code)
            notes = parts.notes
        }
        if invoice.lines.contains(where: { $0.vatRate == .reverseCharge }) { notes.append(.text(w.reverseCharge)) }
        if invoice.ksef == nil, let exchange {
            notes.append(.text(w.exchange(f.quantity(exchange.rate), invoice.currencyCode, f.longDate(exchange.date),
                                          exchange.source.map { " (\($0))" } ?? "")))
        }

        let c = invoice.currencyCode
        var values: [TemplateValue] = [
            shared.lang, .text(title), shared.strings, shared.styles,
            .text(w.notice(invoice)), .text(heading), .text(String(decoding: [UInt8](repeating: UInt8(ascii: "-"), count: min(heading.count, 76)), as: UTF8.self)),
            .text(invoice.ksef == nil ? w.intro(invoice.id, issueDate) : w.ksefIntro(invoice.id, issueDate)),
            invoice.correctedInvoiceId.map { reference($0, linked: true) } ?? .absent,
            .bool(!correctedBy.isEmpty), .list(correctedBy.map { reference($0.id, linked: true) }),
            .list(parties), .list(dateRows), .list(dates), .text(w.amountsIn(c)), .list(lines),
            .list(ratesShown), total, .bool(hasPLN), .list(notes), .bool(invoice.totalCharges < 0),
            .text(f.money(invoice.totalCharges, c)), .text(f.money(invoice.paidAmount, c)), .text(f.money(invoice.outstanding, c)),
            .text(dueDate), .text(shared.status(invoice)), shared.generated, ksefWeb,
        ]
        verificationCode = code
        web = Keys.document.record(values)
        hasLinks = invoice.correctedInvoiceId.map { facts.byId[$0] != nil } == true || !correctedBy.isEmpty || invoice.ksef != nil
        values[Keys.corrects] = invoice.correctedInvoiceId.map { reference($0, linked: false) } ?? .absent
        values[Keys.correctedBy] = .list(correctedBy.map { reference($0.id, linked: false) })
        values[Keys.ksefIndex] = ksefMail
        mail = Keys.document.record(values)
    }

    /// The content id of KOD I's image in the e-mail.
    static let qrContentID = "kod-i@tenantsite.invalid"
    /// KOD I's size on the page and in the e-mail, in CSS pixels.
    static let qrPixels = 168

    /// A KSeF invoice's parts as its XML states them: its lines as written, its sums per rate (P_13_x, P_14_x,
    /// P_14_xW), where the lines do not add up to them, its annotations and payment, and KOD I (an SVG on the page, the
    /// inline PNG part of the e-mail, `InvoiceEmail`).
    static func ksefParts(_ invoice: Invoice, _ document: KSeFDocument, words w: InvoiceWords, format f: LocaleFormat, path: SitePath,
                          tenant: TenantContext) -> (web: TemplateValue, mail: TemplateValue, rates: [TemplateValue], total: TemplateValue,
                                                     notes: [TemplateValue], hasPLN: Bool, code: QRCode?) {
        let x = document.invoice
        let lang = w.lang
        let link = document.verificationURL(tenant.settings.ksefEnvironment)
        let label = invoice.ksefNumber ?? w.offline
        let code = QRCode(link)
        let svg = code.map { $0.svg(pixels: qrPixels, label: w.qrLabel) } ?? ""
        let image = "<img src=\"cid:\(qrContentID)\" width=\"\(qrPixels)\" height=\"\(qrPixels)\" alt=\"\(HTML.escape(w.qrLabel))\">"

        let grossPriced = !x.lines.isEmpty && x.lines.allSatisfy { $0.netValue == nil && $0.grossValue != nil }
        let anyBefore = x.lines.contains { $0.before }
        let lines: [TemplateValue] = x.lines.map { line in
            let price = line.unitNetPrice ?? line.unitGrossPrice
            let value = line.netValue ?? line.grossValue
            let quantity: TemplateValue = line.quantity.map { .text(f.quantity($0)) } ?? .absent
            let unit: TemplateValue = line.unit.map { .text($0) } ?? .absent
            let shownPrice: TemplateValue = price.map { .text(f.decimal($0)) } ?? .absent
            let rate: TemplateValue = line.rate.map { .text(w.ksefRate($0)) } ?? .absent
            let shownValue: TemplateValue = value.map { .text(f.decimal($0)) } ?? .absent
            let state: TemplateValue = anyBefore ? .text(line.before ? w.before : w.after) : .absent
            return Keys.xmlLine.record([.text(String(line.number)), .text(line.description), quantity, unit, shownPrice, rate, shownValue, state])
        }

        var net: Amount = 0, vat: Amount = 0, pln: Amount = 0
        let hasPLN = x.rateSums.contains { $0.vatInPLN != nil }
        let rates: [TemplateValue] = x.rateSums.map { sum in
            net = net + sum.net
            vat = vat + (sum.vat ?? 0)
            pln = pln + (sum.vatInPLN ?? 0)
            let name: TemplateValue = .text(w.ksefRate(x.rateLabel(forField: sum.field)))
            let shownVAT: TemplateValue = sum.vat.map { .text(f.decimal($0)) } ?? .text("—")
            let gross: TemplateValue = .text(f.decimal(sum.net + (sum.vat ?? 0)))
            var inPLN: TemplateValue = .absent
            if hasPLN { inPLN = sum.vatInPLN.map { .text(f.money($0, "PLN")) } ?? .text("—") }
            return Keys.rate.record([name, .text(f.decimal(sum.net)), shownVAT, gross, inPLN])
        }
        let total = Keys.rate.record([.text(w.total), .text(f.decimal(net)), .text(f.decimal(vat)), .text(f.decimal(net + vat)),
                                      hasPLN ? .text(f.money(pln, "PLN")) : .absent])

        var notes: [TemplateValue] = x.mismatches.map { m in
            if let field = m.field {
                return .text(w.mismatch(w.ksefRate(x.rateLabel(forField: field)), f.decimal(m.fromParts), f.decimal(m.stated)))
            }
            return .text(w.mismatchTotal(f.decimal(m.fromParts), f.money(m.stated, invoice.currencyCode)))
        }
        if let rate = x.exchangeRate { notes.append(.text(w.ksefExchange(f.quantity(rate), x.currency))) }

        var annotations: [TemplateValue] = []
        if x.annotations.splitPayment { annotations.append(.text(lang.t("ksef.splitPayment"))) }
        if x.annotations.reverseCharge { annotations.append(.text(lang.t("ksef.reverseCharge"))) }
        if x.annotations.cashAccounting { annotations.append(.text(lang.t("ksef.cashAccounting"))) }
        if x.annotations.selfBilling { annotations.append(.text(lang.t("ksef.selfBilling"))) }
        if let basis = x.annotations.exemptionBasis { annotations.append(.text(w.exemption(basis))) }

        var payment: TemplateValue = .absent
        if let p = x.payment {
            payment = Keys.payment.record([
                p.form.map { .text(lang.t("ksef.paymentForm.\($0)")) } ?? .absent,
                .list(p.bankAccounts.map { .text(Self.groupedAccount($0)) }),
                p.dueDates.isEmpty ? .absent : .text(p.dueDates.map(f.longDate).joined(separator: ", ")),
                p.paid ? .text(p.paidOn.map { w.paidOn(f.longDate($0)) } ?? w.paidOn("")) : .absent,
                .list(p.partPayments.map { .text(w.partPaid(f.money($0.amount, x.currency), f.longDate($0.date))) }),
                .text(invoice.ksefNumber.map { w.transferTitle(x.number, $0) } ?? x.number),
            ])
        }
        let reason = x.correctionReason.map { TemplateValue.text($0) } ?? .absent
        let fileLink: TemplateValue = .url(path.link(to: tenant.invoicePath(invoice.id, extension: "xml")))
        let common: [TemplateValue] = [invoice.ksefNumber.map { .text($0) } ?? .absent, .text(label)]
        let rest: [TemplateValue] = [.list(lines), .bool(grossPriced), .bool(!annotations.isEmpty), .list(annotations), reason, payment,
                                     x.exchangeRate.map { .text(f.quantity($0)) } ?? .absent]
        let web = Keys.ksef.record(common + [.html(TrustedHTML(unsafeRendered: Array(svg.utf8))), .text(link), fileLink] + rest)
        let mail = Keys.ksef.record(common + [.html(TrustedHTML(unsafeRendered: Array(image.utf8))), .text(link), .absent] + rest)
        return (web, mail, rates, total, notes, hasPLN, code)
    }

    /// `61109010140000071219812874` → `61 1090 1014 0000 0712 1981 2874`: a Polish account number as banks print it.
    static func groupedAccount(_ number: String) -> String {
        let digits = number.filter { !$0.isWhitespace }
        guard digits.count == 26, digits.allSatisfy(\.isASCII) else { return number }
        var out = String(digits.prefix(2))
        var rest = digits.dropFirst(2)
        while !rest.isEmpty { out += " " + rest.prefix(4); rest = rest.dropFirst(4) }
        return out
    }

    /// `VATRateTotal.of(invoice)`, with a short cut for the usual document whose lines share one rate: its
    /// net and VAT sums are the document's own (`Invoice` adds up its lines the same way), so only the gross
    /// is added up.
    static func rates(_ invoice: Invoice) -> [VATRateTotal] {
        guard let rate = invoice.lines.first?.vatRate, invoice.lines.allSatisfy({ $0.vatRate == rate }) else { return VATRateTotal.of(invoice) }
        var gross: Amount = 0
        for line in invoice.lines { gross = gross + (line.totalForCustomer) }  // integer arithmetic when it can
        return [VATRateTotal(rate: rate, net: invoice.netTotal, vat: invoice.taxTotal, gross: gross)]
    }
}
