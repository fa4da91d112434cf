import Foundation
import SiteRender
import TenantModel

/// `invoices/<number-slug>.html`: one document as a self-contained, e-mailable page (its own wrapper
/// `templates/email-layout.html`, table layout, inline styles, no script, no external anything), and
/// `invoices/<number-slug>.eml`: the same page as a ready e-mail.
struct InvoiceDocumentPages: TenantPageKind {
    var templateNames: [String] { ["invoice"] }
    static let layoutName = "email-layout"

    struct Reference: Encodable {
        var number: String
        var url: SiteURL?
        var date: String
    }

    struct Model: Encodable {
        var notice: TrustedHTML
        var heading: String
        var corrects: Reference?
        var hasCorrectedBy: Bool
        var correctedBy: [Reference]
        var parties: TrustedHTML
        var dates: TrustedHTML
        var amountsIn: String
        var lines: TrustedHTML
        var vatSummary: TrustedHTML
        var notes: [String]
        var totals: TrustedHTML
        var generated: String
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        guard let layout = renderer.templates.otherLayouts[Self.layoutName] else {
            throw TemplateError(file: renderer.templates.folder + "/\(Self.layoutName).html", line: nil, message: "the e-mail layout of invoice pages is missing")
        }
        let facts = InvoiceFacts(tenant.snapshot.invoices, asOf: tenant.asOf)
        for invoice in tenant.snapshot.invoices {
            let path = tenant.invoicePath(invoice.id)
            let model = self.model(invoice, facts: facts, path: path, tenant: tenant)
            let webBody = try body(model, tenant: tenant, renderer: renderer)
            let web = page(invoice, model, body: webBody, path: path, linked: true, tenant: tenant, layout: layout)
            try emit(path, web)
            // In a mailbox, links to the site's other pages lead nowhere: the e-mail's copy has them as text.
            // Most documents link to no other document, and then the web page's body serves the e-mail as it is.
            var unlinked = model
            unlinked.corrects?.url = nil
            for i in unlinked.correctedBy.indices { unlinked.correctedBy[i].url = nil }
            let hasLinks = model.corrects?.url != nil || model.correctedBy.contains { $0.url != nil }
            let mailBody = hasLinks ? try body(unlinked, tenant: tenant, renderer: renderer) : webBody
            let mailed = page(invoice, unlinked, body: mailBody, path: path, linked: false, tenant: tenant, layout: layout)
            let text = InvoiceEmail.plainText(invoice, facts: facts, tenant: tenant)
            try emit(tenant.invoicePath(invoice.id, extension: "eml"), InvoiceEmail.message(invoice, html: mailed, text: text, tenant: tenant))
        }
    }

    /// The invoice's body with every element's style inline.
    func body(_ model: Model, tenant: TenantContext, renderer: PageRenderer) throws -> TrustedHTML {
        EmailHTML.inlineStyles(try renderer.renderBody(template: "invoice", model: model, lang: tenant.lang), InvoiceStyle.markdown)
    }

    /// The whole HTML document of one invoice; `linked`: with the link back to the list (the web page).
    func page(_ invoice: Invoice, _ model: Model, body: TrustedHTML, path: SitePath, linked: Bool, tenant: TenantContext,
              layout: HTMLTemplate) -> [UInt8] {
        let lang = tenant.lang
        var values: [String: TemplateValue] = [
            "lang": .text(lang.language.rawValue),
            "title": .text(model.heading + " · " + invoice.seller.name),
            "body": .html(body),
            "t": lang.strings.templateValue,
        ]
        if linked {
            values["backURL"] = .url(path.link(to: tenant.invoicesPath()))
            values["backLabel"] = .text(lang.t("invoice.back", ["tenant": tenant.snapshot.tenant.displayName]))
        }
        return layout.renderBytes(.object(values))
    }

    static func heading(_ invoice: Invoice, _ lang: LanguageContext) -> String {
        switch invoice.documentType {
        case .invoice, .creditNote, .correction: return lang.t("invoice.heading.\(invoice.documentType.rawValue)", ["number": invoice.id])
        default: return lang.t("invoice.heading.other", ["type": invoice.documentType.rawValue, "number": invoice.id])
        }
    }

    func model(_ invoice: Invoice, facts: InvoiceFacts, path: SitePath, tenant: TenantContext) -> Model {
        let lang = tenant.lang, f = tenant.format
        func reference(_ id: String) -> Reference {
            let date = facts.byId[id].map { lang.t("invoice.correctsOf", ["date": f.longDate($0.invoiceDate)]) } ?? ""
            return Reference(number: id, url: facts.byId[id] != nil ? path.link(to: tenant.invoicePath(id)) : nil, date: date)
        }
        let correctedBy = (facts.correctedBy[invoice.id] ?? []).map { reference($0.id) }
        var notes: [String] = []
        if invoice.lines.contains(where: { $0.vatRate == .reverseCharge }) { notes.append(lang.t("invoice.reverseCharge")) }
        if let exchange = invoice.exchangeRate, invoice.currencyCode != "PLN" {
            notes.append(lang.t("invoice.exchange", [
                "rate": f.quantity(exchange.rate), "currency": invoice.currencyCode, "date": f.longDate(exchange.date),
                "source": exchange.source.map { " (\($0))" } ?? "",
            ]))
        }
        return Model(
            notice: InvoiceBlocks.notice(invoice, lang),
            heading: Self.heading(invoice, lang),
            corrects: invoice.correctedInvoiceId.map(reference),
            hasCorrectedBy: !correctedBy.isEmpty, correctedBy: correctedBy,
            parties: InvoiceBlocks.parties(invoice, lang),
            dates: InvoiceBlocks.dates(invoice, lang),
            amountsIn: lang.t("invoice.amountsIn", ["currency": invoice.currencyCode]),
            lines: InvoiceBlocks.lines(invoice, lang),
            vatSummary: InvoiceBlocks.vatSummary(invoice, lang),
            notes: notes,
            totals: InvoiceBlocks.totals(invoice, facts: facts, lang),
            generated: lang.t("invoice.generated", ["date": f.dateTime(tenant.snapshot.capturedDateTime)]))
    }
}
