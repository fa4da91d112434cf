import Foundation
import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/search-index.js`: the tenant's people (name, sign-in name, department, job title) and invoice
/// numbers, for the search box of the tenant's pages, beside the help center's index (site.js loads both). One file
/// per tenant keeps every page's search small however many tenants the site has.
struct TenantSearchPages: TenantPageKind {
    var templateNames: [String] { [] }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let f = tenant.format
        let file = SitePaths.changes(tenant.language, tenant.slug, "search-index.js")
        let tenantName = tenant.snapshot.tenant.displayName
        var entries: [HelpPageSet.SearchIndex.Entry] = []
        let peoplePanel = lang.t("search.tenantPeople", ["tenant": tenantName])
        let invoicesPanel = lang.t("search.tenantInvoices", ["tenant": tenantName]), ksefInvoice = lang.t("search.ksefInvoice")
        for user in tenant.snapshot.users {
            let details = [user.userPrincipalName, user.department, user.jobTitle].compactMap { $0 }.joined(separator: " · ")
            entries.append(.init(title: user.displayName, summary: details, panel: peoplePanel,
                                 url: file.link(to: tenant.personPath(user.id)).path, headings: []))
        }
        for invoice in tenant.snapshot.invoices {
            var summary = f.longDate(invoice.invoiceDate) + " · " + f.money(invoice.totalCharges, invoice.currencyCode)
            if invoice.ksefNumber != nil || invoice.ksef != nil { summary += " · " + ksefInvoice }
            entries.append(.init(title: invoice.id, summary: summary,
                                 panel: invoicesPanel,
                                 url: tenant.invoiceLink(invoice.id, from: file).path, headings: [], text: invoice.ksefNumber ?? ""))
        }
        let index = HelpPageSet.SearchIndex(language: lang.language.rawValue, articles: entries)
        var script = Array("window.tenantsiteTenantIndex = ".utf8)
        script += index.json(scriptSafe: true)
        script += Array(";\n".utf8)
        try emit(file, script)
    }
}
