import Foundation

/// One tenant's snapshot, format version 1 (docs/snapshot-format.md). Plain values, no behaviour
/// beyond facts derived from the data itself.
public struct Snapshot: Sendable {
    /// The version this tenantsite writes. Version 2 added `disagreements`, the purchase channel `unknown`, and
    /// subscriptions without a known `createdDateTime`; version 3 added KSeF invoices (`invoices[].ksef`, the facts
    /// in an FA(3) file beside the snapshot); version 4 added people's sign-in activity (`users[].signInActivity`). Older files
    /// still load.
    public static let currentSchemaVersion = 4
    public static let readableSchemaVersions = 1...4

    /// The file's slug (its name without `.json`): part of every URL of the tenant.
    public var slug: String
    public var capturedDateTime: Timestamp
    public var tenant: Tenant
    public var groups: [Group]
    public var subscriptions: [Subscription]
    public var users: [User]
    public var invoices: [Invoice]
    /// Where the sources the snapshot was made from disagree (v2): each shown on the site with every value.
    public var disagreements: [Disagreement]

    public init(slug: String, capturedDateTime: Timestamp, tenant: Tenant, groups: [Group] = [],
                subscriptions: [Subscription] = [], users: [User] = [], invoices: [Invoice] = [], disagreements: [Disagreement] = []) {
        self.disagreements = disagreements
        self.slug = slug
        self.capturedDateTime = capturedDateTime
        self.tenant = tenant
        self.groups = groups
        self.subscriptions = subscriptions
        self.users = users
        self.invoices = invoices
    }
}

public enum Language: String, Sendable, CaseIterable, Hashable, Comparable {
    case pl, en
    public static func < (lhs: Language, rhs: Language) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct Tenant: Sendable {
    public var id: String
    public var displayName: String
    public var defaultDomain: String
    public var countryLetterCode: String
    public var preferredLanguage: Language
    public var nip: String?
    public var billingContact: Contact?
    public var management: Management

    public init(id: String, displayName: String, defaultDomain: String, countryLetterCode: String,
                preferredLanguage: Language, nip: String? = nil, billingContact: Contact? = nil, management: Management) {
        self.id = id
        self.displayName = displayName
        self.defaultDomain = defaultDomain
        self.countryLetterCode = countryLetterCode
        self.preferredLanguage = preferredLanguage
        self.nip = nip
        self.billingContact = billingContact
        self.management = management
    }
}

public struct Contact: Sendable, Hashable {
    public var displayName: String
    public var email: String
    public init(displayName: String, email: String) {
        self.displayName = displayName
        self.email = email
    }
}

public struct Management: Sendable {
    public enum Channel: String, Sendable, CaseIterable, Codable {
        case homePl = "home.pl"
        case azPl = "az.pl"
        case partner
        case direct
    }

    public var channel: Channel
    public var partnerName: String?
    public var panelLastSyncedDateTime: Timestamp?

    public init(channel: Channel, partnerName: String? = nil, panelLastSyncedDateTime: Timestamp? = nil) {
        self.channel = channel
        self.partnerName = partnerName
        self.panelLastSyncedDateTime = panelLastSyncedDateTime
    }
}

public struct Group: Sendable {
    public var id: String
    public var displayName: String
    public init(id: String, displayName: String) {
        self.id = id
        self.displayName = displayName
    }
}

public struct Subscription: Sendable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case active, expired, disabled, deleted, suspended
    }

    public enum BillingCycle: String, Sendable, CaseIterable, Codable {
        case monthly, annual, triennial, none

        /// How many months one billing period covers (nil: not a recurring charge).
        public var months: Int? {
            switch self {
            case .monthly: return 1
            case .annual: return 12
            case .triennial: return 36
            case .none: return nil
            }
        }
    }

    public enum PurchaseChannel: String, Sendable, CaseIterable {
        case reseller, partner, selfService, direct
        /// No file says who bought it (v2).
        case unknown
    }

    public struct PrepaidUnits: Sendable, Hashable {
        public var enabled: Int
        public var suspended: Int
        public var warning: Int
        public var lockedOut: Int
        public init(enabled: Int, suspended: Int = 0, warning: Int = 0, lockedOut: Int = 0) {
            self.enabled = enabled
            self.suspended = suspended
            self.warning = warning
            self.lockedOut = lockedOut
        }
    }

    public struct Purchaser: Sendable, Hashable {
        public var id: String?
        public var displayName: String
        public var userPrincipalName: String
        public init(id: String? = nil, displayName: String, userPrincipalName: String) {
            self.id = id
            self.displayName = displayName
            self.userPrincipalName = userPrincipalName
        }
    }

    public var id: String
    public var commerceSubscriptionId: String?
    public var skuId: String
    public var skuPartNumber: String
    public var productName: String?
    public var status: Status
    public var isTrial: Bool
    public var prepaidUnits: PrepaidUnits
    public var consumedUnits: Int
    /// nil when no source gives it (v2): a sku listed with licences whose subscription record was not saved.
    public var createdDateTime: Timestamp?
    public var nextLifecycleDateTime: Timestamp?
    public var billingCycle: BillingCycle?
    public var termDuration: String?
    public var autoRenewEnabled: Bool?
    public var unitPrice: Amount?
    public var currencyCode: String?
    public var purchaseChannel: PurchaseChannel
    public var purchasedBy: Purchaser?

    public init(id: String, commerceSubscriptionId: String? = nil, skuId: String, skuPartNumber: String,
                productName: String? = nil, status: Status, isTrial: Bool, prepaidUnits: PrepaidUnits,
                consumedUnits: Int, createdDateTime: Timestamp?, nextLifecycleDateTime: Timestamp? = nil,
                billingCycle: BillingCycle? = nil, termDuration: String? = nil, autoRenewEnabled: Bool? = nil,
                unitPrice: Amount? = nil, currencyCode: String? = nil, purchaseChannel: PurchaseChannel,
                purchasedBy: Purchaser? = nil) {
        self.id = id
        self.commerceSubscriptionId = commerceSubscriptionId
        self.skuId = skuId
        self.skuPartNumber = skuPartNumber
        self.productName = productName
        self.status = status
        self.isTrial = isTrial
        self.prepaidUnits = prepaidUnits
        self.consumedUnits = consumedUnits
        self.createdDateTime = createdDateTime
        self.nextLifecycleDateTime = nextLifecycleDateTime
        self.billingCycle = billingCycle
        self.termDuration = termDuration
        self.autoRenewEnabled = autoRenewEnabled
        self.unitPrice = unitPrice
        self.currencyCode = currencyCode
        self.purchaseChannel = purchaseChannel
        self.purchasedBy = purchasedBy
    }

    /// Licences that can still be assigned; negative when the pool is over-assigned.
    public var availableUnits: Int { prepaidUnits.enabled - consumedUnits }
}

public struct User: Sendable {
    public var id: String
    public var displayName: String
    public var userPrincipalName: String
    public var department: String?
    public var jobTitle: String?
    public var accountEnabled: Bool
    public var licenseAssignmentStates: [LicenseAssignment]
    /// When the person last signed in (v4, Graph's `signInActivity`); nil when the snapshot does not say.
    public var signInActivity: SignInActivity?

    public init(id: String, displayName: String, userPrincipalName: String, department: String? = nil,
                jobTitle: String? = nil, accountEnabled: Bool, licenseAssignmentStates: [LicenseAssignment] = [],
                signInActivity: SignInActivity? = nil) {
        self.signInActivity = signInActivity
        self.id = id
        self.displayName = displayName
        self.userPrincipalName = userPrincipalName
        self.department = department
        self.jobTitle = jobTitle
        self.accountEnabled = accountEnabled
        self.licenseAssignmentStates = licenseAssignmentStates
    }
}

/// Graph's `signInActivity` of a user (v4): the last interactive, non-interactive and successful sign-ins, each nil when
/// Microsoft has none on record (a person who never signed in has all three nil). Microsoft documents it in "How to
/// manage inactive user accounts" and the `signInActivity` resource; reading it needs AuditLog.Read.All and Entra ID P1.
public struct SignInActivity: Sendable, Hashable {
    public var lastSignInDateTime: Timestamp?
    public var lastNonInteractiveSignInDateTime: Timestamp?
    public var lastSuccessfulSignInDateTime: Timestamp?

    public init(lastSignInDateTime: Timestamp? = nil, lastNonInteractiveSignInDateTime: Timestamp? = nil, lastSuccessfulSignInDateTime: Timestamp? = nil) {
        self.lastSignInDateTime = lastSignInDateTime
        self.lastNonInteractiveSignInDateTime = lastNonInteractiveSignInDateTime
        self.lastSuccessfulSignInDateTime = lastSuccessfulSignInDateTime
    }

    /// The newest of the three: the last time the account was used at all; nil when it never signed in.
    public var last: Timestamp? {
        [lastSignInDateTime, lastNonInteractiveSignInDateTime, lastSuccessfulSignInDateTime].compactMap { $0 }.max()
    }
}

public struct LicenseAssignment: Sendable {
    public enum State: String, Sendable, CaseIterable, Codable {
        case active = "Active"
        case activeWithError = "ActiveWithError"
        case disabled = "Disabled"
        case error = "Error"
    }

    public enum AssignmentError: String, Sendable, CaseIterable, Codable {
        case none = "None"
        case countViolation = "CountViolation"
        case mutuallyExclusiveViolation = "MutuallyExclusiveViolation"
        case dependencyViolation = "DependencyViolation"
        case prohibitedInUsageLocationViolation = "ProhibitedInUsageLocationViolation"
        case uniquenessViolation = "UniquenessViolation"
        case others = "Others"
    }

    public var skuId: String
    public var subscriptionId: String?
    public var assignedByGroup: String?
    public var state: State
    public var error: AssignmentError?

    public init(skuId: String, subscriptionId: String? = nil, assignedByGroup: String? = nil, state: State,
                error: AssignmentError? = nil) {
        self.skuId = skuId
        self.subscriptionId = subscriptionId
        self.assignedByGroup = assignedByGroup
        self.state = state
        self.error = error
    }

    public var hasError: Bool { state == .error || state == .activeWithError || (error.map { $0 != .none } ?? false) }
}

public struct Party: Sendable, Hashable {
    public var name: String
    public var addressLines: [String]
    public var nip: String?
    public var vatId: String?
    public var countryCode: String?

    public init(name: String, addressLines: [String], nip: String? = nil, vatId: String? = nil, countryCode: String? = nil) {
        self.name = name
        self.addressLines = addressLines
        self.nip = nip
        self.vatId = vatId
        self.countryCode = countryCode
    }
}

public struct Invoice: Sendable {
    /// `invoice`, `creditNote` and `correction` are known; anything else is kept and shown as written.
    public struct DocumentType: Sendable, Hashable, RawRepresentable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let invoice = DocumentType(rawValue: "invoice")
        public static let creditNote = DocumentType(rawValue: "creditNote")
        public static let correction = DocumentType(rawValue: "correction")
        public var correctsAnother: Bool { self == .creditNote || self == .correction }
    }

    public struct ExchangeRate: Sendable, Hashable {
        public var rate: Amount
        public var date: CivilDate
        public var source: String?
        public init(rate: Amount, date: CivilDate, source: String? = nil) {
            self.rate = rate
            self.date = date
            self.source = source
        }
    }

    public var id: String
    public var documentType: DocumentType
    public var correctedInvoiceId: String?
    public var invoiceDate: CivilDate
    public var saleDate: CivilDate?
    public var dueDate: CivilDate
    public var billingPeriodStartDate: CivilDate?
    public var billingPeriodEndDate: CivilDate?
    public var currencyCode: String
    public var seller: Party
    public var buyer: Party
    public var lines: [InvoiceLine] {
        didSet { (netTotal, taxTotal) = Self.sums(lines) }
    }
    /// The lines' net and VAT sums, kept with the lines: pages ask for them many times per document, and
    /// Amount additions are dear.
    public internal(set) var netTotal: Amount
    public internal(set) var taxTotal: Amount
    public var totalCharges: Amount
    public var paidAmount: Amount
    public var ksefNumber: String?
    public var exchangeRate: ExchangeRate?
    /// A KSeF invoice's file and what it says (format v3: `ksef`); nil for an invoice typed into the snapshot. Its
    /// `lines` are empty: the XML's own lines are `ksef.invoice.lines`.
    public var ksef: KSeFDocument?

    public init(id: String, documentType: DocumentType, correctedInvoiceId: String? = nil, invoiceDate: CivilDate,
                saleDate: CivilDate? = nil, dueDate: CivilDate, billingPeriodStartDate: CivilDate? = nil,
                billingPeriodEndDate: CivilDate? = nil, currencyCode: String, seller: Party, buyer: Party,
                lines: [InvoiceLine], totalCharges: Amount, paidAmount: Amount, ksefNumber: String? = nil,
                exchangeRate: ExchangeRate? = nil) {
        self.id = id
        self.documentType = documentType
        self.correctedInvoiceId = correctedInvoiceId
        self.invoiceDate = invoiceDate
        self.saleDate = saleDate
        self.dueDate = dueDate
        self.billingPeriodStartDate = billingPeriodStartDate
        self.billingPeriodEndDate = billingPeriodEndDate
        self.currencyCode = currencyCode
        self.seller = seller
        self.buyer = buyer
        self.lines = lines
        (netTotal, taxTotal) = Self.sums(lines)
        self.totalCharges = totalCharges
        self.paidAmount = paidAmount
        self.ksefNumber = ksefNumber
        self.exchangeRate = exchangeRate
    }

    private static func sums(_ lines: [InvoiceLine]) -> (net: Amount, tax: Amount) {
        (lines.reduce(Amount.zero) { $0 + $1.subtotal }, lines.reduce(Amount.zero) { $0 + $1.taxTotal })
    }
    public var outstanding: Amount { totalCharges - (paidAmount) }
}

public struct InvoiceLine: Sendable {
    /// A VAT rate: a percentage, or one of the Polish markers for no tax.
    public enum VATRate: Sendable, Hashable, Comparable {
        case percent(Int)
        /// `zw` exempt, `np` not subject to Polish VAT, `oo` reverse charge.
        case exempt, notSubject, reverseCharge

        public init?(code: String) {
            switch code {
            case "zw": self = .exempt
            case "np": self = .notSubject
            case "oo": self = .reverseCharge
            case "23", "8", "5", "0": self = .percent(Int(code)!)
            default: return nil
            }
        }

        public var code: String {
            switch self {
            case .percent(let p): return String(p)
            case .exempt: return "zw"
            case .notSubject: return "np"
            case .reverseCharge: return "oo"
            }
        }

        public var fraction: Amount {
            if case .percent(let p) = self { return Amount(p) / 100 }
            return 0
        }

        /// Percent rates first, highest first, then the markers: the order of a Polish VAT summary.
        private var sortKey: (Int, Int) {
            switch self {
            case .percent(let p): return (0, -p)
            case .exempt: return (1, 0)
            case .notSubject: return (2, 0)
            case .reverseCharge: return (3, 0)
            }
        }

        public static func < (lhs: VATRate, rhs: VATRate) -> Bool { lhs.sortKey < rhs.sortKey }
    }

    public var description: String
    public var quantity: Amount
    public var unit: String
    public var unitPrice: Amount
    public var vatRate: VATRate
    public var subtotal: Amount
    public var taxTotal: Amount
    public var totalForCustomer: Amount
    public var subscriptionId: String?
    public var chargeStartDate: CivilDate?
    public var chargeEndDate: CivilDate?

    public init(description: String, quantity: Amount, unit: String, unitPrice: Amount, vatRate: VATRate,
                subtotal: Amount, taxTotal: Amount, totalForCustomer: Amount, subscriptionId: String? = nil,
                chargeStartDate: CivilDate? = nil, chargeEndDate: CivilDate? = nil) {
        self.description = description
        self.quantity = quantity
        self.unit = unit
        self.unitPrice = unitPrice
        self.vatRate = vatRate
        self.subtotal = subtotal
        self.taxTotal = taxTotal
        self.totalForCustomer = totalForCustomer
        self.subscriptionId = subscriptionId
        self.chargeStartDate = chargeStartDate
        self.chargeEndDate = chargeEndDate
    }

    /// What the line's amounts must be, computed from quantity, unit price and rate (half-up to the grosz).
    public static func expectedAmounts(quantity: Amount, unitPrice: Amount, vatRate: VATRate)
        -> (subtotal: Amount, taxTotal: Amount, totalForCustomer: Amount) {
        let net = (quantity * unitPrice).roundedHalfUp()
        let vat = (net * vatRate.fraction).roundedHalfUp()
        return (net, vat, net + (vat))
    }
}

/// Two or more sources of one snapshot saying different things about one thing (v2). The import records them
/// instead of picking a winner silently: Microsoft's lists are separate endpoints saved at different times, and a
/// reseller's or partner's records lag behind Graph.
public struct Disagreement: Sendable, Hashable {
    public enum Subject: String, Sendable, CaseIterable {
        case tenant, sku, subscription, user
    }

    /// One source's value: `source` names the response (`Graph GET /subscribedSkus`, `Partner Center subscriptions`),
    /// `value` is what it said, in words or numbers as it said it (`"none"` when it does not list the thing at all).
    public struct Claim: Sendable, Hashable {
        public var source: String
        public var value: String
        public init(source: String, value: String) {
            self.source = source
            self.value = value
        }
    }

    public var subject: Subject
    /// The id of what it is about: a sku id, a subscription id, a user id, the tenant id.
    public var id: String
    /// What people call it (a part number, a product name, a person's name).
    public var name: String
    /// What is disputed: `licences`, `status`, `isTrial`, `listed`, `licence`.
    public var field: String
    /// The sku a person's disputed licence is of (`field` `licence`).
    public var sku: String?
    public var claims: [Claim]
    /// Which value the snapshot's other fields hold, when one was kept.
    public var kept: String?

    /// What a source that does not list the thing at all says.
    public static let notListed = "—"

    public init(subject: Subject, id: String, name: String, field: String, sku: String? = nil, claims: [Claim], kept: String? = nil) {
        self.subject = subject
        self.id = id
        self.name = name
        self.field = field
        self.sku = sku
        self.claims = claims
        self.kept = kept
    }
}
