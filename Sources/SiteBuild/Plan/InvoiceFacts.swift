import Foundation
import TenantModel

/// Where a document stands on "today" (`asOf`).
public enum InvoiceStatus: String, Sendable, CaseIterable, Codable {
    /// Nothing outstanding.
    case paid
    /// Something outstanding, due date not passed (the due date itself is not overdue).
    case unpaid
    /// Something outstanding and `dueDate < asOf`.
    case overdue
    /// Nothing outstanding, and a credit note or correction corrects it.
    case credited
}

/// Facts about the invoices of one snapshot, derived once and shared by the list and document pages.
public struct InvoiceFacts: Sendable {
    public let asOf: CivilDate
    /// Documents that correct each invoice (credit notes, corrections), by the corrected invoice's id,
    /// oldest first.
    public let correctedBy: [String: [Invoice]]
    public let byId: [String: Invoice]

    public init(_ invoices: [Invoice], asOf: CivilDate) {
        self.asOf = asOf
        var corrections: [String: [Invoice]] = [:]
        for document in invoices {
            if let target = document.correctedInvoiceId { corrections[target, default: []].append(document) }
        }
        correctedBy = corrections.mapValues { $0.sorted(by: InvoiceFacts.chronological) }
        var ids: [String: Invoice] = [:]
        for invoice in invoices where ids[invoice.id] == nil { ids[invoice.id] = invoice }
        byId = ids
    }

    /// Oldest first; same day by number.
    public static func chronological(_ a: Invoice, _ b: Invoice) -> Bool {
        (a.invoiceDate, a.id) < (b.invoiceDate, b.id)
    }

    /// Newest first, as the admin center lists them.
    public static func newestFirst(_ a: Invoice, _ b: Invoice) -> Bool {
        (b.invoiceDate, a.id) < (a.invoiceDate, b.id)
    }

    /// The one rule for "not settled": money still to move, either way. A credit note awaiting its refund (negative
    /// outstanding) is as open as an unpaid invoice; every page and count uses this.
    public static func isOpen(_ invoice: Invoice) -> Bool { invoice.outstanding != 0 }

    /// Outstanding money decides first (overdue, unpaid); a settled invoice that something corrects is
    /// `credited`; otherwise `paid`.
    public func status(_ invoice: Invoice) -> InvoiceStatus {
        if Self.isOpen(invoice) { return invoice.dueDate < asOf ? .overdue : .unpaid }
        if !(correctedBy[invoice.id] ?? []).isEmpty { return .credited }
        return .paid
    }

    /// Some but not all of it paid.
    public func isPartlyPaid(_ invoice: Invoice) -> Bool { invoice.outstanding != 0 && invoice.paidAmount != 0 }
}

/// Net, VAT and gross for one VAT rate of one document (art. 106e: sums per rate).
public struct VATRateTotal: Sendable, Hashable {
    public var rate: InvoiceLine.VATRate
    public var net: Amount
    public var vat: Amount
    public var gross: Amount

    /// Sums of the lines' own amounts per rate, in the order of a Polish VAT summary (23, 8, 5, 0, zw, np, oo).
    /// The lines are already rounded half-up to the grosz and checked by the validator, so these sums add
    /// up exactly to the document's total; the VAT of a rate is the sum of its lines' VAT (not recomputed
    /// from the net sum, which could differ by a grosz from what the document charges).
    public static func of(_ invoice: Invoice) -> [VATRateTotal] {
        var totals: [InvoiceLine.VATRate: VATRateTotal] = [:]
        for line in invoice.lines {
            totals[line.vatRate, default: VATRateTotal(rate: line.vatRate, net: 0, vat: 0, gross: 0)].add(line)
        }
        return totals.values.sorted { $0.rate < $1.rate }
    }

    mutating func add(_ line: InvoiceLine) {
        net += line.subtotal
        vat += line.taxTotal
        gross += line.totalForCustomer
    }

    /// VAT of this rate in złoty on a foreign-currency document: the VAT amount × the exchange rate,
    /// rounded half-up to the grosz (art. 106e ust. 11, rate per art. 31a).
    public func vatInPLN(_ exchange: Invoice.ExchangeRate) -> Amount { (vat * exchange.rate).roundedHalfUp() }
}

/// The sums of a list of documents for one currency.
public struct CurrencyTotal: Sendable, Hashable {
    public var currency: String
    public var count = 0
    public var net: Amount = 0
    public var vat: Amount = 0
    public var gross: Amount = 0
    public var paid: Amount = 0
    public var outstanding: Amount = 0

    /// Per currency, sorted by currency code; credit notes count with their (negative) amounts. Amounts in
    /// different currencies are never added together.
    public static func of(_ invoices: [Invoice]) -> [CurrencyTotal] {
        var totals: [String: CurrencyTotal] = [:]
        for invoice in invoices {
            totals[invoice.currencyCode, default: CurrencyTotal(currency: invoice.currencyCode)].add(
                count: 1, net: invoice.netTotal, vat: invoice.taxTotal, gross: invoice.totalCharges, paid: invoice.paidAmount,
                outstanding: invoice.outstanding)
        }
        return totals.keys.sorted().map { totals[$0]! }
    }

    /// The totals of several disjoint lists as one, per currency, sorted by currency code.
    public static func combined(_ lists: [[CurrencyTotal]]) -> [CurrencyTotal] {
        var totals: [String: CurrencyTotal] = [:]
        for list in lists {
            for part in list {
                totals[part.currency, default: CurrencyTotal(currency: part.currency)].add(
                    count: part.count, net: part.net, vat: part.vat, gross: part.gross, paid: part.paid, outstanding: part.outstanding)
            }
        }
        return totals.keys.sorted().map { totals[$0]! }
    }

    /// Adds in place, with `Amount.plus` (exact, by integer arithmetic for amounts of money size).
    mutating func add(count: Int, net: Amount, vat: Amount, gross: Amount, paid: Amount, outstanding: Amount) {
        self.count += count
        self.net = self.net + (net)
        self.vat = self.vat + (vat)
        self.gross = self.gross + (gross)
        self.paid = self.paid + (paid)
        self.outstanding = self.outstanding + (outstanding)
    }
}

/// Net amount invoiced per calendar month (by issue date), per currency, with every month from the first
/// to the last present (empty months are 0, so a chart's gaps are true gaps).
public struct MonthlySpend: Sendable, Hashable {
    public struct Month: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var net: Amount
    }

    public var currency: String
    public var months: [Month]

    public static func of(_ invoices: [Invoice]) -> [MonthlySpend] {
        var sums: [String: [Int: Amount]] = [:]
        for invoice in invoices {
            let key = invoice.invoiceDate.year * 12 + invoice.invoiceDate.month - 1
            let sum = sums[invoice.currencyCode]?[key] ?? 0
            sums[invoice.currencyCode, default: [:]][key] = sum + (invoice.netTotal)
        }
        return sums.keys.sorted().map { currency in
            let perMonth = sums[currency]!
            let first = perMonth.keys.min()!, last = perMonth.keys.max()!
            let months = (first...last).map { key in Month(year: key / 12, month: key % 12 + 1, net: perMonth[key] ?? 0) }
            return MonthlySpend(currency: currency, months: months)
        }
    }
}
