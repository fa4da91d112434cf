/// A small seeded pseudo-random generator (Steele, Lea & Flood's SplitMix64). Synthetic content must be the
/// same bytes for a seed on every machine and every Swift version, so the helpers below do their own range
/// arithmetic instead of relying on the standard library's `random(in:using:)`, whose algorithm may change.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one item of a series (tenant `index` of seed `seed`): items do not depend on each
    /// other, so tenant 7 is the same whether 10 or 10,000 tenants are made, and they can be made in parallel.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`, by multiply-high (the tiny bias is irrelevant for test content).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// True with the given probability (0…1).
    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < probability
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// Picks by weight: `[(value, weight)]`.
    public mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var roll = int(0...(items.reduce(0) { $0 + $1.1 } - 1))
        for (item, weight) in items {
            if roll < weight { return item }
            roll -= weight
        }
        return items[items.count - 1].0
    }

    /// `count` distinct items in their original order.
    public mutating func sample<T>(_ items: [T], _ count: Int) -> [T] {
        var chosen = Array(items.indices)
        // Partial Fisher–Yates with our own range arithmetic.
        let n = min(count, items.count)
        for i in 0..<n { chosen.swapAt(i, int(i...(items.count - 1))) }
        return chosen.prefix(n).sorted().map { items[$0] }
    }

    /// 8-4-4-4-12 lower-case hex, shaped like a version-4 GUID.
    public mutating func guid() -> String {
        let a = next(), b = next()
        let hex = Array(String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16))
        var chars = hex
        chars[12] = "4"
        chars[16] = ["8", "9", "a", "b"][Int(b >> 62)]
        let s = String(chars)
        func part(_ from: Int, _ length: Int) -> Substring {
            let start = s.index(s.startIndex, offsetBy: from)
            return s[start..<s.index(start, offsetBy: length)]
        }
        return "\(part(0, 8))-\(part(8, 4))-\(part(12, 4))-\(part(16, 4))-\(part(20, 12))"
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
