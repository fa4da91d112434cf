import TenantModel

extension Synth {
    /// `count` monthly snapshots of tenant `index`, oldest first; the newest is `snapshot(index, spec)`. Each earlier one
    /// is the next one with a month's drift undone: people hired that month not there yet, a leaver still there, licences
    /// bought that month not bought, a self-service purchase not made, an annual price before its renewal, invoices not
    /// yet issued or not yet paid (now and then one paid late, so that it goes overdue). Drift comes from the tenant's own
    /// random stream, so every history is the same for the same seed.
    public static func history(_ index: Int, _ spec: SynthSpec, count: Int) -> [Snapshot] {
        let newest = snapshot(index, spec)
        guard count > 1 else { return [newest] }
        var rng = SplitMix64(seed: spec.seed ^ 0x4849_5354_4F52_59, stream: UInt64(index))
        var out = [newest]
        var later = newest
        for step in 1..<count {
            var s = later
            s.capturedDateTime = Timestamp(secondsSinceEpoch: newest.capturedDateTime.secondsSinceEpoch - Int64(step) * 30 * 86_400)
            if let synced = later.tenant.management.panelLastSyncedDateTime {
                s.tenant.management.panelLastSyncedDateTime = Timestamp(secondsSinceEpoch: synced.secondsSinceEpoch - 30 * 86_400)
            }
            undoMonth(&s, later: later, rng: &rng, serial: index * 1000 + step)
            out.append(s)
            later = s
        }
        return out.reversed()
    }

    /// The subscription an assignment draws on: the one it names, else the first of its sku.
    static func pool(_ a: LicenseAssignment, _ s: Snapshot) -> Int? {
        if let id = a.subscriptionId { return s.subscriptions.firstIndex { $0.id == id } }
        return s.subscriptions.firstIndex { $0.skuId == a.skuId }
    }

    static func removeUser(_ i: Int, from s: inout Snapshot) {
        for a in s.users[i].licenseAssignmentStates {
            if let p = pool(a, s) { s.subscriptions[p].consumedUnits = max(0, s.subscriptions[p].consumedUnits - 1) }
        }
        s.users.remove(at: i)
    }

    static func undoMonth(_ s: inout Snapshot, later: Snapshot, rng: inout SplitMix64, serial: Int) {
        let today = s.capturedDateTime.civil(in: .warsaw).date

        // Hires of the month: not there yet (0–2 people, never the last two).
        for _ in 0..<rng.int(0...2) where s.users.count > 2 {
            removeUser(rng.int(0...(s.users.count - 1)), from: &s)
        }
        // A leaver of the month: still there, with a licence of the main pool.
        if rng.chance(0.3), let main = s.subscriptions.firstIndex(where: { $0.status == .active && !$0.isTrial && $0.purchaseChannel != .selfService }) {
            let sub = s.subscriptions[main]
            let id = "1e4\(String(serial, radix: 16).leftPadded(5))-0000-4000-8000-\(String(serial, radix: 16).leftPadded(12))"
            let polish = s.tenant.countryLetterCode == "PL" && s.tenant.preferredLanguage == .pl
            let woman = rng.chance(0.5)
            let surname = rng.pick(polish ? SynthData.polishSurnames : SynthData.englishLast)
            let (first, last) = polish ? (woman ? (rng.pick(SynthData.polishWomen), SynthData.feminine(surname)) : (rng.pick(SynthData.polishMen), surname))
                : (rng.pick(SynthData.englishFirst), surname)
            let login = SynthData.ascii(first).lowercased() + "." + SynthData.ascii(last).lowercased() + ".\(serial)"
            s.users.append(User(id: id, displayName: "\(first) \(last)", userPrincipalName: "\(login)@\(s.tenant.defaultDomain)", accountEnabled: true,
                                licenseAssignmentStates: [LicenseAssignment(skuId: sub.skuId, subscriptionId: sub.id, state: .active)]))
            s.subscriptions[main].consumedUnits += 1
        }
        // Somebody blocked this month was not blocked yet.
        if rng.chance(0.2), let blocked = s.users.firstIndex(where: { !$0.accountEnabled }) { s.users[blocked].accountEnabled = true }
        // Licences bought this month: not bought yet.
        if rng.chance(0.35), let grown = s.subscriptions.indices.filter({ s.subscriptions[$0].status == .active && s.subscriptions[$0].prepaidUnits.enabled > 2 }).first {
            s.subscriptions[grown].prepaidUnits.enabled -= rng.int(1...min(3, s.subscriptions[grown].prepaidUnits.enabled - 1))
        }
        // A self-service purchase of this month: not made yet.
        if rng.chance(0.25), let bought = s.subscriptions.lastIndex(where: { $0.purchaseChannel == .selfService }) {
            let (id, sku) = (s.subscriptions[bought].id, s.subscriptions[bought].skuId)
            s.subscriptions.remove(at: bought)
            let poolLeft = s.subscriptions.contains { $0.skuId == sku }
            for u in s.users.indices {
                s.users[u].licenseAssignmentStates.removeAll { $0.subscriptionId == id || ($0.subscriptionId == nil && $0.skuId == sku && !poolLeft) }
            }
        }
        // Annual subscriptions renewing in this month: a lower price before the renewal.
        for i in s.subscriptions.indices where s.subscriptions[i].billingCycle == .annual {
            guard let next = s.subscriptions[i].nextLifecycleDateTime?.civil(in: .warsaw).date, let price = s.subscriptions[i].unitPrice,
                  next.month == (today.month % 12) + 1 else { continue }
            s.subscriptions[i].unitPrice = (price * 95 / 100).roundedHalfUp()
        }
        // Invoices: not issued yet after the capture day; unpaid in the 20 days before it, and one in five paid a month late.
        s.invoices = s.invoices.filter { $0.invoiceDate <= today }
        // A correction whose invoice is not issued yet is not either (synth dates some within the same weeks).
        let issued = Set(s.invoices.map(\.id))
        s.invoices.removeAll { $0.correctedInvoiceId.map { !issued.contains($0) } ?? false }
        for i in s.invoices.indices {
            let age = s.invoices[i].invoiceDate.days(until: today)
            if age < 20 || (age < 50 && rng.chance(0.2) && s.invoices[i].totalCharges > 0) { s.invoices[i].paidAmount = 0 }
        }
    }
}
