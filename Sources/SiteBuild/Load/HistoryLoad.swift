import TenantModel

/// Reads a tenant — one snapshot, or a history folder — into the plan today's pages show and its history.
///
/// A history is put in order by each file's `capturedDateTime` (`SnapshotPeek`, a scan that builds nothing), then
/// decoded oldest first, one file at a time: only the previous plan and the current one are alive at once, and what
/// is kept of each older snapshot is a trend point and its changes. Every snapshot is validated as fully as a single
/// one; every problem in every file is reported.
enum HistoryBuilder {
    static func load(_ tenant: TenantFile, settings: BuildSettings, timer: PhaseTimer) -> Result<(TenantPlan, TenantHistory), InvalidInput> {
        if !tenant.isHistory {
            switch decode(tenant.files[0], slug: tenant.slug, timer: timer) {
            case .failure(let invalid): return .failure(invalid)
            case .success(let snapshot):
                let plan = timer.measure("plan") { TenantPlan(snapshot, settings: settings) }
                var history = TenantHistory()
                history.points = [TrendPoint(plan)]
                return .success((plan, history))
            }
        }

        // Order: each file's capture time and tenant, without decoding it.
        var problems: [Diagnostic] = []
        var entries: [(file: String, captured: Timestamp, tenantId: String?)] = []
        for file in tenant.files {
            let peek: SnapshotPeek
            switch read(file, timer: timer) {
            case .failure(let invalid):
                problems += invalid.diagnostics
                continue
            case .success(let bytes): peek = SnapshotPeek(bytes)
            }
            guard let captured = peek.capturedDateTime else {
                // The decoder says what is wrong with it, at its place.
                switch decode(file, slug: tenant.slug, timer: timer) {
                case .failure(let invalid): problems += invalid.diagnostics
                case .success: problems.append(Diagnostic(file: file, location: .key("capturedDateTime"),
                                                          message: "a snapshot of a history needs its capture time"))
                }
                continue
            }
            entries.append((file, captured, peek.tenantId))
        }
        entries.sort { ($0.captured, $0.file) < ($1.captured, $1.file) }
        for (a, b) in zip(entries, entries.dropFirst()) where a.captured == b.captured {
            problems.append(Diagnostic(file: b.file, location: .key("capturedDateTime"),
                message: "\(a.file) has the same capture time (\(b.captured)); each snapshot of a history is one moment — remove the copy"))
        }
        if let newest = entries.last {
            for entry in entries where entry.tenantId != nil && newest.tenantId != nil && entry.tenantId != newest.tenantId {
                problems.append(Diagnostic(file: entry.file, location: .key("tenant.id"),
                    message: "this is tenant \(entry.tenantId!), but \(newest.file) is tenant \(newest.tenantId!): a history folder holds one tenant"))
            }
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }

        // Oldest first, a pair at a time. Each snapshot's "today" is its own capture date, so an invoice is overdue in
        // a snapshot only if it was overdue when that snapshot was taken; `--as-of` applies to today's pages only.
        var history = TenantHistory()
        var previous: TenantPlan?
        var newest: Snapshot?
        // The month whose invoices are compared with the licences in effect then (`Reconciliation`).
        let today = settings.asOf ?? entries.last.map { $0.captured.civil(in: .warsaw).date } ?? CivilDate(year: 2000, month: 1, day: 1)
        let month = Reconciliation.lastWholeMonth(before: today)
        var referenceDay: CivilDate?
        let ownDates = { () -> BuildSettings in var s = settings; s.asOf = nil; return s }()
        for entry in entries {
            switch decode(entry.file, slug: tenant.slug, timer: timer) {
            case .failure(let invalid):
                problems += invalid.diagnostics
                previous = nil
            case .success(let snapshot):
                let plan = timer.measure("plan") { TenantPlan(snapshot, settings: ownDates) }
                history.points.append(TrendPoint(plan))
                let day = snapshot.capturedDateTime.civil(in: .warsaw).date
                history.monthReferences[day.year * 12 + day.month - 1] = Reconciliation.Reference(plan, month: CivilDate(year: day.year, month: day.month, day: 1))
                if Reconciliation.Reference.prefers(day, over: referenceDay, month: month) {
                    history.monthReference = Reconciliation.Reference(plan, month: month)
                    referenceDay = day
                }
                if let previous {
                    let changes = timer.measure("plan") { HistoryDiff.changes(from: previous, to: plan) }
                    history.steps.append(TenantHistory.Step(previous: previous.snapshot.capturedDateTime, captured: snapshot.capturedDateTime,
                                                            file: entry.file, changes: changes))
                }
                previous = plan
                newest = snapshot
            }
        }
        if !problems.isEmpty { return .failure(InvalidInput(problems)) }
        guard let newest, let last = previous else { return .failure(InvalidInput([])) }
        let plan = settings.asOf == nil ? last : timer.measure("plan") { TenantPlan(newest, settings: settings) }
        return .success((plan, history))
    }

    static func decode(_ file: String, slug: String, timer: PhaseTimer) -> Result<Snapshot, InvalidInput> {
        let bytes: [UInt8]
        switch read(file, timer: timer) {
        case .failure(let invalid): return .failure(invalid)
        case .success(let read): bytes = read
        }
        return timer.measure("validate") {
            SnapshotDecoder.decode(bytes, file: file, slug: slug, ksefFiles: KSeFFiles(folder: KSeFFiles.folder(forSnapshotAt: file, slug: slug)))
        }
    }

    static func read(_ file: String, timer: PhaseTimer) -> Result<[UInt8], InvalidInput> {
        timer.measure("load") { Result { () throws(InvalidInput) -> [UInt8] in try TenantFile.read(file) } }
    }
}
