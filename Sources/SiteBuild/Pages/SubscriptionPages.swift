import Foundation
import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/subscriptions/<id>.html`: one subscription — every date, quantity and price, who holds
/// its licences, the invoice lines that billed it, and where to change it.
struct SubscriptionPages: TenantPageKind {
    var templateNames: [String] { ["subscription"] }

    struct Model: Encodable {
        var intro: String
        /// The status in words, with its tone (`ok`, `warn`, `bad`, `muted`), for the template's status line.
        var status: TemplateValue
        var attentionHeading: String
        var attention: [AttentionList.Row]
        var hasAttention: Bool
        /// The subscription's facts in four groups; the template lists them with their labels.
        var dates: TemplateValue
        var licences: TemplateValue
        var costs: TemplateValue
        var purchase: TemplateValue
        var holdersSummary: String
        var countNote: String?
        /// The holders' and invoice lines' rows, drawn by the template's tables (their row sections are compiled
        /// once per shape of row, so a page's row count costs no fresh parse).
        var holders: [TemplateValue]
        var hasHolders: Bool
        var uncertainNote: String?
        var assignHelpURL: SiteURL?
        var assignHelpLabel: String?
        var invoiceLines: [TemplateValue]
        var hasInvoiceLines: Bool
        var billedTotal: String
        var overviewURL: SiteURL
        var months: [MonthRow]
        var hasMonths: Bool
    }

    struct MonthRow: Encodable {
        var month: String
        var expected: String
        var billed: String
        var difference: String
        var differs: Bool
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let billed = BilledLines(tenant)
        for s in tenant.snapshot.subscriptions {
            let path = tenant.subscriptionPath(s.id)
            let model = Self.model(s, tenant: tenant, path: path, billed: billed)
            let title = SubscriptionWords(tenant).product(s).name
            let meta = tenant.meta(path, title: title, breadcrumbs: tenant.breadcrumbsToTenant)
            try emit(path, try renderer.render(path, template: "subscription", model: model, meta: meta, in: lang))
        }
    }

    /// - Parameters:
    ///   - billed: the tenant's invoice lines by subscription (`BilledLines(tenant)`).
    static func model(_ s: Subscription, tenant: TenantContext, path: SitePath, billed: BilledLines) -> Model {
        let lang = tenant.lang
        let f = tenant.format
        let snapshot = tenant.snapshot
        let words = SubscriptionWords(tenant)
        let notInSnapshot = lang.t("common.notInSnapshot")

        // What needs attention about this subscription and the people holding it.
        let holders = tenant.plan.holders(of: s)
        let items = tenant.plan.attention(about: s)
        let attention = AttentionList.rows(items, tenant: tenant, from: path, focus: s)
        let attentionHeading = lang.t("overview.attention.headingCount", ["n": f.integer(items.count)])

        // The facts; their labels and order are the template's.
        let free = TenantFacts.freeUnits(s)
        let dates: [String: TemplateValue] = [
            "status": .text("\(words.statusLabel(s)) — \(words.statusMeaning(s))"),
            "trial": .text(lang.t(s.isTrial ? "subscription.yes" : "subscription.no")),
            "created": .text(s.createdDateTime.map(f.dateTime) ?? lang.t("common.notInSnapshot")), "next": .text(words.nextDate(s)), "autoRenew": .text(words.autoRenew(s)),
        ]
        let licences: [String: TemplateValue] = [
            "usable": .text(f.integer(TenantFacts.usableUnits(s))), "enabled": .text(f.integer(s.prepaidUnits.enabled)),
            "warning": .text(f.integer(s.prepaidUnits.warning)), "suspended": .text(f.integer(s.prepaidUnits.suspended)),
            "lockedOut": .text(f.integer(s.prepaidUnits.lockedOut)), "assigned": .text(f.integer(s.consumedUnits)),
            "available": .text(free < 0 ? lang.t("subscription.overBy", ["n": f.integer(free), "over": f.integer(-free)]) : f.integer(free)),
        ]
        let costs: [String: TemplateValue] = [
            "cycle": .text(words.cycle(s)), "term": .text(words.term(s)), "unitPrice": .text(words.unitPrice(s)),
            "monthly": .text(words.monthly(s)), "yearly": .text(words.yearly(s)), "unassigned": .text(words.unassignedCost(s)),
        ]
        let management = snapshot.tenant.management
        let partner = management.partnerName
        let channel: String
        switch s.purchaseChannel {
        case .reseller, .partner:
            channel = partner.map { lang.t("subscription.channel.\(s.purchaseChannel.rawValue)Named", ["partner": $0]) }
                ?? lang.t("subscription.channel.\(s.purchaseChannel.rawValue)")
        case .selfService, .direct, .unknown:
            channel = lang.t("subscription.channel.\(s.purchaseChannel.rawValue)")
        }
        let product = words.product(s)
        let purchase: [String: TemplateValue] = [
            "channel": .text(channel),
            "purchasedBy": .text(s.purchasedBy.map { "\($0.displayName) (\($0.userPrincipalName))" }
                ?? (s.purchaseChannel == .selfService ? notInSnapshot : lang.t("sub.next.notApplicable"))),
            "productName": .text(product.unknownPartNumber ? lang.t("subscription.unknownName") : product.name),
            "partNumber": .text(s.skuPartNumber), "skuId": .text(s.skuId), "id": .text(s.id),
            "commerceId": .text(s.commerceSubscriptionId ?? notInSnapshot),
        ]

        let holderRows = Self.holderRows(holders, words: words, lang: lang)
        // An assignment in the `Error` state does not take a licence from the pool; the others do. Holders whose pool
        // is uncertain may count here or in another subscription of the product: only a count outside that range is
        // a disagreement worth saying.
        // A person given the product directly and through a group (or two groups) holds one licence, as Microsoft
        // counts them: people are counted once, whatever their rows.
        let counted = holders.filter { $0.assignment.state != .error }
        let people = Set(counted.map(\.user.id)).count
        let certain = Set(counted.filter { !$0.poolUncertain }.map(\.user.id)).count
        let inError = Set(holders.map(\.user.id)).subtracting(counted.map(\.user.id)).count
        let countNote: String? = (certain...people).contains(s.consumedUnits) ? nil
            : lang.t("subscription.countMismatch", ["consumed": f.integer(s.consumedUnits), "listed": f.integer(people)])
        // Self-service licences are managed only after taking control in the Microsoft 365 admin center, not in
        // the reseller's panel, so those subscriptions point to that article instead.
        let assignHelp = words.helpLink(s.purchaseChannel == .selfService ? "self-service" : "assign-licences", from: path)

        // Invoice lines that name this subscription, oldest first.
        let lines = billed.lines(of: s.id)
        var billedTotal = MoneyTotals()
        for line in lines { billedTotal.add(line.line.subtotal, line.document.currency) }
        let invoiceLineRows = Self.invoiceLineRows(lines, lang: lang)

        let statusHelp = words.helpLink("subscription-states", from: path)
        var intro = lang.t("subscription.intro", ["partNumber": s.skuPartNumber])
        if let note = words.productNote(s) { intro += " · " + note }
        let none = lang.t("changes.value.none")
        let monthRows = Reconciliation.months(of: s, plan: tenant.plan, references: tenant.history.monthReferences).map { m in
            MonthRow(month: tenant.format.monthHeading(year: m.year, month: m.month), expected: m.expected.map(words.money) ?? none,
                     billed: words.money(m.billed),
                     difference: m.difference.map { $0.amount.roundedHalfUp() == 0 ? lang.t("overview.reconciliation.same") : tenant.format.signedMoney($0) } ?? none,
                     differs: m.difference.map { $0.amount.roundedHalfUp() != 0 } ?? false)
        }
        return Model(
            intro: intro,
            status: .object([
                "label": .text(words.statusLabel(s)), "meaning": .text(words.statusMeaning(s)),
                "helpURL": statusHelp.map { .url($0.url) } ?? .absent, "helpLabel": statusHelp.map { .text($0.label) } ?? .absent,
                "ok": .bool(words.tone(s) == .ok), "warn": .bool(words.tone(s) == .warn),
                "bad": .bool(words.tone(s) == .bad), "muted": .bool(words.tone(s) == .muted),
            ]),
            attentionHeading: attentionHeading, attention: attention, hasAttention: !attention.isEmpty,
            dates: .object(dates), licences: .object(licences), costs: .object(costs), purchase: .object(purchase),
            // People whose assignment is in error hold no licence: counted apart.
            holdersSummary: holders.isEmpty ? lang.t("subscription.noHolders")
                : lang.plural("subscription.holders", people) + (inError > 0 ? " " + lang.plural("subscription.holdersInError", inError) : ""),
            countNote: countNote, holders: holderRows, hasHolders: !holders.isEmpty,
            uncertainNote: holders.contains(where: \.poolUncertain) ? lang.t("subscription.uncertainPool") : nil,
            assignHelpURL: assignHelp?.url, assignHelpLabel: assignHelp?.label,
            invoiceLines: invoiceLineRows, hasInvoiceLines: !lines.isEmpty,
            billedTotal: lang.t("subscription.billedTotal", ["total": words.totals(billedTotal)]),
            overviewURL: path.link(to: tenant.overviewPath),
            months: monthRows, hasMonths: !monthRows.isEmpty)
    }
}

extension SubscriptionPages {
    /// Who holds the subscription's licences (`{{#holders}}` in `subscription.md`): name (` *` when the pool is
    /// uncertain), sign-in, account (with `blocked`), how assigned, state (with `hasError`).
    static func holderRows(_ holders: [TenantFacts.Holder], words: SubscriptionWords, lang: LanguageContext) -> [TemplateValue] {
        holders.map { h in
            let state = words.assignmentError(h.assignment).map {
                lang.t("subscription.stateWithError", ["state": words.assignmentState(h.assignment), "error": $0])
            } ?? words.assignmentState(h.assignment)
            return holderKeys.record([
                .text(h.user.displayName), .bool(h.poolUncertain), .text(h.user.userPrincipalName),
                h.user.department.map { .text($0) } ?? .absent, h.user.jobTitle.map { .text($0) } ?? .absent,
                .text(lang.t(h.user.accountEnabled ? "subscription.account.enabled" : "subscription.account.blocked")),
                .bool(!h.user.accountEnabled), .text(words.assignedHow(h.assignment)), .text(state), .bool(h.assignment.hasError),
            ])
        }
    }

    static let holderKeys = RowKeys(["name", "uncertain", "signIn", "department", "jobTitle", "account", "blocked", "assigned", "state", "hasError"])

    /// The invoice lines that billed the subscription (`{{#invoiceLines}}`), in the given order: the document
    /// (number, link, kind unless an invoice, date), the line's period, description, quantity and amounts.
    static func invoiceLineRows(_ lines: [BilledLines.Line], lang: LanguageContext) -> [TemplateValue] {
        let f = lang.format
        return lines.map { entry in
            let document = entry.document, line = entry.line
            return invoiceLineKeys.record([
                .text(document.number), .url(document.url), .text(document.kind), .text(document.date), .text(entry.period),
                .text(line.description), .text("\(f.quantity(line.quantity)) \(line.unit)"),
                .text(f.money(line.unitPrice, document.currency)), .text(f.money(line.subtotal, document.currency)),
            ])
        }
    }

    static let invoiceLineKeys = RowKeys(["number", "url", "kind", "date", "period", "description", "quantity", "unitPrice", "net"])
}

/// A tenant's invoice lines by the subscription they name, with what a line's row shares with the other lines
/// of its document (link, date, kind) and the period words made once per tenant, not once per line: a document
/// bills several subscriptions, and a subscription's page lists up to a hundred lines.
struct BilledLines {
    struct Document {
        var currency: String
        /// What the row shows of the document, the same on each of its lines: its number, linked from a
        /// subscription's page (they share a folder), its kind unless an invoice, and its issue date.
        var number: String
        var url: SiteURL
        var kind: String
        var date: String
    }

    struct Line {
        var document: Document
        var line: InvoiceLine
        var period: String
    }

    private var bySubscription: [String: [Line]] = [:]

    init(_ tenant: TenantContext) {
        let lang = tenant.lang, f = tenant.format
        let invoices = tenant.snapshot.invoices
        let notInSnapshot = lang.t("common.notInSnapshot")
        // Links only depend on the folder, which every subscription page shares.
        let from = SitePaths.subscription(tenant.language, tenant.slug, "index")
        struct Span: Hashable { var start: CivilDate, end: CivilDate }
        var periods: [Span: String] = [:]
        var found: [String: [(invoice: Int, index: Int, line: Line)]] = [:]
        for (i, invoice) in invoices.enumerated() {
            var made: Document?  // at the document's first line that names a subscription
            // A KSeF invoice's lines are its XML's; those the snapshot links to a subscription count here.
            let lines = invoice.ksef?.subscriptionLines ?? invoice.lines.enumerated().map { ($0, $1) }
            for (index, line) in lines {
                guard let id = line.subscriptionId else { continue }
                let document = made ?? Self.document(invoice, from: from, tenant: tenant)
                made = document
                var period = notInSnapshot
                if let start = line.chargeStartDate ?? invoice.billingPeriodStartDate, let end = line.chargeEndDate ?? invoice.billingPeriodEndDate {
                    let span = Span(start: start, end: end)
                    if let known = periods[span] {
                        period = known
                    } else {
                        period = "\(f.shortDate(start)) – \(f.shortDate(end))"
                        periods[span] = period
                    }
                }
                found[id, default: []].append((i, index, Line(document: document, line: line, period: period)))
            }
        }
        // Oldest first; same day by number, then as the document lists them.
        bySubscription = found.mapValues { lines in
            lines.sorted { a, b in
                let x = invoices[a.invoice], y = invoices[b.invoice]
                return (x.invoiceDate, x.id, a.index) < (y.invoiceDate, y.id, b.index)
            }.map(\.line)
        }
    }

    static func document(_ invoice: Invoice, from: SitePath, tenant: TenantContext) -> Document {
        let lang = tenant.lang
        let kind: String
        switch invoice.documentType {
        case .invoice: kind = ""
        case .creditNote, .correction: kind = lang.t("subscription.document.\(invoice.documentType.rawValue)")
        default: kind = invoice.documentType.rawValue
        }
        return Document(currency: invoice.currencyCode, number: invoice.id, url: tenant.invoiceLink(invoice.id, from: from), kind: kind,
                        date: tenant.format.shortDate(invoice.invoiceDate))
    }

    func lines(of subscriptionId: String) -> [Line] { bySubscription[subscriptionId] ?? [] }
}
