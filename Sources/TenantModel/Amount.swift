import Foundation

/// The project's exact decimal number, for every amount, price, quantity and rate of a snapshot: a count of
/// 10⁻¹⁰ (`units`, a 128-bit integer).
///
/// Why not Foundation's `Amount`: its arithmetic runs through general 128-bit mantissa routines (about 400
/// instructions for an addition, 50,000 for a division), and making it fast meant reading its private memory
/// layout. A snapshot's numbers are bounded at decode (`NumberLimits`: |x| < 10¹², at most 10 digits after the
/// point), so every one of them is an exact integer count of 10⁻¹⁰ below 10²², and sums of a whole snapshot stay
/// far inside 128 bits. Addition, subtraction and multiplication by an integer are exact. A product of two
/// amounts and a quotient keep 10 digits after the point: a product is cut toward zero there, which leaves any
/// later rounding to fewer digits (`roundedHalfUp`) exactly what the full product would give; a quotient is
/// rounded half away from zero.
public struct Amount: Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Digits after the point every amount carries.
    public static let scale = 10
    static let one: Int128 = 10_000_000_000
    static let powers: [Int128] = (0...38).map { n in (0..<n).reduce(Int128(1)) { p, _ in p * 10 } }

    /// The value times 10¹⁰.
    public let units: Int128

    public init(units: Int128) { self.units = units }
    public init(_ value: Int) { units = Int128(value) * Self.one }
    public init(integerLiteral value: Int) { self.init(value) }

    public static let zero = Amount(units: 0)

    // MARK: Reading

    /// Why a number's text is not an amount.
    public enum ParseFailure: Error, Equatable {
        /// Not a JSON number.
        case notANumber
        /// More than `scale` digits after the point (after any exponent).
        case tooManyFractionDigits
        /// Too large to be held (the caller's range check names the limit).
        case tooLarge
    }

    /// A JSON number's exact text (`-12.5`, `3`, `1.25e2`), never through `Double`.
    public static func parse(_ text: String) -> Result<Amount, ParseFailure> {
        // The significant digits straight into an integer (at most 38 of them count), no buffer.
        // Digits go into a 64-bit integer while they fit (18 of them always do; 128-bit arithmetic for each digit
        // was most of the time spent reading a snapshot's amounts), then into the 128-bit one.
        var small: UInt64 = 0
        var significand: Int128 = 0
        var digitCount = 0
        var trailingZeros = 0
        var fractionDigits = 0
        var negative = false
        var exponent = 0
        var seenPoint = false, seenDigit = false
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        while let byte = bytes.first {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                seenDigit = true
                let digit = Int128(byte - UInt8(ascii: "0"))
                if digitCount > 0 || digit != 0 {
                    guard digitCount < 38 else { return .failure(.tooLarge) }
                    if digitCount < 18 {
                        small = small &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                    } else {
                        if digitCount == 18 { significand = Int128(small) }
                        significand = significand * 10 + digit
                    }
                    digitCount += 1
                    trailingZeros = digit == 0 ? trailingZeros + 1 : 0
                }
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint, seenDigit {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E"), seenDigit {
                var rest = bytes.dropFirst()
                var exponentNegative = false
                if rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "+") {
                    exponentNegative = rest.first == UInt8(ascii: "-")
                    rest = rest.dropFirst()
                }
                guard !rest.isEmpty, rest.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return .failure(.notANumber) }
                guard rest.count <= 6 else { return .failure(exponentNegative ? .tooManyFractionDigits : .tooLarge) }
                exponent = Int(String(decoding: rest, as: UTF8.self))! * (exponentNegative ? -1 : 1)
                bytes = bytes[bytes.endIndex...]
                break
            } else {
                return .failure(.notANumber)
            }
            bytes = bytes.dropFirst()
        }
        guard seenDigit, text.utf8.last != UInt8(ascii: ".") else { return .failure(.notANumber) }
        if digitCount == 0 { return .success(.zero) }
        if digitCount <= 18 { significand = Int128(small) }
        // value = significand × 10^(exponent − fractionDigits); trailing zeros do not count as places.
        var places = fractionDigits - exponent
        let dropped = Swift.max(0, Swift.min(trailingZeros, places))
        if dropped > 0 { significand /= powers[dropped] }  // (a 128-bit division is a library call)
        digitCount -= dropped
        places -= dropped
        guard places <= scale else { return .failure(.tooManyFractionDigits) }
        // units = significand × 10^(scale − places): at most 36 digits (far above any accepted range).
        guard digitCount + scale - places <= 36 else { return .failure(.tooLarge) }
        let units = significand * powers[scale - places]
        return .success(Amount(units: negative ? -units : units))
    }

    /// `parse`, as an optional.
    public init?(exactly text: String) {
        guard case .success(let value) = Self.parse(text) else { return nil }
        self = value
    }

    // MARK: Arithmetic

    public static func + (a: Amount, b: Amount) -> Amount { Amount(units: a.units + b.units) }
    public static func - (a: Amount, b: Amount) -> Amount { Amount(units: a.units - b.units) }
    public static prefix func - (a: Amount) -> Amount { Amount(units: -a.units) }
    public static func += (a: inout Amount, b: Amount) { a = a + b }
    public static func -= (a: inout Amount, b: Amount) { a = a - b }
    public static func < (a: Amount, b: Amount) -> Bool { a.units < b.units }

    /// Exact; a product beyond 128 bits (only from numbers no snapshot may hold) stops at the largest amount.
    public static func * (a: Amount, n: Int) -> Amount {
        let (product, overflow) = a.units.multipliedReportingOverflow(by: Int128(n))
        return overflow ? Amount(units: (a.units < 0) != (n < 0) ? .min + 1 : .max) : Amount(units: product)
    }

    /// The product, cut toward zero after 10 digits (see the type's note).
    public static func * (a: Amount, b: Amount) -> Amount {
        let negative = (a.units < 0) != (b.units < 0)
        let product = a.units.magnitude.multipliedFullWidth(by: b.units.magnitude)
        let divisor = UInt128(one)
        guard product.high < divisor else { return Amount(units: negative ? .min + 1 : .max) }
        let (quotient, _) = divisor.dividingFullWidth(product)
        guard quotient <= UInt128(Int128.max) else { return Amount(units: negative ? .min + 1 : .max) }
        return Amount(units: negative ? -Int128(quotient) : Int128(quotient))
    }

    /// The quotient, rounded half away from zero after 10 digits.
    public static func / (a: Amount, n: Int) -> Amount {
        precondition(n != 0, "division by zero")
        let divisor = Int128(n).magnitude
        let magnitude = a.units.magnitude
        var quotient = magnitude / divisor
        if (magnitude % divisor) * 2 >= divisor { quotient += 1 }
        let negative = (a.units < 0) != (n < 0)
        return Amount(units: negative ? -Int128(quotient) : Int128(quotient))
    }

    /// Rounded half away from zero ("half-up" as Polish VAT rules mean it) to `scale` places (0…10).
    public func roundedHalfUp(scale places: Int = 2) -> Amount {
        guard places < Self.scale else { return self }
        let step = Self.powers[Self.scale - places]
        let magnitude = units.magnitude
        let remainder = magnitude % UInt128(step)
        var rounded = magnitude - remainder
        if remainder * 2 >= UInt128(step) { rounded += UInt128(step) }
        return Amount(units: units < 0 ? -Int128(rounded) : Int128(rounded))
    }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }
    public var isWhole: Bool { units % Self.one == 0 }
    public var magnitude: Amount { Amount(units: Int128(bitPattern: units.magnitude)) }

    /// Rounded half away from zero to `places` digits: whether below zero, and the magnitude as a count of
    /// 10^-places (what the formatters write out).
    public func scaled(to places: Int) -> (negative: Bool, count: UInt128) {
        let rounded = roundedHalfUp(scale: places)
        let count = rounded.units.magnitude / UInt128(Self.powers[Self.scale - Swift.min(places, Self.scale)])
        return (rounded.units < 0, count)
    }

    /// For chart geometry only, never for money.
    public var doubleValue: Double { Double(units) / 1e10 }

    /// The whole part, when it is one an `Int` holds.
    public var wholeValue: Int? { isWhole ? Int(exactly: units / Self.one) : nil }

    /// `19.99`, `-120`, `0.05`: exact and plain, no exponent, no trailing zeros after the point.
    public var description: String {
        if units == 0 { return "0" }
        let magnitude = units.magnitude
        let whole = magnitude / UInt128(Self.one), fraction = magnitude % UInt128(Self.one)
        var text = units < 0 ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: Self.scale - digits.count) + digits
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}

extension Amount: Codable {
    /// As its exact decimal text (`"1234.5"`): no binary floating point on the way.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let amount = Amount(exactly: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an amount: \(text)"))
        }
        self = amount
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
