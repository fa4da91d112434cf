import Foundation

/// Checks that span several parts of one snapshot and that a schema cannot express: unique ids,
/// references that resolve, invoice arithmetic to the grosz.
///
/// Facts about the tenant (over-assigned pools, expired subscriptions, unpaid invoices) are not
/// problems here: the pages report them.
public enum SnapshotValidator {
    public static func crossCheck(_ snapshot: Snapshot, sink: DiagnosticSink) {
        let subscriptionsPath = JSONPath.root.appending("subscriptions")
        let usersPath = JSONPath.root.appending("users")
        let invoicesPath = JSONPath.root.appending("invoices")

        var subscriptionIds = Set<String>()
        for (i, s) in snapshot.subscriptions.enumerated() where !subscriptionIds.insert(s.id).inserted {
            sink.report(subscriptionsPath.appending(i).appending("id"), "duplicate subscription id \"\(preview(s.id))\"")
        }
        let skuIds = Set(snapshot.subscriptions.map(\.skuId))
        let skuOfSubscription = Dictionary(snapshot.subscriptions.map { ($0.id, $0.skuId) }, uniquingKeysWith: { first, _ in first })

        var userIds = Set<String>()
        var principalNames = Set<String>()
        for (i, user) in snapshot.users.enumerated() {
            let path = usersPath.appending(i)
            if !userIds.insert(user.id).inserted {
                sink.report(path.appending("id"), "duplicate user id \(user.id)")
            }
            if !principalNames.insert(user.userPrincipalName.lowercased()).inserted {
                sink.report(path.appending("userPrincipalName"), "duplicate userPrincipalName \"\(preview(user.userPrincipalName))\"")
            }
            for (j, licence) in user.licenseAssignmentStates.enumerated() {
                let lpath = path.appending("licenseAssignmentStates").appending(j)
                if !skuIds.contains(licence.skuId) {
                    sink.report(lpath.appending("skuId"), "the user holds sku \(licence.skuId), which no subscription in this file has")
                }
                if let sid = licence.subscriptionId {
                    if let sku = skuOfSubscription[sid] {
                        if sku != licence.skuId {
                            sink.report(lpath.appending("subscriptionId"), "subscription \"\(preview(sid))\" is for sku \(sku), not \(licence.skuId)")
                        }
                    } else {
                        sink.report(lpath.appending("subscriptionId"), "no subscription has the id \"\(preview(sid))\"")
                    }
                }
                // A group missing from `groups` is shown by its id: a tenant's groups are saved apart and may be partial.
            }
        }

        var invoiceIds = Set<String>()
        let allInvoiceIds = Set(snapshot.invoices.map(\.id))
        for (i, invoice) in snapshot.invoices.enumerated() {
            let path = invoicesPath.appending(i)
            if !invoiceIds.insert(invoice.id).inserted {
                sink.report(path.appending("id"), "duplicate invoice number \"\(preview(invoice.id))\"")
            }
            // A KSeF invoice is what its file says: its arithmetic is shown on its page, never refused, and the invoice it
            // corrects may be older than the snapshot.
            if let ksef = invoice.ksef {
                for (number, link) in ksef.links where !subscriptionIds.contains(link.subscriptionId) {
                    sink.report(path.appending("ksef").appending("lines"), "line \(number) names subscription \"\(preview(link.subscriptionId))\", which no subscription has")
                }
                continue
            }
            if let corrected = invoice.correctedInvoiceId {
                if corrected == invoice.id {
                    sink.report(path.appending("correctedInvoiceId"), "a document cannot correct itself")
                } else if !allInvoiceIds.contains(corrected) {
                    sink.report(path.appending("correctedInvoiceId"), "no invoice in this file has the number \"\(preview(corrected))\"")
                }
            }
            if invoice.dueDate < invoice.invoiceDate {
                sink.report(path.appending("dueDate"), "the due date \(invoice.dueDate) is before the issue date \(invoice.invoiceDate)")
            }
            for (j, line) in invoice.lines.enumerated() {
                checkLine(line, path: path.appending("lines").appending(j), sink: sink)
                if let sid = line.subscriptionId, !subscriptionIds.contains(sid) {
                    sink.report(path.appending("lines").appending(j).appending("subscriptionId"), "no subscription has the id \"\(preview(sid))\"")
                }
            }
            let sum = invoice.lines.reduce(Amount.zero) { $0 + $1.totalForCustomer }
            if !(sum == invoice.totalCharges) {
                sink.report(path.appending("totalCharges"), "is \(invoice.totalCharges) but the lines' totalForCustomer add up to \(sum)")
            }
        }
    }

    static func checkLine(_ line: InvoiceLine, path: @autoclosure () -> JSONPath, sink: DiagnosticSink) {
        // The same rules as `InvoiceLine.expectedAmounts`.
        let expectedNet = (line.quantity * line.unitPrice).roundedHalfUp()
        if !(line.subtotal == expectedNet) {
            sink.report(path().appending("subtotal"), "is \(line.subtotal) but quantity × unitPrice = \(line.quantity) × \(line.unitPrice) = \(expectedNet) (rounded half-up to 0.01)")
        }
        var expectedTax = Amount.zero
        if case .percent(let p) = line.vatRate, p != 0 { expectedTax = (line.subtotal * line.vatRate.fraction).roundedHalfUp() }
        if !(line.taxTotal == expectedTax) {
            sink.report(path().appending("taxTotal"), "is \(line.taxTotal) but \(line.vatRate.code) VAT on \(line.subtotal) is \(expectedTax) (rounded half-up to 0.01)")
        }
        if !(line.totalForCustomer == line.subtotal + (line.taxTotal)) {
            sink.report(path().appending("totalForCustomer"), "is \(line.totalForCustomer) but subtotal + taxTotal = \(line.subtotal + line.taxTotal)")
        }
    }
}
