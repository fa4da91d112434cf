import Foundation
import TenantModel

/// What to make: how many tenants, how many invoices each, and the seed that makes it repeatable.
public struct SynthSpec: Sendable {
    public var tenants: Int
    public var invoicesPerTenant: Int
    public var seed: UInt64
    /// Snapshots are captured within three days before this moment.
    public var capturedBefore: Timestamp

    public init(tenants: Int, invoicesPerTenant: Int, seed: UInt64 = 1,
                capturedBefore: Timestamp = Timestamp(rfc3339: "2026-11-20T07:30:00Z")!) {
        self.tenants = tenants
        self.invoicesPerTenant = invoicesPerTenant
        self.seed = seed
        self.capturedBefore = capturedBefore
    }
}

/// Synthetic but realistic tenant snapshots for benchmarks and scale tests: Polish and foreign companies sold
/// through home.pl, AZ.pl, partners or Microsoft directly; users with Polish or English names; suites, add-ons,
/// trials and self-service purchases; monthly invoices, one-off invoices and credit notes whose lines add up
/// to the grosz with half-up VAT. Every snapshot passes `tenantsite check`.
///
/// Tenant `i` depends only on the seed and `i` (its own `SplitMix64` stream), never on how many are made.
public enum Synth {
    public static func snapshot(_ index: Int, _ spec: SynthSpec) -> Snapshot {
        var maker = TenantMaker(index: index, spec: spec)
        return maker.make()
    }
}

/// Makes one tenant, drawing every choice from its own random stream in a fixed order.
struct TenantMaker {
    typealias Product = SynthData.Product

    let index: Int
    let spec: SynthSpec
    var rng: SplitMix64

    // Filled in order by `make()`.
    var language = Language.pl
    var country = "PL"
    var currency = "PLN"
    var companyName = ""
    var domain = ""
    var seller = SynthData.homePl
    var captured = Timestamp(secondsSinceEpoch: 0)
    var capturedDate = CivilDate(year: 2026, month: 11, day: 20)
    var buyer = Party(name: "", addressLines: [])
    var foreignAddress: [String]?

    init(index: Int, spec: SynthSpec) {
        self.index = index
        self.spec = spec
        rng = SplitMix64(seed: spec.seed, stream: UInt64(index))
    }

    mutating func make() -> Snapshot {
        let polish = rng.chance(0.8)
        let (name, nameForSlug) = polish ? polishCompany() : foreignCompany()
        companyName = name
        let slugBase = String(SynthData.slug(nameForSlug).prefix(50)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        let slug = slugBase + "-" + String(index + 1).leftPadded(5)

        let channel: Management.Channel = polish
            ? rng.weighted([(.homePl, 35), (.azPl, 25), (.partner, 30), (.direct, 10)])
            : rng.weighted([(.partner, 60), (.direct, 40)])
        switch channel {
        case .homePl: seller = SynthData.homePl
        case .azPl: seller = SynthData.azPl
        case .partner: seller = rng.pick(SynthData.partners)
        case .direct: seller = SynthData.microsoft
        }
        captured = Timestamp(secondsSinceEpoch: spec.capturedBefore.secondsSinceEpoch - Int64(rng.int(0...(3 * 86_400))))
        capturedDate = captured.civil(in: .warsaw).date

        let nip = country == "PL" ? SynthData.nip(rng.int(100_000_000...999_999_998)) : nil
        buyer = Party(name: companyName, addressLines: address(), nip: nip, vatId: nip == nil ? foreignVATId() : nil, countryCode: country)
        let contact: Contact? = rng.chance(0.85)
            ? (language == .pl ? Contact(displayName: "Księgowość – \(nameForSlug)", email: "ksiegowosc@\(domain)")
                               : Contact(displayName: "Accounts – \(nameForSlug)", email: "accounts@\(domain)"))
            : nil
        let management = Management(
            channel: channel,
            partnerName: channel == .direct ? nil : seller.name,
            panelLastSyncedDateTime: channel == .homePl || channel == .azPl
                ? Timestamp(secondsSinceEpoch: captured.secondsSinceEpoch - Int64(rng.int(600...172_800))) : nil)
        let tenant = Tenant(id: rng.guid(), displayName: companyName, defaultDomain: domain, countryLetterCode: country,
                            preferredLanguage: language, nip: nip, billingContact: contact, management: management)

        var subscriptions = makeSubscriptions(channel: channel)
        let groups = makeGroups(subscriptions)
        let users = makeUsers(&subscriptions, groups: groups)
        let invoices = makeInvoices(subscriptions)
        return Snapshot(slug: slug, capturedDateTime: captured, tenant: tenant, groups: groups, subscriptions: subscriptions,
                        users: users, invoices: invoices)
    }

    // MARK: - Company

    mutating func polishCompany() -> (name: String, short: String) {
        language = rng.chance(0.92) ? .pl : .en
        let trade = rng.pick(SynthData.polishTrades)
        let name = rng.chance(0.25) ? "\(rng.pick(SynthData.polishSurnames)) i Wspólnicy" : rng.pick(SynthData.polishNames)
        let short = "\(trade) \(name)"
        let form = rng.pick(SynthData.polishForms)
        domain = rng.chance(0.2) ? SynthData.ascii(name) + ".onmicrosoft.com" : SynthData.slug(name) + ".pl"
        return ("\(short) \(form)", short)
    }

    mutating func foreignCompany() -> (name: String, short: String) {
        language = .en
        let form = rng.pick(SynthData.foreignForms)
        country = form.country
        currency = form.currency
        if country != "PL" { foreignAddress = [form.street, form.city] }
        let short = "\(rng.pick(SynthData.foreignNames)) \(rng.pick(SynthData.foreignTrades))"
        let tld = country == "PL" ? ".pl" : country == "DE" ? ".de" : country == "NL" ? ".nl" : ".ie"
        domain = rng.chance(0.2) ? SynthData.ascii(short) + ".onmicrosoft.com" : SynthData.slug(short) + tld
        return ("\(short) \(form.form)", short)
    }

    mutating func address() -> [String] {
        if let foreignAddress { return foreignAddress }
        let place = rng.pick(SynthData.polishCities)
        var number = String(rng.int(1...180))
        if rng.chance(0.3) { number += "/\(rng.int(1...40))" }
        return ["\(place.street) \(number)", "\(place.postcode) \(place.city)"]
    }

    mutating func foreignVATId() -> String {
        switch country {
        case "DE": return "DE" + String(rng.int(100_000_000...999_999_999))
        case "NL": return "NL" + String(rng.int(100_000_000...999_999_999)) + "B01"
        default: return "IE" + String(rng.int(1_000_000...9_999_999)) + String(UnicodeScalar(UInt8(65 + rng.int(0...25))))
        }
    }

    // MARK: - Subscriptions

    func product(_ part: String) -> Product { SynthData.products.first { $0.part == part }! }

    mutating func makeSubscriptions(channel: Management.Channel) -> [Subscription] {
        let suites = SynthData.products.filter(\.suite)
        let addOns = SynthData.products.filter { !$0.suite }
        var chosen: [(Product, selfService: Bool)] = []
        let mainSuite = rng.weighted([(suites[0], 30), (suites[1], 35), (suites[2], 20), (suites[3], 5), (suites[4], 5), (suites[5], 5)])
        chosen.append((mainSuite, false))
        if rng.chance(0.35) {
            let second = rng.pick(suites)
            if second.part != mainSuite.part { chosen.append((second, false)) }
        }
        // The same sku bought twice (another term or a later top-up): licences must then name their pool.
        if rng.chance(0.15) { chosen.append((mainSuite, false)) }
        for addOn in rng.sample(addOns, rng.int(0...3)) { chosen.append((addOn, false)) }
        if rng.chance(0.3) {
            for part in rng.sample(SynthData.selfServiceParts, rng.int(1...2)) { chosen.append((product(part), true)) }
        }

        let monthsBack = spec.invoicesPerTenant + rng.int(2...30)
        return chosen.map { item in
            let (p, selfService) = item
            let created = timestamp(capturedDate.adding(months: -(selfService ? rng.int(1...max(1, monthsBack / 2)) : monthsBack - rng.int(0...1))))
            let trial = !selfService && rng.chance(0.05)
            let status: Subscription.Status = trial ? .active
                : rng.weighted([(.active, 88), (.expired, 4), (.disabled, 3), (.suspended, 2), (.deleted, 3)])
            let priced = !trial && (channel != .direct || rng.chance(0.5))
            let cycle: Subscription.BillingCycle? = trial ? Subscription.BillingCycle.none
                : selfService ? .monthly
                : priced ? rng.weighted([(.monthly, 60), (.annual, 35), (.triennial, 5)]) : nil
            let term: String? = switch cycle {
            case .monthly?: selfService || rng.chance(0.6) ? "P1M" : "P1Y"
            case .annual?: "P1Y"
            case .triennial?: "P3Y"
            default: nil
            }
            let monthly = currency == "PLN" ? p.monthlyPLN : p.monthlyEUR
            let price: Amount? = priced ? cents(monthly * (cycle?.months ?? 1)) : nil
            let autoRenew: Bool? = channel == .direct && !priced ? nil : trial ? false : rng.weighted([(true, 85), (false, 15)])
            let next: Timestamp? = switch status {
            case .active:
                autoRenew == false || trial ? timestamp(capturedDate.adding(days: rng.int(1...45)))
                    : timestamp(capturedDate.adding(days: rng.int(5...360)))
            case .expired: timestamp(capturedDate.adding(days: rng.int(1...30)))
            case .disabled, .suspended: timestamp(capturedDate.adding(days: rng.int(10...90)))
            case .deleted: nil
            }
            return Subscription(
                id: rng.guid(), commerceSubscriptionId: rng.chance(0.7) ? rng.guid() : nil, skuId: p.skuId, skuPartNumber: p.part,
                productName: p.name.flatMap { rng.chance(0.85) ? $0 : nil }, status: status, isTrial: trial,
                prepaidUnits: .init(enabled: 0), consumedUnits: 0, createdDateTime: created, nextLifecycleDateTime: next,
                billingCycle: cycle, termDuration: term, autoRenewEnabled: autoRenew, unitPrice: price,
                currencyCode: price == nil ? nil : currency,
                purchaseChannel: selfService ? .selfService : channel == .partner ? .partner : channel == .direct ? .direct : .reseller)
        }
    }

    mutating func makeGroups(_ subscriptions: [Subscription]) -> [Group] {
        let count = rng.int(0...3)
        guard count > 0 else { return [] }
        let products = subscriptions.filter { $0.purchaseChannel != .selfService }.map { $0.productName ?? $0.skuPartNumber }
        return (0..<count).map { i in
            let product = products[i % products.count]
            return Group(id: rng.guid(), displayName: language == .pl ? "Licencje – \(product)" : "Licences – \(product)")
        }
    }

    // MARK: - Users and their licences

    mutating func makeUsers(_ subscriptions: inout [Subscription], groups: [Group]) -> [User] {
        let count = rng.weighted([(3...10, 50), (11...30, 35), (31...80, 15)])
        var users: [User] = []
        var taken = Set<String>()
        for _ in 0..<rng.int(count) {
            let (first, last) = personName()
            var local = SynthData.ascii(first) + "." + SynthData.ascii(last)
            if taken.contains(local) {
                var n = 2
                while taken.contains("\(local)\(n)") { n += 1 }
                local += String(n)
            }
            taken.insert(local)
            let department = rng.chance(0.7) ? rng.pick(SynthData.departments[language]!) : nil
            let title = rng.chance(0.6) ? rng.pick(SynthData.jobTitles[language]!) : nil
            users.append(User(id: rng.guid(), displayName: "\(first) \(last)", userPrincipalName: "\(local)@\(domain)",
                              department: department, jobTitle: title, accountEnabled: rng.chance(0.95)))
        }

        let skuCounts = Dictionary(subscriptions.map { ($0.skuId, 1) }, uniquingKeysWith: +)
        let suiteIndices = subscriptions.indices.filter { i in
            subscriptions[i].purchaseChannel != .selfService && SynthData.products.first { $0.skuId == subscriptions[i].skuId }!.suite
        }
        var holders = Array(repeating: [Int](), count: subscriptions.count)
        for u in users.indices {
            if rng.chance(0.92), !suiteIndices.isEmpty {
                holders[rng.weighted(suiteIndices.enumerated().map { ($0.element, $0.offset == 0 ? 6 : 2) })].append(u)
            }
            for s in subscriptions.indices where !suiteIndices.contains(s) && subscriptions[s].purchaseChannel != .selfService && rng.chance(0.25) {
                holders[s].append(u)
            }
        }
        for s in subscriptions.indices where subscriptions[s].purchaseChannel == .selfService {
            let buyer = rng.int(0...(users.count - 1))
            subscriptions[s].purchasedBy = .init(id: users[buyer].id, displayName: users[buyer].displayName,
                                                 userPrincipalName: users[buyer].userPrincipalName)
            holders[s] = Array(Set([buyer] + rng.sample(Array(users.indices), rng.int(0...3)))).sorted()
        }

        for s in subscriptions.indices {
            var sub = subscriptions[s]
            if sub.status == .deleted { holders[s] = [] }
            let held = holders[s].count
            let pool = max(0, held + rng.weighted([(rng.int(0...3), 70), (rng.int(4...10), 20), (-rng.int(1...3), 10)]))
            let units = max(pool, sub.isTrial ? 25 : 1)
            switch sub.status {
            case .active: sub.prepaidUnits = .init(enabled: units)
            case .expired: sub.prepaidUnits = .init(enabled: 0, warning: units)
            case .disabled, .suspended: sub.prepaidUnits = .init(enabled: 0, suspended: units)
            case .deleted: sub.prepaidUnits = .init(enabled: 0)
            }
            sub.consumedUnits = held
            subscriptions[s] = sub
            let overAssigned = sub.status == .active && held > units
            for (n, u) in holders[s].enumerated() {
                let failed = overAssigned && n == held - 1
                let viaGroup = !groups.isEmpty && suiteIndices.contains(s) && rng.chance(0.5)
                users[u].licenseAssignmentStates.append(LicenseAssignment(
                    skuId: sub.skuId, subscriptionId: skuCounts[sub.skuId]! > 1 ? sub.id : nil,
                    assignedByGroup: viaGroup ? groups[rng.int(0...(groups.count - 1))].id : nil,
                    state: failed ? .error : .active, error: failed ? .countViolation : (rng.chance(0.5) ? LicenseAssignment.AssignmentError.none : nil)))
            }
        }
        return users
    }

    mutating func personName() -> (first: String, last: String) {
        if language == .pl && country == "PL" {
            let woman = rng.chance(0.5)
            let surname = rng.pick(SynthData.polishSurnames)
            return woman ? (rng.pick(SynthData.polishWomen), SynthData.feminine(surname)) : (rng.pick(SynthData.polishMen), surname)
        }
        return (rng.pick(SynthData.englishFirst), rng.pick(SynthData.englishLast))
    }

    // MARK: - Invoices

    enum DocumentKind { case recurring, oneOff, creditNote }

    mutating func makeInvoices(_ subscriptions: [Subscription]) -> [Invoice] {
        let count = spec.invoicesPerTenant
        guard count > 0 else { return [] }
        var kinds: [DocumentKind] = [.recurring]
        while kinds.count < count { kinds.append(rng.weighted([(.recurring, 88), (.oneOff, 8), (.creditNote, 4)])) }
        let recurring = kinds.filter { $0 == .recurring }.count
        // The newest monthly invoice is this month's when it has been issued (day 1–3), else last month's.
        let lastMonth = capturedDate.day >= 4 ? capturedDate : capturedDate.adding(months: -1)
        var month = CivilDate(year: lastMonth.year, month: lastMonth.month, day: 1).adding(months: -(recurring - 1))
        month = month.adding(months: -1)

        let foreignBuyer = country != "PL"
        let vat: InvoiceLine.VATRate = seller.nipPrefix.isEmpty || foreignBuyer ? .notSubject : .percent(23)
        let sellerNIP = seller.nipPrefix.isEmpty ? nil : SynthData.nip(Int(seller.nipPrefix)!)
        let sellerParty = Party(name: seller.name, addressLines: seller.addressLines, nip: sellerNIP,
                                vatId: sellerNIP == nil ? "IE8256796U" : "PL" + sellerNIP!, countryCode: sellerNIP == nil ? "IE" : "PL")
        var sequence = rng.int(100...60_000)
        var invoices: [Invoice] = []

        var correctedIds = Set<String>()
        for planned in kinds {
            sequence += rng.int(1...40)
            // A credit note cancels a recent invoice that nothing has corrected yet.
            let target = invoices.suffix(6).last { $0.documentType == .invoice && !correctedIds.contains($0.id) }
            let kind = planned == .creditNote && target == nil ? .oneOff : planned
            var date: CivilDate
            var lines: [InvoiceLine]
            var period: (CivilDate, CivilDate)?
            var corrected: Invoice?
            switch kind {
            case .recurring:
                month = month.adding(months: 1)
                date = month.adding(days: rng.int(0...2))
                let end = month.adding(months: 1).adding(days: -1)
                period = (month, end)
                lines = recurringLines(subscriptions, month: month, end: end, vat: vat)
            case .oneOff:
                date = min(month.adding(days: rng.int(9...24)), capturedDate)
                lines = oneOffLines(subscriptions, date: date, vat: vat, count: rng.int(3...12))
            case .creditNote:
                date = min(month.adding(days: rng.int(9...24)), capturedDate)
                corrected = target
                correctedIds.insert(target!.id)
                lines = target!.lines.map { line in
                    let q = -line.quantity
                    let amounts = InvoiceLine.expectedAmounts(quantity: q, unitPrice: line.unitPrice, vatRate: line.vatRate)
                    var copy = line
                    copy.quantity = q
                    (copy.subtotal, copy.taxTotal, copy.totalForCustomer) = amounts
                    return copy
                }
            }
            let total = lines.reduce(Amount(0)) { $0 + $1.totalForCustomer }
            let due = date.adding(days: 14)
            let paid: Amount
            if corrected != nil {
                paid = rng.chance(0.8) ? total : 0
            } else if due >= capturedDate {
                paid = rng.chance(0.3) ? total : 0
            } else {
                paid = rng.weighted([(total, 96), (0, 3), ((total / 2).roundedHalfUp(), 1)])
            }
            let id = number(kind: kind, date: date, sequence: sequence)
            let ksef: String? = sellerNIP != nil && date >= CivilDate(year: 2026, month: 2, day: 1) ? ksefNumber(sellerNIP!, date) : nil
            let rate: Invoice.ExchangeRate? = currency != "PLN" && sellerNIP != nil
                ? .init(rate: Amount(units: Int128(rng.int(41_800...43_900)) * 1_000_000), date: date.adding(days: -1),
                        source: "NBP, tabela A")
                : nil
            invoices.append(Invoice(
                id: id, documentType: corrected == nil ? .invoice : .creditNote, correctedInvoiceId: corrected?.id, invoiceDate: date,
                saleDate: kind == .oneOff && rng.chance(0.5) ? date.adding(days: -rng.int(1...5)) : nil, dueDate: due,
                billingPeriodStartDate: period?.0, billingPeriodEndDate: period?.1, currencyCode: currency,
                seller: sellerParty, buyer: buyer, lines: lines, totalCharges: total, paidAmount: paid, ksefNumber: ksef,
                exchangeRate: rate))
        }
        return invoices
    }

    /// One line per subscription billed this month (monthly ones every month, annual and triennial ones in their
    /// anniversary month), topped up with services to between 3 and 12 lines.
    mutating func recurringLines(_ subscriptions: [Subscription], month: CivilDate, end: CivilDate, vat: InvoiceLine.VATRate) -> [InvoiceLine] {
        let target = rng.int(3...12)
        var lines: [InvoiceLine] = []
        for s in subscriptions {
            // Self-service purchases are paid by card to Microsoft, not on the reseller's invoice.
            guard let price = s.unitPrice, let cycle = s.billingCycle, let months = cycle.months, s.status != .deleted, let createdAt = s.createdDateTime,
                  s.purchaseChannel != .selfService else { continue }
            let created = createdAt.civil(in: .warsaw).date
            guard created < month else { continue }
            let elapsed = (month.year - created.year) * 12 + month.month - created.month
            guard elapsed % months == 0 else { continue }
            let units = max(1, s.prepaidUnits.enabled + s.prepaidUnits.warning + s.prepaidUnits.suspended + rng.int(-2...0))
            let name = s.productName ?? SynthData.products.first { $0.part == s.skuPartNumber }?.name ?? s.skuPartNumber
            let periodEnd = month.adding(months: months).adding(days: -1)
            let text = language == .pl
                ? "\(name) — okres \(month.day) \(SynthData.polishMonthsGenitive[month.month - 1]) \(month.year) – \(periodEnd.day) \(SynthData.polishMonthsGenitive[periodEnd.month - 1]) \(periodEnd.year)"
                : "\(name) — \(month.day) \(SynthData.englishMonths[month.month - 1]) \(month.year) to \(periodEnd.day) \(SynthData.englishMonths[periodEnd.month - 1]) \(periodEnd.year)"
            lines.append(line(text, quantity: Amount(units), unit: language == .pl ? "licencja" : "licence", price: price, vat: vat,
                              subscription: s.id, from: month, to: periodEnd))
            if lines.count == target { return lines }
        }
        lines += oneOffLines(subscriptions, date: month, vat: vat, count: target - lines.count)
        return lines
    }

    mutating func oneOffLines(_ subscriptions: [Subscription], date: CivilDate, vat: InvoiceLine.VATRate, count: Int) -> [InvoiceLine] {
        var lines: [InvoiceLine] = []
        let monthly = subscriptions.filter {
            $0.billingCycle == .monthly && $0.unitPrice != nil && $0.status == .active && $0.purchaseChannel != .selfService
        }
        for _ in 0..<max(0, count) {
            if let s = monthly.isEmpty ? nil : monthly[rng.int(0...(monthly.count - 1))], rng.chance(0.3) {
                // Licences added during the month, charged for the days left.
                let daysInMonth = CivilDate.daysIn(month: date.month, year: date.year)
                let days = rng.int(1...(daysInMonth - 1))
                let price = (s.unitPrice! * days / daysInMonth).roundedHalfUp()
                let name = s.productName ?? s.skuPartNumber
                let text = language == .pl ? "\(name) — dodatkowe licencje, \(days) dni" : "\(name) — added licences, \(days) days"
                lines.append(line(text, quantity: Amount(rng.int(1...5)), unit: language == .pl ? "licencja" : "licence", price: price,
                                  vat: vat, subscription: s.id, from: nil, to: nil))
            } else {
                let service = rng.pick(SynthData.services)
                lines.append(line(language == .pl ? service.pl : service.en, quantity: Amount(rng.int(1...6)),
                                  unit: language == .pl ? service.unitPL : service.unitEN,
                                  price: cents(currency == "PLN" ? service.pricePLN : service.priceEUR), vat: vat,
                                  subscription: nil, from: nil, to: nil))
            }
        }
        return lines
    }

    func line(_ text: String, quantity: Amount, unit: String, price: Amount, vat: InvoiceLine.VATRate, subscription: String?,
              from: CivilDate?, to: CivilDate?) -> InvoiceLine {
        let amounts = InvoiceLine.expectedAmounts(quantity: quantity, unitPrice: price, vatRate: vat)
        return InvoiceLine(description: text, quantity: quantity, unit: unit, unitPrice: price, vatRate: vat,
                           subtotal: amounts.subtotal, taxTotal: amounts.taxTotal, totalForCustomer: amounts.totalForCustomer,
                           subscriptionId: subscription, chargeStartDate: from, chargeEndDate: to)
    }

    func number(kind: DocumentKind, date: CivilDate, sequence: Int) -> String {
        let mm = String(date.month).leftPadded(2)
        let credit = kind == .creditNote
        switch seller.invoicePrefix {
        case "E0": return (credit ? "E1" : "E0") + String(sequence).leftPadded(8)
        case "FV/CC", "ACP": return "\(credit ? "FK" : seller.invoicePrefix)/\(String(sequence).leftPadded(5))/\(mm)/\(date.year)"
        default: return "\(credit ? "KOR/" : "")\(seller.invoicePrefix)/\(date.year)/\(mm)/\(String(sequence).leftPadded(6))"
        }
    }

    /// `NIP-YYYYMMDD-<12 hex>-<CRC-8>`, shaped like the numbers KSeF assigns.
    mutating func ksefNumber(_ nip: String, _ date: CivilDate) -> String {
        let tech = String(String(rng.next(), radix: 16, uppercase: true).leftPadded(16).prefix(12))
        let data = "\(nip)-\(date.year)\(String(date.month).leftPadded(2))\(String(date.day).leftPadded(2))-\(tech)"
        return data + "-" + String(SynthData.crc8(data), radix: 16, uppercase: true).leftPadded(2)
    }

    func cents(_ value: Int) -> Amount {
        Amount(units: Int128(value) * 100_000_000)
    }

    mutating func timestamp(_ date: CivilDate) -> Timestamp {
        Timestamp(secondsSinceEpoch: Int64(date.daysSinceEpoch) * 86_400 + Int64(rng.int(6 * 3600...17 * 3600)))
    }
}
