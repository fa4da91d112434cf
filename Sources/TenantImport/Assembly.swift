import Foundation
import TenantModel

/// Joins the records of every file into one snapshot: by `skuId`, by subscription ids
/// (`companySubscription.id` / `commerceSubscriptionId` ↔ the Partner Center subscription id), by user id.
///
/// Who wins when sources disagree (each disagreement is reported):
/// - Graph for the directory's facts: status, licence counts, dates, trial flag, users and their licences;
/// - Partner Center for the commercial terms Graph does not have: billing cycle, term, auto-renew, offer name;
/// - the command line over `organization` for the tenant's own fields.
/// Disagreements that leave the snapshot right are warnings; those that would make it wrong (files of two
/// tenants, one record twice with different values, a licence of a sku no subscription has) are errors.
final class Assembler {
    let report: Report
    let options: Importer.Options

    private var documents: [Document] = []
    private var skus: [GraphSku] = []
    private var companySubscriptions: [GraphCompanySubscription] = []
    private var users: [GraphUser] = []
    private var licenseDetails: [(document: Document, details: [GraphLicenseDetail])] = []
    private var organizations: [GraphOrganization] = []
    private var pcSubscriptions: [PartnerCenterSubscription] = []
    private var pcInvoices: [PartnerCenterInvoice] = []
    private var pcLineItems: [PartnerCenterLineItem] = []
    /// Skus already reported for having licences but no subscription (their users' licences are not reported again).
    private var skusReportedWithoutSubscription = Set<String>()
    /// Where the files disagree: each goes into the snapshot (v2) and onto the site, with every value.
    private var disagreements: [Disagreement] = []
    /// The tenant's own id, once known: a subscription created by another tenant was created by a partner.
    private var ownTenantId: String?
    /// Group names by id (`GET /groups`).
    private var groups: [String: String] = [:]

    /// The sources as the site names them.
    enum Source {
        static let skus = "Microsoft Graph GET /subscribedSkus"
        static let subscriptions = "Microsoft Graph GET /directory/subscriptions"
        static let users = "Microsoft Graph GET /users"
        static let partnerCenter = "Partner Center subscriptions"
    }

    init(report: Report, options: Importer.Options) {
        self.report = report
        self.options = options
    }

    // MARK: - Reading

    func add(_ document: Document) {
        documents.append(document)
        let items = document.items
        switch document.kind {
        case .graphSubscribedSkus:
            skus += items.compactMap { GraphSku.read($0.node, $0.origin, report) }
        case .graphDirectorySubscriptions:
            companySubscriptions += items.compactMap { GraphCompanySubscription.read($0.node, $0.origin, report) }
        case .graphUsers:
            users += items.compactMap { GraphUser.read($0.node, $0.origin, report) }
        case .graphLicenseDetails:
            licenseDetails.append((document, items.compactMap { GraphLicenseDetail.read($0.node, $0.origin, report) }))
        case .graphOrganization:
            organizations += items.compactMap { GraphOrganization.read($0.node, $0.origin, report) }
        case .graphGroups:
            // Only names: which group assigns what is in each user's licenseAssignmentStates.
            for (node, origin) in items {
                guard let f = Fields(node, origin, report, hint: "save GET /v1.0/groups?$select=id,displayName as Microsoft returns it") else { continue }
                if let id = f.guid("id"), let name = f.string("displayName") { groups[id.lowercased()] = name }
            }
        case .partnerCenterSubscriptions:
            pcSubscriptions += items.compactMap { PartnerCenterSubscription.read($0.node, $0.origin, report) }
        case .partnerCenterInvoices:
            pcInvoices += items.compactMap { PartnerCenterInvoice.read($0.node, $0.origin, report) }
        case .partnerCenterLicenseBasedLineItems, .partnerCenterOneTimeLineItems:
            let uriInvoice = document.top.path("links", "self", "uri").flatMap(PartnerCenterLineItem.invoiceId(inURI:))
            pcLineItems += items.compactMap {
                PartnerCenterLineItem.read($0.node, $0.origin, report, oneTime: document.kind == .partnerCenterOneTimeLineItems, invoiceFromURI: uriInvoice)
            }
        }
    }

    // MARK: - Joining

    func assemble() -> Snapshot? {
        checkPages()
        skus = unique(skus, key: \.skuId, what: "sku", subject: .sku, describe: { "\($0.prepaidUnits.enabled) / \($0.consumedUnits)" }, same: { $0.consumedUnits == $1.consumedUnits && $0.prepaidUnits == $1.prepaidUnits && $0.skuPartNumber == $1.skuPartNumber })
        companySubscriptions = unique(companySubscriptions, key: \.id, what: "subscription", subject: .subscription,
                                      describe: { "\($0.totalLicenses), \($0.graphStatus)" }, same: {
            $0.skuId == $1.skuId && $0.graphStatus == $1.graphStatus && $0.totalLicenses == $1.totalLicenses && $0.isTrial == $1.isTrial
                && $0.createdDateTime == $1.createdDateTime && $0.nextLifecycleDateTime == $1.nextLifecycleDateTime
                && $0.commerceSubscriptionId == $1.commerceSubscriptionId
        })
        users = unique(users, key: \.id, what: "user", subject: .user, describe: { "\($0.licences.count), \($0.accountEnabled ? "enabled" : "blocked")" }, same: {
            $0.displayName == $1.displayName && $0.userPrincipalName == $1.userPrincipalName && $0.accountEnabled == $1.accountEnabled
                && $0.department == $1.department && $0.jobTitle == $1.jobTitle
                && $0.licences.map { "\($0.state.skuId) \($0.state.assignedByGroup ?? "-") \($0.state.state) \($0.state.error?.rawValue ?? "-")" }
                == $1.licences.map { "\($0.state.skuId) \($0.state.assignedByGroup ?? "-") \($0.state.state) \($0.state.error?.rawValue ?? "-")" }
        })
        organizations = unique(organizations, key: \.id, what: "organization", same: { _, _ in true })
        pcSubscriptions = unique(pcSubscriptions, key: { $0.id.lowercased() }, what: "Partner Center subscription", same: {
            $0.quantity == $1.quantity && $0.status == $1.status && $0.autoRenewEnabled == $1.autoRenewEnabled
                && $0.billingCycle == $1.billingCycle && $0.termDuration == $1.termDuration && $0.commitmentEndDate == $1.commitmentEndDate
        })
        pcInvoices = unique(pcInvoices, key: \.id, what: "Partner Center invoice", same: { $0.totalCharges == $1.totalCharges && $0.paidAmount == $1.paidAmount })

        let tenantId = resolveTenantId()
        ownTenantId = tenantId
        let tenant = resolveTenant(id: tenantId)
        let subscriptions = buildSubscriptions()
        let users = buildUsers(subscriptions: subscriptions)
        reportPartnerCenterInvoices(tenantId: tenantId)

        guard let tenant, !report.hasErrors else { return nil }
        let slug = options.slug ?? Importer.slug(from: tenant.displayName)
        guard SnapshotDecoder.isValidSlug(slug) else {
            report.error(file: Report.commandLine, .wholeFile, options.slug == nil
                ? "no slug can be made from the name \"\(Fields.preview(tenant.displayName))\": pass --slug"
                : "the slug \"\(Fields.preview(slug))\" does not match \(SnapshotDecoder.slugPattern)")
            return nil
        }
        // The groups that assign a licence, named when a GET /groups file has them (the others show as their ids).
        let assigning = Set(users.flatMap { $0.licenseAssignmentStates.compactMap { $0.assignedByGroup?.lowercased() } })
        let named = assigning.sorted().compactMap { id in groups[id].map { Group(id: id, displayName: $0) } }
        return Snapshot(slug: slug, capturedDateTime: options.capturedDateTime, tenant: tenant, groups: named,
                        subscriptions: subscriptions, users: users, invoices: [], disagreements: disagreements)
    }

    /// Several pages of one list: at least one file must be the last page (no `@odata.nextLink` / `links.next`).
    private func checkPages() {
        var groups: [String: [Document]] = [:]
        for document in documents where !document.isSingle {
            var key = document.kind.rawValue
            if document.kind == .graphLicenseDetails { key += " " + (document.licenseDetailsUser ?? "?") }
            if document.kind == .partnerCenterLicenseBasedLineItems || document.kind == .partnerCenterOneTimeLineItems {
                key += " " + (document.top.path("links", "self", "uri").flatMap(PartnerCenterLineItem.invoiceId(inURI:)) ?? "?")
            }
            groups[key, default: []].append(document)
        }
        for key in groups.keys.sorted() {
            let pages = groups[key]!
            guard pages.allSatisfy(\.continues), let first = pages.first else { continue }
            let link = first.kind.isGraph ? "@odata.nextLink" : "links.next"
            let origin = Origin(file: first.file, path: first.kind.isGraph ? JSONPath.root.appending("@odata.nextLink")
                                                                           : JSONPath.root.appending("links").appending("next"))
            let names = pages.map(\.file).joined(separator: ", ")
            if first.kind.isGraph {
                report.warn(origin, "\(first.kind) continues on another page (\(link)), but every file of it (\(names)) says more follow: what is on the missing pages is not in the snapshot; save every page, up to the one without \(link)")
            } else {
                report.warn(origin, "\(first.kind) continues on another page (\(link)), but every file of it (\(names)) says more follow: what is on the missing pages is not in the snapshot")
            }
        }
    }

    /// One record per id: the same record in two files (overlapping pages, a list and a single GET) is fine
    /// when it says the same. When it does not (saved at different times), the first is kept, with a warning, and —
    /// for a sku, subscription or user — a disagreement that shows both saves.
    private func unique<T>(_ records: [T], key: (T) -> String, what: String, subject: Disagreement.Subject? = nil,
                           describe: (T) -> String = { _ in "" }, same: (T, T) -> Bool) -> [T] where T: HasOrigin {
        var seen: [String: T] = [:]
        var result: [T] = []
        for record in records {
            let id = key(record)
            if let earlier = seen[id] {
                if !same(earlier, record) {
                    report.warn(record.origin, "the \(what) \(id) is also in \(earlier.origin) with different values (saved at different times?): the snapshot keeps the one in \(earlier.origin.file)")
                    if let subject {
                        disagreements.append(Disagreement(subject: subject, id: id, name: id, field: "savedTwice", claims: [
                            .init(source: earlier.origin.file, value: describe(earlier)), .init(source: record.origin.file, value: describe(record)),
                        ], kept: earlier.origin.file))
                    }
                }
                continue
            }
            seen[id] = record
            result.append(record)
        }
        return result
    }

    // MARK: - Tenant

    private func resolveTenantId() -> String? {
        var sources: [(id: String, origin: Origin, what: String)] = []
        sources += organizations.map { ($0.id, $0.origin.appending("id"), "organization id") }
        sources += skus.compactMap { sku in sku.tenantId.map { ($0, sku.origin.appending("id"), "subscribedSku id") } }
        sources += pcSubscriptions.compactMap { s in s.customerId.map { ($0, s.origin.appending("links").appending("self").appending("uri"), "Partner Center customer id") } }
        guard let first = sources.first else {
            report.error(file: Report.commandLine, .wholeFile, "the tenant id is in no file: add the GET /organization or GET /subscribedSkus response")
            return nil
        }
        var reported = Set<String>()
        for source in sources.dropFirst() where source.id != first.id && reported.insert(source.id).inserted {
            report.error(source.origin, "this file is of tenant \(source.id) (\(source.what)), but \(first.origin) is of tenant \(first.id): import the files of one tenant at a time")
        }
        return first.id
    }

    private func resolveTenant(id: String?) -> Tenant? {
        let org = organizations.first
        func pick(_ option: String?, _ fromFile: String?, field: String, flag: String) -> String? {
            if let option, let fromFile, option != fromFile, let org {
                report.warn(org.origin.appending(field), "\(flag) \"\(Fields.preview(option))\" is used instead of \"\(Fields.preview(fromFile))\" from this file")
            }
            return option ?? fromFile
        }
        let name = pick(options.name, org?.displayName, field: "displayName", flag: "--name")
        let domain = pick(options.defaultDomain, org?.defaultDomain, field: "verifiedDomains", flag: "--domain")
        let country = pick(options.countryLetterCode, org?.countryLetterCode, field: "countryLetterCode", flag: "--country")
        if name == nil { missingFact("the tenant's name", "pass --name or add the GET /organization response") }
        if domain == nil { missingFact("the tenant's default domain", "pass --domain or add the GET /organization response") }
        if country == nil { missingFact("the tenant's country", "pass --country (e.g. PL) or add the GET /organization response") }
        if let country, !(country.utf8.count == 2 && country.utf8.allSatisfy({ (0x41...0x5A).contains($0) })) {
            report.error(file: Report.commandLine, .wholeFile, "--country must be a two-letter upper-case code like PL, not \"\(Fields.preview(country))\"")
        }

        var language = options.preferredLanguage
        if language == nil, let org, let written = org.preferredLanguage {
            let primary = written.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
            language = Language(rawValue: primary) ?? .en
            if Language(rawValue: primary) == nil {
                report.warn(org.origin.appending("preferredLanguage"), "\"\(Fields.preview(written))\" is not a language of the site (pl, en): en is used; pass --language to choose")
            }
        }
        if language == nil, let country {
            language = country == "PL" ? .pl : .en
            report.warn(file: Report.commandLine, .wholeFile, "the tenant's language is in no file: \(language!.rawValue) is used for country \(country); pass --language to choose")
        }

        var channel = options.channel
        if channel == nil, documents.contains(where: { !$0.kind.isGraph }) { channel = .partner }
        if channel == nil { missingFact("how the tenant is sold and managed", "pass --channel home.pl, az.pl, partner or direct") }

        guard let id, let name, let domain, let country, let language, let channel else { return nil }
        return Tenant(id: id, displayName: name, defaultDomain: domain, countryLetterCode: country, preferredLanguage: language,
                      management: Management(channel: channel, partnerName: options.partnerName))
    }

    private func missingFact(_ what: String, _ how: String) {
        report.error(file: Report.commandLine, .wholeFile, "no file holds \(what): \(how)")
    }

    // MARK: - Subscriptions

    private func buildSubscriptions() -> [Subscription] {
        let hasSkuFiles = documents.contains { $0.kind == .graphSubscribedSkus }
        if !documents.contains(where: { $0.kind == .graphDirectorySubscriptions }) {
            missingFact("the tenant's subscriptions (status, creation date, licences of each)",
                        "add the GET /directory/subscriptions response (Partner Center has no skuId and no assigned licences)")
            return []
        }
        if !hasSkuFiles, companySubscriptions.contains(where: { $0.status != .deleted }) {
            missingFact("how many licences are assigned (consumedUnits)", "add the GET /subscribedSkus response")
        }

        var skuById: [String: GraphSku] = [:]
        for sku in skus { skuById[sku.skuId] = sku }
        var bySku: [String: [GraphCompanySubscription]] = [:]
        for s in companySubscriptions { bySku[s.skuId, default: []].append(s) }

        // Skus with no subscription to put them in.
        for sku in skus where bySku[sku.skuId] == nil {
            let units = sku.prepaidUnits
            let name = sku.skuPartNumber ?? sku.skuId
            if sku.consumedUnits == 0, units.enabled + units.suspended + units.warning + units.lockedOut == 0 {
                report.warn(sku.origin, "sku \(name) has no licences and no subscription in the GET /directory/subscriptions files: left out")
            } else {
                // The two lists are separate endpoints, saved minutes apart: a purchase in between shows in one only.
                let total = units.enabled + units.suspended + units.warning + units.lockedOut
                skusReportedWithoutSubscription.insert(sku.skuId)
                report.warn(sku.origin, "sku \(name) (\(sku.skuId)) has \(total) licences, \(sku.consumedUnits) assigned, but no subscription of it is in the GET /directory/subscriptions files (saved at another time?): the snapshot takes its licences from this sku, with no creation date, and records the disagreement")
                disagreements.append(Disagreement(subject: .sku, id: sku.skuId, name: name, field: "listed", claims: [
                    .init(source: Source.skus, value: String(total)),
                    .init(source: Source.subscriptions, value: Disagreement.notListed),
                ], kept: Source.skus))
            }
        }

        // Consumed licences are counted per sku; each subscription gets its share (see `share`).
        var consumed: [String: Int] = [:]
        for (skuId, subs) in bySku {
            guard let sku = skuById[skuId] else {
                for s in subs where s.status != .deleted && hasSkuFiles {
                    report.warn(s.origin.appending("skuId"), "sku \(s.skuPartNumber ?? s.skuId) is in no GET /subscribedSkus file (saved at another time?), so its assigned licences are not known: the snapshot counts 0 assigned and records the disagreement")
                    disagreements.append(Disagreement(subject: .subscription, id: s.id, name: s.skuPartNumber ?? s.skuId, field: "listed", claims: [
                        .init(source: Source.subscriptions, value: String(s.totalLicenses)),
                        .init(source: Source.skus, value: Disagreement.notListed),
                    ], kept: Source.subscriptions))
                }
                for s in subs { consumed[s.id] = 0 }
                continue
            }
            let summed = subs.reduce(Subscription.PrepaidUnits(enabled: 0)) { total, s in
                let u = s.prepaidUnits
                return .init(enabled: total.enabled + u.enabled, suspended: total.suspended + u.suspended,
                             warning: total.warning + u.warning, lockedOut: total.lockedOut + u.lockedOut)
            }
            if summed != sku.prepaidUnits {
                report.warn(sku.origin.appending("prepaidUnits"), "sku \(sku.skuPartNumber ?? skuId) counts \(describe(sku.prepaidUnits)) licences, but its subscriptions in GET /directory/subscriptions add up to \(describe(summed)): the snapshot keeps each subscription's totalLicenses")
            }
            let shares = share(sku.consumedUnits, over: subs)
            consumed.merge(shares) { $1 }
            if subs.count > 1, sku.consumedUnits > 0 {
                let list = subs.sorted(by: Self.oldestFirst).map { "\($0.id): \(shares[$0.id]!)" }.joined(separator: ", ")
                report.warn(sku.origin.appending("consumedUnits"), "sku \(sku.skuPartNumber ?? skuId) has \(subs.count) subscriptions; Graph counts its \(sku.consumedUnits) assigned licences per sku, not per subscription, so the snapshot gives them to the oldest subscriptions first, up to each one's licences (\(list))")
            }
        }

        // Partner Center subscriptions join by id: Graph commerceSubscriptionId or id.
        var pcById: [String: PartnerCenterSubscription] = [:]
        for s in pcSubscriptions { pcById[s.id.lowercased()] = s }
        var joined = Set<String>()
        var result: [Subscription] = []
        for cs in companySubscriptions {
            var pc = cs.commerceSubscriptionId.flatMap { pcById[$0.lowercased()] } ?? pcById[cs.id.lowercased()]
            if pc == nil, bySku[cs.skuId]?.count == 1, let sku = skuById[cs.skuId] {
                pc = sku.subscriptionIds.lazy.compactMap { pcById[$0.lowercased()] }.first
            }
            if let pc, !joined.insert(pc.id.lowercased()).inserted {
                report.warn(pc.origin, "Partner Center subscription \(pc.id) matches more than one Graph subscription; only the first gets its terms")
            }
            let part = cs.skuPartNumber ?? skuById[cs.skuId]?.skuPartNumber
                ?? licenseDetails.lazy.flatMap(\.details).first(where: { $0.skuId == cs.skuId })?.skuPartNumber
            if let a = cs.skuPartNumber, let b = skuById[cs.skuId]?.skuPartNumber, a != b {
                report.warn(cs.origin.appending("skuPartNumber"), "\"\(a)\" here, \"\(b)\" in \(skuById[cs.skuId]!.origin): the subscription's is kept")
            }
            guard let part else {
                report.error(cs.origin.appending("skuPartNumber"), "the sku's part number is in no file: \(Hints.directorySubscriptions)")
                continue
            }
            var status = cs.status
            var isTrial = cs.isTrial
            if let pc {
                status = reconcile(cs, pc)
                let name = pc.offerName ?? cs.skuPartNumber ?? skuById[cs.skuId]?.skuPartNumber ?? cs.skuId
                if let quantity = pc.quantity, quantity != cs.totalLicenses {
                    report.warn(pc.origin.appending("quantity"), "Partner Center says \(quantity) licences, Graph (\(cs.origin)) \(cs.totalLicenses): the snapshot keeps Graph's and records the disagreement")
                    disagreements.append(Disagreement(subject: .subscription, id: cs.id, name: name, field: "licences", claims: [
                        .init(source: Source.subscriptions, value: String(cs.totalLicenses)), .init(source: Source.partnerCenter, value: String(quantity)),
                    ], kept: Source.subscriptions))
                }
                if let trial = pc.isTrial, trial != isTrial {
                    report.warn(pc.origin.appending("isTrial"), "Partner Center says isTrial \(trial), Graph (\(cs.origin)) \(isTrial): the snapshot keeps Graph's and records the disagreement")
                    disagreements.append(Disagreement(subject: .subscription, id: cs.id, name: name, field: "isTrial", claims: [
                        .init(source: Source.subscriptions, value: String(isTrial)), .init(source: Source.partnerCenter, value: String(trial)),
                    ], kept: Source.subscriptions))
                    isTrial = cs.isTrial
                }
                if let pcStatus = pc.status, status == cs.status, !Self.statusesAgree(pcStatus, cs.status) {
                    disagreements.append(Disagreement(subject: .subscription, id: cs.id, name: name, field: "status", claims: [
                        .init(source: Source.subscriptions, value: cs.graphStatus), .init(source: Source.partnerCenter, value: pcStatus),
                    ], kept: Source.subscriptions))
                }
            }
            // From evidence only: a Partner Center record, or nothing (the tenant's --channel says who manages it, not
            // who bought each subscription: free sign-ups and self-service trials are in every tenant).
            let channel: Subscription.PurchaseChannel = options.purchaseChannel ?? (pc != nil ? .partner : evidentChannel(cs))
            result.append(Subscription(
                id: cs.id, commerceSubscriptionId: cs.commerceSubscriptionId, skuId: cs.skuId, skuPartNumber: part,
                productName: pc?.offerName, status: status, isTrial: isTrial, prepaidUnits: cs.prepaidUnits,
                consumedUnits: consumed[cs.id] ?? 0, createdDateTime: cs.createdDateTime,
                nextLifecycleDateTime: cs.nextLifecycleDateTime ?? pc?.commitmentEndDate, billingCycle: pc?.billingCycle,
                termDuration: pc?.termDuration, autoRenewEnabled: pc?.autoRenewEnabled, unitPrice: nil, currencyCode: nil,
                purchaseChannel: channel))
        }
        // A sku whose subscription record was not saved: its licences, from the sku, and nothing invented.
        for sku in skus where skusReportedWithoutSubscription.contains(sku.skuId) {
            let status = sku.capabilityStatus.flatMap { GraphCompanySubscription.statuses[$0] } ?? .active
            let id = sku.subscriptionIds.first.map { $0.lowercased() } ?? sku.skuId
            let pc = pcById[id] ?? sku.subscriptionIds.lazy.compactMap { pcById[$0.lowercased()] }.first
            if let pc { joined.insert(pc.id.lowercased()) }
            result.append(Subscription(
                id: id, skuId: sku.skuId, skuPartNumber: sku.skuPartNumber ?? sku.skuId, productName: pc?.offerName, status: status,
                isTrial: pc?.isTrial ?? false, prepaidUnits: sku.prepaidUnits, consumedUnits: sku.consumedUnits, createdDateTime: nil,
                nextLifecycleDateTime: pc?.commitmentEndDate, billingCycle: pc?.billingCycle, termDuration: pc?.termDuration,
                autoRenewEnabled: pc?.autoRenewEnabled, purchaseChannel: options.purchaseChannel ?? (pc != nil ? .partner : .unknown)))
        }
        for pc in pcSubscriptions where !joined.contains(pc.id.lowercased()) {
            report.warn(pc.origin, "Partner Center subscription \(pc.id)\(pc.offerName.map { " (\($0))" } ?? "") matches no Graph subscription (by commerceSubscriptionId or id): left out, as Partner Center alone has no skuId and no assigned licences")
        }
        return result.sorted { ($0.createdDateTime?.secondsSinceEpoch ?? .max, $0.id) < ($1.createdDateTime?.secondsSinceEpoch ?? .max, $1.id) }
    }

    private static func oldestFirst(_ a: GraphCompanySubscription, _ b: GraphCompanySubscription) -> Bool {
        (a.createdDateTime, a.id) < (b.createdDateTime, b.id)
    }

    /// A sku's assigned licences given out to its subscriptions, oldest first, each up to its usable licences
    /// (enabled + warning); what is left (an over-assigned pool) goes to the last one that has licences.
    private func share(_ consumed: Int, over subs: [GraphCompanySubscription]) -> [String: Int] {
        let ordered = subs.sorted(by: Self.oldestFirst)
        var result: [String: Int] = [:]
        var left = consumed
        for s in ordered {
            let take = min(left, s.prepaidUnits.enabled + s.prepaidUnits.warning)
            result[s.id] = take
            left -= take
        }
        if left > 0, let last = ordered.last(where: { $0.prepaidUnits.enabled + $0.prepaidUnits.warning > 0 })
            ?? ordered.last(where: { $0.status != .deleted }) ?? ordered.last {
            result[last.id, default: 0] += left
        }
        return result
    }

    private func describe(_ u: Subscription.PrepaidUnits) -> String {
        "enabled \(u.enabled), suspended \(u.suspended), warning \(u.warning), lockedOut \(u.lockedOut)"
    }

    /// Graph's status, refined by Partner Center's when they agree (`suspended` says more than `disabled`).
    private func reconcile(_ cs: GraphCompanySubscription, _ pc: PartnerCenterSubscription) -> Subscription.Status {
        guard let pcStatus = pc.status else { return cs.status }
        switch (pcStatus, cs.status) {
        case ("active", .active), ("expired", .expired), ("disabled", .disabled), ("deleted", .deleted), ("pending", .active):
            return cs.status
        case ("suspended", .disabled):
            return .suspended
        default:
            report.warn(pc.origin.appending("status"), "Partner Center says \"\(pcStatus)\", Graph (\(cs.origin)) \"\(cs.graphStatus)\": the snapshot keeps Graph's (\(cs.status.rawValue))")
            return cs.status
        }
    }

    /// What Graph itself says about who bought a subscription: `ownerTenantId` is "the Microsoft partner tenant that
    /// created the subscription on a customer tenant" (Microsoft Graph, companySubscription). Another tenant's id there
    /// means a partner (a reseller, when the tenant is managed by one) created it; the tenant's own id, or none, says
    /// nothing about whether an admin or a user with a card bought it.
    private func evidentChannel(_ cs: GraphCompanySubscription) -> Subscription.PurchaseChannel {
        guard let owner = cs.ownerTenantId, let own = ownTenantId, owner != own.lowercased() else { return .unknown }
        switch options.channel {
        case .homePl?, .azPl?: return .reseller
        default: return .partner
        }
    }

    /// Whether Partner Center's status word and Graph's say the same (`reconcile`'s agreeing pairs).
    static func statusesAgree(_ pcStatus: String, _ graph: Subscription.Status) -> Bool {
        switch (pcStatus, graph) {
        case ("active", .active), ("expired", .expired), ("disabled", .disabled), ("deleted", .deleted), ("pending", .active), ("suspended", .disabled):
            return true
        default:
            return false
        }
    }

    // MARK: - Users

    private func buildUsers(subscriptions: [Subscription]) -> [User] {
        if !documents.contains(where: { $0.kind == .graphUsers }) {
            let assigned = skus.reduce(0) { $0 + $1.consumedUnits }
            report.warn(file: Report.commandLine, .wholeFile, "no GET /users response: the snapshot lists no users\(assigned > 0 ? " (\(assigned) licences are assigned)" : "")")
        }
        let snapshotSkus = Set(subscriptions.map(\.skuId))
        let skusWithoutSubscription = skusReportedWithoutSubscription
        let hasSubscriptionFiles = documents.contains { $0.kind == .graphDirectorySubscriptions }
        var result: [User] = []
        for user in users {
            // A group still assigning a product the tenant no longer has (its members in state Error, CountViolation),
            // or a purchase between the saves: the person keeps the other licences; this one is recorded, not counted.
            var kept: [LicenseAssignment] = []
            for (licence, origin) in user.licences {
                guard hasSubscriptionFiles, !snapshotSkus.contains(licence.skuId), !skusWithoutSubscription.contains(licence.skuId) else {
                    kept.append(licence)
                    continue
                }
                // Microsoft's own words for the state, as the users response gives them.
                let how = [licence.state.rawValue, licence.error?.rawValue].compactMap { $0 }.joined(separator: ", ")
                report.warn(origin.appending("skuId"), "the user has sku \(licence.skuId) (\(how)\(licence.assignedByGroup.map { ", by group \($0)" } ?? "")), which no subscription in these files has: left out of the user's licences and recorded as a disagreement")
                disagreements.append(Disagreement(subject: .user, id: user.id, name: user.displayName, field: "licence", sku: licence.skuId, claims: [
                    .init(source: Source.users, value: how),
                    .init(source: Source.subscriptions + ", " + Source.skus, value: Disagreement.notListed),
                ]))
            }
            if let assigned = user.assignedSkuIds {
                let states = Set(user.licences.map(\.state.skuId))
                for sku in assigned where !states.contains(sku) {
                    report.warn(user.origin.appending("assignedLicenses"), "sku \(sku) is in assignedLicenses but not in licenseAssignmentStates: the snapshot has only licenseAssignmentStates")
                }
            }
            result.append(User(id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName,
                               department: user.department, jobTitle: user.jobTitle, accountEnabled: user.accountEnabled,
                               licenseAssignmentStates: kept, signInActivity: user.signInActivity))
        }
        crossCheckLicenseDetails()
        // A missing first page leaves no trace in the pages that were saved (only the last has no nextLink): the
        // licences Microsoft counts as assigned show it from the other end.
        if documents.contains(where: { $0.kind == .graphUsers }), !skus.isEmpty {
            let assigned = skus.reduce(0) { $0 + $1.consumedUnits }
            var held = Set<String>()
            for user in users { for (licence, _) in user.licences where licence.state != .error { held.insert(user.id + " " + licence.skuId) } }
            if held.count < assigned {
                let files = documents.filter { $0.kind == .graphUsers }.map(\.file).joined(separator: ", ")
                report.warn(file: files, .wholeFile, "the users in these files hold \(held.count) of the \(assigned) licences GET /subscribedSkus counts as assigned: if a page of GET /users is missing (every page but the last ends with @odata.nextLink), save it too")
            }
        }
        return result.sorted { ($0.userPrincipalName.lowercased(), $0.id) < ($1.userPrincipalName.lowercased(), $1.id) }
    }

    /// licenseDetails (per user) only confirms: it has no state and no assigning group.
    private func crossCheckLicenseDetails() {
        for (document, details) in licenseDetails {
            let origin = Origin(file: document.file, path: .root)
            guard let key = document.licenseDetailsUser?.lowercased() else {
                report.warn(origin, "these licenseDetails do not say whose they are (no users('…') in @odata.context): used only for sku names")
                continue
            }
            guard let user = users.first(where: { $0.id == key || $0.userPrincipalName.lowercased() == key }) else {
                report.warn(origin, "licenseDetails of user \(key), who is in no GET /users file: used only for sku names (licenseDetails has no name, sign-in name or state)")
                continue
            }
            let listed = Set(details.map(\.skuId))
            let held = Set(user.licences.filter { $0.state.state != .error }.map(\.state.skuId))
            if listed != held {
                let onlyDetails = listed.subtracting(held).sorted().joined(separator: ", ")
                let onlyStates = held.subtracting(listed).sorted().joined(separator: ", ")
                report.warn(origin, "licenseDetails of \(user.userPrincipalName) differ from the licenseAssignmentStates in \(user.origin)"
                    + (onlyDetails.isEmpty ? "" : "; only here: \(onlyDetails)") + (onlyStates.isEmpty ? "" : "; only there: \(onlyStates)")
                    + ": the snapshot keeps licenseAssignmentStates")
            }
        }
    }

    // MARK: - Partner Center invoices

    /// Partner Center invoices are Microsoft's bills **to the partner**, for all of the partner's customers:
    /// no due date, no seller or buyer, tax amounts without VAT rates, totals that are not this tenant's.
    /// The snapshot's invoices are documents addressed to the tenant, so none is made up from them; each is
    /// named in a warning with what it holds for this tenant.
    private func reportPartnerCenterInvoices(tenantId: String?) {
        var ids: [String] = []
        var invoices: [String: PartnerCenterInvoice] = [:]
        func collect(_ invoice: PartnerCenterInvoice) {
            if invoices[invoice.id] == nil { ids.append(invoice.id) }
            invoices[invoice.id] = invoice
            invoice.amendments.forEach(collect)
        }
        pcInvoices.forEach(collect)
        var lines: [String: [PartnerCenterLineItem]] = [:]
        for line in pcLineItems {
            let id = line.invoiceId ?? "(unknown invoice)"
            if invoices[id] == nil, lines[id] == nil { ids.append(id) }
            lines[id, default: []].append(line)
        }
        for id in ids {
            let ours = (lines[id] ?? []).filter { tenantId != nil && $0.customerId == tenantId }
            let others = (lines[id] ?? []).count - ours.count
            let origin = invoices[id]?.origin ?? lines[id]!.first!.origin
            var what = "Partner Center invoice \(id)"
            if let invoice = invoices[id] {
                let facts = [invoice.documentType, invoice.invoiceDate?.iso,
                             invoice.totalCharges.map { "\(SnapshotWriter.decimalText($0)) \(invoice.currencyCode ?? "")".trimmingCharacters(in: .whitespaces) }]
                    .compactMap { $0 }
                if !facts.isEmpty { what += " (" + facts.joined(separator: ", ") + ")" }
            }
            var held = ""
            if lines[id] != nil {
                held = "; its line items here: \(ours.count) for this tenant, \(others) for other customers"
            }
            report.warn(origin, "\(what) is Microsoft's bill to the partner, not an invoice to this tenant: not imported (Partner Center gives no due date, seller, buyer or VAT rate)\(held)")
        }
    }
}

protocol HasOrigin { var origin: Origin { get } }
extension GraphSku: HasOrigin {}
extension GraphCompanySubscription: HasOrigin {}
extension GraphUser: HasOrigin {}
extension GraphOrganization: HasOrigin {}
extension PartnerCenterSubscription: HasOrigin {}
extension PartnerCenterInvoice: HasOrigin {}
