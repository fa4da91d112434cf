import Foundation

/// Exact arithmetic for the decimals of a snapshot (amounts, prices, quantities, rates), fast.
///
/// Why: Foundation's `Decimal` works on a 128-bit mantissa through general routines (normalise, multiply
/// word by word, compact): about 400 ns for one addition on this project's machines, and a site of 100,000
/// invoices adds, multiplies, rounds and compares millions of amounts. Nearly all of them are small: a
/// significand below 2^63 and a handful of fraction digits. For those, the same exact results come from
/// 64-bit integer arithmetic; anything else (a huge significand, an overflow) goes through Foundation as
/// before. Results are exactly Foundation's: the same value and the same compact form (tested).
///
/// Reading a `Decimal`'s significand fast needs its storage, which Foundation does not expose. The layout is
/// checked once, on known values, before it is ever trusted (`Layout.isUnderstood`); if a future Foundation
/// stores decimals differently, every operation here simply takes Foundation's path.
extension Decimal {
    /// `(-1)^negative × significand × 10^exponent`, when the significand fits in 63 bits.
    public struct Small: Equatable, Sendable {
        public var negative: Bool
        public var significand: UInt64
        public var exponent: Int
    }

    private enum Layout {
        /// byte 0: exponent (Int8); byte 1: length in 16-bit words (high nibble), sign (0x08);
        /// bytes 4…19: the mantissa, little-endian 16-bit words.
        static func read(_ value: Decimal) -> Small? {
            var value = value
            return withUnsafeBytes(of: &value) { bytes -> Small? in
                let flags = bytes[1]
                let length = Int(flags >> 4)
                // Longer than 64 bits, or NaN (no mantissa words, sign bit set).
                guard length <= 4, length > 0 || flags & 0x08 == 0 else { return nil }
                var significand: UInt64 = 0
                var word = length - 1
                while word >= 0 {
                    significand = significand << 16 | UInt64(bytes[4 + 2 * word]) | UInt64(bytes[5 + 2 * word]) << 8
                    word -= 1
                }
                guard significand < 1 << 63 else { return nil }
                return Small(negative: flags & 0x08 != 0 && significand != 0, significand: significand,
                             exponent: Int(Int8(bitPattern: bytes[0])))
            }
        }

        /// Whether `read` agrees with Foundation's own accessors on values of every shape the fast paths meet.
        static let isUnderstood: Bool = {
            guard MemoryLayout<Decimal>.size == 20 else { return false }
            let samples: [(String, Small)] = [
                ("1234.56", Small(negative: false, significand: 123456, exponent: -2)),
                ("-7.5", Small(negative: true, significand: 75, exponent: -1)),
                ("0.001", Small(negative: false, significand: 1, exponent: -3)),
                ("-98765432109876.5432", Small(negative: true, significand: 987_654_321_098_765_432, exponent: -4)),
                ("4200000", Small(negative: false, significand: 42, exponent: 5)),
                ("0", Small(negative: false, significand: 0, exponent: 0)),
            ]
            for (text, expected) in samples {
                guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                      let small = read(value), small.significand == 0 ? expected.significand == 0 : small == expected,
                      value.exponent == small.exponent || small.significand == 0,
                      value.isSignMinus == small.negative
                else { return false }
            }
            // Too big for 63 bits, and NaN: refused, never misread.
            guard let big = Decimal(string: "123456789012345678901234.5"), read(big) == nil, read(Decimal.nan) == nil else { return false }
            return true
        }()
    }

    /// The value's parts, or nil when it is not small (or the layout is not understood).
    public var small: Small? {
        guard Layout.isUnderstood else { return nil }
        return Layout.read(self)
    }

    /// A decimal from exact parts, in the compact form Foundation's own arithmetic returns.
    init(_ small: Small) {
        if small.significand == 0 {
            self = 0
            return
        }
        self.init(sign: small.negative ? .minus : .plus, exponent: small.exponent, significand: Decimal(small.significand))
    }

    fileprivate static let powersOfTen: [UInt64] = (0...18).map { (0..<$0).reduce(1 as UInt64) { power, _ in power * 10 } }

    /// `value × 10^places` if it stays below 2^63.
    private static func scaledUp(_ value: UInt64, by places: Int) -> UInt64? {
        guard places >= 0, places <= 18 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: powersOfTen[places])
        return overflow || product >= 1 << 63 ? nil : product
    }

    /// Both values on the smaller exponent, as signed integers.
    private static func aligned(_ a: Small, _ b: Small) -> (Int64, Int64, exponent: Int)? {
        let exponent = min(a.exponent, b.exponent)
        guard let x = scaledUp(a.significand, by: a.exponent - exponent), let y = scaledUp(b.significand, by: b.exponent - exponent) else { return nil }
        return (a.negative ? -Int64(x) : Int64(x), b.negative ? -Int64(y) : Int64(y), exponent)
    }

    private static func fromSigned(_ value: Int64, exponent: Int) -> Decimal {
        Decimal(Small(negative: value < 0, significand: value.magnitude, exponent: exponent))
    }

    /// `self + other`, exactly.
    public func plus(_ other: Decimal) -> Decimal {
        if let a = small, let b = other.small, let (x, y, exponent) = Self.aligned(a, b) {
            let (sum, overflow) = x.addingReportingOverflow(y)
            if !overflow, sum != .min { return Self.fromSigned(sum, exponent: exponent) }
        }
        return self + other
    }

    /// `self - other`, exactly.
    public func minus(_ other: Decimal) -> Decimal {
        if let a = small, let b = other.small, let (x, y, exponent) = Self.aligned(a, b) {
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            if !overflow, difference != .min { return Self.fromSigned(difference, exponent: exponent) }
        }
        return self - other
    }

    /// `self × other`, exactly.
    public func times(_ other: Decimal) -> Decimal {
        if let a = small, let b = other.small {
            let (product, overflow) = a.significand.multipliedReportingOverflow(by: b.significand)
            if !overflow, product < 1 << 63 {
                return Decimal(Small(negative: a.negative != b.negative, significand: product, exponent: a.exponent + b.exponent))
            }
        }
        return self * other
    }

    /// The same value (`==`), compared without Foundation's normalisation when both are small.
    public func sameValue(as other: Decimal) -> Bool {
        if let a = small, let b = other.small {
            if a.significand == 0 || b.significand == 0 { return a.significand == b.significand }
            if let (x, y, _) = Self.aligned(a, b) { return x == y }
        }
        return self == other
    }

    /// The sum of `values`, exactly.
    public static func total<S: Sequence>(_ values: S) -> Decimal where S.Element == Decimal {
        values.reduce(Decimal(0)) { $0.plus($1) }
    }

    /// Rounded half away from zero to `scale` places, by integer arithmetic; nil when not small.
    func fastRoundedHalfUp(scale: Int) -> Decimal? {
        small?.roundedHalfUp(scale: scale).map { Decimal($0) }
    }

    /// Whether the value has no fraction; nil when not small.
    var fastIsWhole: Bool? {
        guard let parts = small else { return nil }
        if parts.exponent >= 0 || parts.significand == 0 { return true }
        guard -parts.exponent <= 18 else { return nil }
        return parts.significand % Self.powersOfTen[-parts.exponent] == 0
    }
}

extension Decimal.Small {
    /// These parts rounded half away from zero to `scale` places (nil when `scale` is out of reach).
    /// The result's exponent is at least `-scale`.
    public func roundedHalfUp(scale: Int) -> Self? {
        guard scale >= -18, scale <= 18 else { return nil }
        let drop = -exponent - scale  // fraction digits beyond `scale`
        if drop <= 0 { return self }
        guard drop <= 18 else { return nil }
        let divisor = Decimal.powersOfTen[drop]
        var kept = significand / divisor
        if significand % divisor >= divisor / 2 { kept += 1 }  // half or more of the dropped place: away from zero
        return Self(negative: negative && kept != 0, significand: kept, exponent: -scale)
    }

    /// Rounded half away from zero to `scale` places, as a whole number of 10^-scale units (`-12.345` at 2:
    /// negative, 1235), the sign kept only when the count is not zero; nil when `scale` is outside 0…9 or the
    /// count would reach 10^18. What formatting writes digit by digit.
    public func units(scale: Int) -> (negative: Bool, count: UInt64)? {
        guard scale >= 0, scale <= 9, let rounded = roundedHalfUp(scale: scale) else { return nil }
        let shift = rounded.exponent + scale  // ≥ 0: rounding leaves at most `scale` fraction digits
        guard shift >= 0, shift <= 18 else { return nil }
        let (count, overflow) = rounded.significand.multipliedReportingOverflow(by: Decimal.powersOfTen[shift])
        guard !overflow, count < 1_000_000_000_000_000_000 else { return nil }
        return (rounded.negative && count != 0, count)
    }
}
