/// The two facts a tenant's history is ordered and checked by — `capturedDateTime` and `tenant.id` — read from a
/// snapshot's bytes without building its tree: values of other members are skipped bracket by bracket. A history
/// of 24 snapshots is put in order with 24 cheap scans, and only two snapshots are ever decoded at once.
///
/// It is a peek, not a parser: anything unusual (not an object, a member it cannot follow, a key escaped with `\u`)
/// gives nil for that fact, and the full decoder later reports the file's real problem with its line and column.
public struct SnapshotPeek: Sendable, Equatable {
    public var capturedDateTime: Timestamp?
    public var tenantId: String?

    public init(capturedDateTime: Timestamp?, tenantId: String?) {
        self.capturedDateTime = capturedDateTime
        self.tenantId = tenantId
    }

    public init(_ bytes: [UInt8]) {
        var captured: Timestamp?
        var tenant: String?
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            scanner.members { key, scanner in
                switch key {
                case "capturedDateTime":
                    if let text = scanner.string() { captured = Timestamp(rfc3339: text) }
                    return true
                case "tenant":
                    scanner.members { key, scanner in
                        if key == "id", let id = scanner.string() {
                            tenant = id
                            return true
                        }
                        return false
                    }
                    return true
                default:
                    return false
                }
            }
        }
        capturedDateTime = captured
        tenantId = tenant
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        /// Walks the members of the object at the cursor; `visit` reads the value of a member it wants (and returns
        /// true) or leaves it to be skipped. Stops quietly at anything it cannot follow.
        mutating func members(_ visit: (String, inout Scanner) -> Bool) {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "{") else { return }
            at += 1
            while true {
                skipSpace()
                guard at < bytes.count else { return }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                guard let key = string() else { return }
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return }
                at += 1
                skipSpace()
                let start = at
                if visit(key, &self) { continue }
                at = start
                guard skipValue() else { return }
            }
        }

        /// A string without escapes (keys and the two values wanted never need them); nil for anything else.
        mutating func string() -> String? {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
            let start = at + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            at = end + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }

        /// Moves past one value of any kind; false when the bytes end first.
        mutating func skipValue() -> Bool {
            var depth = 0
            while at < bytes.count {
                let b = bytes[at]
                switch b {
                case UInt8(ascii: "\""):
                    at += 1
                    while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
                        at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    at += 1
                    if depth == 0 { return at <= bytes.count }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    at += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }
                    depth -= 1
                    at += 1
                    if depth == 0 { return true }
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                    at += 1
                default:
                    at += 1
                }
            }
            return depth == 0
        }
    }
}
