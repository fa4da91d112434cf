import Foundation
import SiteRender
import TenantModel

/// `invoices/<number-slug>.html`: one document as a self-contained, e-mailable page (`templates/pages/invoice.html`
/// in `templates/email-layout.html`: table layout, inline styles from `email-styles.json`, no script, no external
/// anything), and
/// `invoices/<number-slug>.eml`: the same page as a ready e-mail, with `pages/invoice.txt` as its text part.
///
/// A tenant has hundreds of these, so what is the same for all of them (`InvoiceDocument.Shared`, the e-mail's
/// addresses) is made once per tenant, and each document's figures once (`InvoiceDocument`).
struct InvoiceDocumentPages: TenantPageKind {
    var templateNames: [String] { ["invoice.html", "invoice.txt"] }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let facts = tenant.invoiceFacts
        let words = InvoiceWords(lang)
        let styles = renderer.templates.emailStyles.templateValue
        let bound = renderer.invoiceTemplates.value(lang) { InvoiceDocumentPages.Bound(lang, renderer.templates) }
        let (page, layout, text) = (bound.page, bound.layout, bound.text)
        let generated = lang.t("invoice.generated", ["date": lang.format.dateTime(tenant.snapshot.capturedDateTime)])
        // Every document of a tenant lives in the same folder: one link back for all of them.
        // (The link from the list to itself is the link from any document to the list.)
        let listPath = tenant.invoicesPath()
        let shared = InvoiceDocument.Shared(
            words: words, lang: .text(lang.language.rawValue), strings: lang.strings.templateValue,
            styles: styles,
            back: (.url(listPath.link(to: listPath)), .text(lang.t("invoice.back", ["tenant": tenant.snapshot.tenant.displayName]))),
            generated: .text(generated), status: { InvoiceListPages.statusText($0, facts, lang) })
        var email = InvoiceEmail.Composer(tenant: tenant, words: words)
        let started = renderer.timer == nil ? nil : ContinuousClock.now
        defer { if let started { renderer.timer?.add(template: "invoice", ContinuousClock.now - started) } }
        for invoice in tenant.snapshot.invoices {
            let path = tenant.invoicePath(invoice.id)
            let document = InvoiceDocument(invoice, facts: facts, shared: shared, path: path, tenant: tenant)
            // The body once for both, unless it links to other documents (text in the e-mail).
            let body = try page.renderBytes(document.web)
            let mailBody = document.hasLinks ? try page.renderBytes(document.mail) : body
            let title: TemplateValue = .text(document.title)
            try emit(path, try layout.renderBytes(InvoiceDocument.Keys.layout.record([
                shared.lang, title, shared.back.url, shared.back.label, shared.strings, styles, .html(TrustedHTML(unsafeRendered: body))])))
            let html = try layout.renderBytes(InvoiceDocument.Keys.layout.record([
                shared.lang, title, .absent, .absent, shared.strings, styles, .html(TrustedHTML(unsafeRendered: mailBody))]))
            let plain = try text.renderBytes(document.mail, clean: MIME.singleLine)
            try emit(tenant.invoicePath(invoice.id, extension: "eml"), email.message(invoice, html: html, text: plain, code: document.verificationCode))
            // A KSeF invoice's file, as it is, beside its page (the page links to it).
            if let ksef = invoice.ksef { try emit(tenant.invoicePath(invoice.id, extension: "xml"), ksef.bytes) }
        }
    }
}

extension InvoiceDocumentPages {
    /// The strings and styles are the same on every document of a language: printed into the templates once per
    /// language and build (`binding`, kept in `PageRenderer.invoiceTemplates`), not once per tenant.
    struct Bound: Sendable {
        let page: HTMLTemplate, layout: HTMLTemplate, text: TextTemplate

        init(_ lang: LanguageContext, _ templates: TemplateSet) {
            let strings = lang.strings.templateValue, styles = templates.emailStyles.templateValue
            page = templates.document("invoice").binding("t", to: strings).binding("s", to: styles)
            layout = templates.emailLayout.binding("t", to: strings).binding("s", to: styles)
            text = templates.text("invoice").binding("t", to: strings, clean: MIME.singleLine)
        }
    }
}
