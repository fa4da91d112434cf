import SiteRender
import TenantModel

/// `<lang>/tenants/<slug>/people/index.html`: everyone, grouped by department, with their licences, how each is held,
/// its state and monthly cost, whether they can sign in and when they last did; the cost per department; the people ×
/// products matrix. `people/<person>.html`: one person. `people/people.csv`: a row per person and licence.
struct PeoplePages: TenantPageKind {
    var templateNames: [String] { ["people", "person"] }

    struct Licence: Encodable {
        var product: String
        var url: SiteURL?
        var how: String
        var state: String
        var hasError: Bool
        var cost: String
    }

    struct PersonRow: Encodable {
        var name: String
        var url: SiteURL
        var jobTitle: String
        var licences: String
        var cost: String
        var account: String
        var blocked: Bool
        var lastSignIn: String
        var idle: Bool
    }

    struct Department: Encodable {
        var name: String
        var people: [PersonRow]
        var count: String
        var cost: String
    }

    /// One product of the people × products view: all, some or none of the people hold it, and who.
    struct ProductRow: Encodable {
        var name: String
        var holders: String
        var who: String
    }

    struct Model: Encodable {
        var intro: String
        var departments: [Department]
        var hasPeople: Bool
        var totals: [Department]
        var matrix: [ProductRow]
        var hasMatrix: Bool
        var csvURL: SiteURL
        var signInNote: String
    }

    struct PersonModel: Encodable {
        var intro: String
        var facts: TemplateValue
        var licences: [Licence]
        var hasLicences: Bool
        var attention: [AttentionList.Row]
        var hasAttention: Bool
        var peopleURL: SiteURL
    }

    func render(_ tenant: TenantContext, with renderer: PageRenderer, emit: (SitePath, [UInt8]) throws -> Void) throws {
        let lang = tenant.lang
        let path = tenant.peoplePath()
        let words = PeopleWords(tenant)
        let users = tenant.snapshot.users

        // By department (those without one last), by name within each.
        var byDepartment: [String: [User]] = [:]
        for user in users { byDepartment[user.department?.trimmingCharacters(in: .whitespaces) ?? "", default: []].append(user) }
        let names = byDepartment.keys.sorted { $0.isEmpty != $1.isEmpty ? $1.isEmpty : NameOrder.precedes(($0, ""), ($1, "")) }
        var departments: [Department] = []
        var totals: [Department] = []
        for name in names {
            let people = NameOrder.sorted(byDepartment[name]!, by: { [$0.displayName] }, tie: \.id)
            var cost = MoneyTotals()
            for user in people { for money in words.cost(user).sorted { cost.add(money) } }
            let label = name.isEmpty ? lang.t("people.noDepartment") : name
            let count = lang.plural("people.count", people.count)
            departments.append(Department(name: label, people: people.map { words.row($0, from: path) }, count: count, cost: words.subscriptionWords.totals(cost)))
            totals.append(Department(name: label, people: [], count: count, cost: cost.isEmpty ? lang.t("people.noCost") : words.subscriptionWords.totals(cost)))
        }
        let withSignIn = users.filter { $0.signInActivity != nil }.count
        let named = names.filter { !$0.isEmpty }.count
        let model = Model(
            intro: lang.t("people.intro", ["people": lang.plural("people.count", users.count),
                                           "departments": named == 0 ? lang.t("people.departmentsNone") : lang.plural("people.departments", named)]),
            departments: departments, hasPeople: !users.isEmpty, totals: totals,
            matrix: words.matrix(), hasMatrix: !users.isEmpty && !tenant.plan.live.isEmpty,
            csvURL: path.link(to: tenant.peoplePath("people.csv")),
            signInNote: withSignIn == 0 ? lang.t("people.signIn.none") : lang.t("people.signIn.note", ["days": String(TenantFacts.idleDays)]))
        var meta = tenant.meta(path, title: lang.t("people.title"), breadcrumbs: tenant.breadcrumbsToTenant)
        meta.pageClass = "page-people"
        try emit(path, try renderer.render(path, template: "people", model: model, meta: meta, in: lang))

        for user in users {
            let page = tenant.personPath(user.id)
            let items = tenant.plan.attention.filter { $0.userIds.contains(user.id) }.map { item -> TenantFacts.AttentionItem in
                var mine = item
                mine.userIds = [user.id]
                return mine
            }
            let attention = AttentionList.rows(items, tenant: tenant, from: page)
            let person = PersonModel(
                intro: user.userPrincipalName, facts: words.facts(user), licences: words.licences(user, from: page),
                hasLicences: !user.licenseAssignmentStates.isEmpty, attention: attention, hasAttention: !attention.isEmpty,
                peopleURL: page.link(to: path))
            var crumbs = tenant.breadcrumbsToTenant
            crumbs.append((lang.t("people.title"), path))
            var personMeta = tenant.meta(page, title: user.displayName, breadcrumbs: crumbs)
            personMeta.pageClass = "page-people"
            try emit(page, try renderer.render(page, template: "person", model: person, meta: personMeta, in: lang))
        }
        try emit(tenant.peoplePath("people.csv"), words.csv())
    }
}

/// A person's facts in the words of a tenant's language.
struct PeopleWords {
    let tenant: TenantContext
    let subscriptionWords: SubscriptionWords
    var lang: LanguageContext { tenant.lang }
    var f: LocaleFormat { tenant.format }

    init(_ tenant: TenantContext) {
        self.tenant = tenant
        subscriptionWords = SubscriptionWords(tenant)
    }

    func cost(_ user: User) -> MoneyTotals { TenantFacts.personMonthlyCost(user, subscriptionOf: tenant.plan.subscription(of:)) }

    func productName(_ a: LicenseAssignment) -> String {
        if let s = tenant.plan.subscription(of: a) ?? tenant.plan.subscriptionsBySku[a.skuId]?.first { return subscriptionWords.product(s).name }
        return a.skuId
    }

    /// "12 March 2026 (8 days ago)", "never", or "not in the snapshot".
    func lastSignIn(_ user: User) -> String {
        guard let activity = user.signInActivity else { return lang.t("common.notInSnapshot") }
        guard let last = activity.last else { return lang.t("people.signIn.never") }
        let day = f.date(last)
        return lang.t("people.signIn.when", ["date": f.longDate(day), "relative": subscriptionWords.relative(day)])
    }

    func isIdle(_ user: User) -> Bool {
        user.accountEnabled && !user.licenseAssignmentStates.isEmpty && (TenantFacts.daysIdle(user, asOf: tenant.asOf) ?? 0) >= TenantFacts.idleDays
    }

    func account(_ user: User) -> String { lang.t(user.accountEnabled ? "people.account.enabled" : "people.account.blocked") }

    func row(_ user: User, from path: SitePath) -> PeoplePages.PersonRow {
        var products: [String] = []
        for a in user.licenseAssignmentStates where !products.contains(productName(a)) { products.append(productName(a)) }
        let cost = cost(user)
        return PeoplePages.PersonRow(
            name: user.displayName, url: path.link(to: tenant.personPath(user.id)), jobTitle: user.jobTitle ?? "",
            licences: products.isEmpty ? lang.t("people.noLicence") : products.joined(separator: ", "),
            cost: cost.isEmpty ? lang.t("people.noCost") : subscriptionWords.totals(cost),
            account: account(user), blocked: !user.accountEnabled, lastSignIn: lastSignIn(user), idle: isIdle(user))
    }

    func licences(_ user: User, from path: SitePath) -> [PeoplePages.Licence] {
        user.licenseAssignmentStates.map { a in
            let s = tenant.plan.subscription(of: a)
            let state = subscriptionWords.assignmentError(a).map {
                lang.t("attention.personProblem", ["product": subscriptionWords.assignmentState(a), "problem": $0])
            } ?? subscriptionWords.assignmentState(a)
            return PeoplePages.Licence(
                product: productName(a), url: s.map { path.link(to: tenant.subscriptionPath($0.id)) }, how: subscriptionWords.assignedHow(a),
                state: state, hasError: a.hasError,
                cost: s.flatMap(TenantFacts.licenceMonthlyCost).map(subscriptionWords.money) ?? lang.t("people.noCost"))
        }
    }

    func facts(_ user: User) -> TemplateValue {
        let cost = cost(user)
        return .object([
            "upn": .text(user.userPrincipalName),
            "department": .text(user.department ?? lang.t("people.noDepartment")),
            "jobTitle": .text(user.jobTitle ?? lang.t("common.notInSnapshot")),
            "account": .text(account(user)), "blocked": .bool(!user.accountEnabled),
            "lastSignIn": .text(lastSignIn(user)), "idle": .bool(isIdle(user)),
            "cost": .text(cost.isEmpty ? lang.t("people.noCost") : subscriptionWords.totals(cost)),
        ])
    }

    /// People × products, as Partner Center's "Manage licences" shows them: per product the tenant has (live
    /// subscriptions, by sku), whether all, some or none of the people hold it, and who (a licence in error is marked).
    func matrix() -> [PeoplePages.ProductRow] {
        var skus: [String] = []
        var names: [String: String] = [:]
        for s in tenant.plan.live where names[s.skuId] == nil {
            skus.append(s.skuId)
            names[s.skuId] = subscriptionWords.product(s).name
        }
        let users = NameOrder.sorted(tenant.snapshot.users, by: { [$0.displayName] }, tie: \.id)
        return skus.map { sku in
            // (Names and flags, not the users themselves: a `User` is copied field by field.)
            let holders = users.compactMap { user -> (name: String, hasError: Bool)? in
                user.licenseAssignmentStates.first { $0.skuId == sku }.map { (user.displayName, $0.hasError) }
            }
            let n = holders.count
            let word = n == 0 ? "none" : n == users.count ? "all" : "some"
            let who = holders.map { name, hasError in hasError ? lang.t("people.matrix.withError", ["name": name]) : name }
            return PeoplePages.ProductRow(name: names[sku]!, holders: lang.t("people.matrix.\(word)", ["n": f.integer(n), "of": f.integer(users.count)]),
                                          who: who.isEmpty ? lang.t("people.matrix.nobody") : who.joined(separator: ", "))
        }
    }

    /// A row per person and licence (a person without a licence gets one row with the licence columns empty).
    func csv() -> [UInt8] {
        var writer = CSVWriter(language: lang.language)
        writer.header(["name", "userPrincipalName", "department", "jobTitle", "account", "lastSignIn", "product", "skuPartNumber", "assigned",
                       "state", "monthlyNet", "currency"].map { lang.t("people.csv.\($0)") })
        for user in NameOrder.sorted(tenant.snapshot.users, by: { [$0.department ?? "", $0.displayName] }, tie: \.id) {
            let person: [CSVWriter.Field] = [.text(user.displayName), .text(user.userPrincipalName), .text(user.department ?? ""), .text(user.jobTitle ?? ""),
                                             .text(account(user)), .text(user.signInActivity.map { $0.last?.description ?? lang.t("people.signIn.never") } ?? "")]
            if user.licenseAssignmentStates.isEmpty {
                writer.row(person + Array(repeating: .text(""), count: 6))
                continue
            }
            for a in user.licenseAssignmentStates {
                let s = tenant.plan.subscription(of: a)
                let cost = s.flatMap(TenantFacts.licenceMonthlyCost)
                writer.row(person + [.text(productName(a)), .text(s?.skuPartNumber ?? ""), .text(subscriptionWords.assignedHow(a)),
                                     .text(subscriptionWords.assignmentState(a)), cost.map { .amount($0.amount.roundedHalfUp()) } ?? .text(""),
                                     .text(cost?.currency ?? "")])
            }
        }
        return writer.bytes
    }
}
