import CQREncode
import Foundation

/// A QR code made by libqrencode (Debian's libqrencode-dev: the encoder behind qrencode(1)), drawn as SVG for web
/// pages. Error correction M (15% of the code may be lost and it still reads): a printed invoice gets folded.
public struct QRCode: Sendable {
    /// Modules per side.
    public let size: Int
    /// Row by row, `true` for a dark module.
    public let modules: [Bool]

    /// nil when the text cannot be encoded (too long for any QR version).
    public init?(_ text: String) {
        guard let code = text.withCString({ QRcode_encodeString($0, 0, QR_ECLEVEL_M, QR_MODE_8, 1) }) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    /// An `<svg>` of the code with a quiet zone of four modules, `pixels` wide and high; each dark run of a row is one
    /// rectangle of a single path. `label` names it for screen readers.
    public func svg(pixels: Int, label: String) -> String {
        let side = size + 8
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x, y) else { x += 1; continue }
                var end = x
                while end < size, isDark(end, y) { end += 1 }
                path += "M\(x + 4) \(y + 4)h\(end - x)v1h-\(end - x)z"
                x = end
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(pixels)\" height=\"\(pixels)\" role=\"img\" aria-label=\"\(HTML.escape(label))\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }
}

extension QRCode {
    /// The code as a PNG for e-mail (mail clients drop SVG): black and white, one bit per pixel, `scale` pixels per
    /// module, a quiet zone of four modules.
    ///
    /// Written here rather than with libpng: an image of a few kilobytes needs only PNG's container (signature, IHDR,
    /// IDAT, IEND with their CRC-32) and zlib's stored blocks (no compression, Adler-32), which is shorter than a
    /// system-library target and its callbacks. `QRCodeTests` reads the image back with zbarimg.
    public func png(scale: Int) -> [UInt8] {
        let side = (size + 8) * scale
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        for py in 0..<side {
            raw.append(0)  // filter: none
            var row = [UInt8](repeating: 0xFF, count: rowBytes)  // 1 = white in greyscale
            let y = py / scale - 4
            if y >= 0, y < size {
                for px in 0..<side {
                    let x = px / scale - 4
                    if x >= 0, x < size, isDark(x, y) { row[px / 8] &= ~(0x80 >> UInt8(px % 8)) }
                }
            }
            raw += row
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, raw.count - offset)
            let last = offset + count == raw.count
            zlib.append(last ? 1 : 0)
            zlib += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + count)]
            offset += count
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        zlib += bigEndian((b << 16) | a)

        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            out += bigEndian(UInt32(data.count))
            let body = Array(type.utf8) + data
            out += body
            out += bigEndian(Self.crc32(body))
        }
        chunk("IHDR", bigEndian(UInt32(side)) + bigEndian(UInt32(side)) + [1, 0, 0, 0, 0])  // 1 bit, greyscale
        chunk("IDAT", zlib)
        chunk("IEND", [])
        return out
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// CRC-32 (ISO 3309, as PNG uses it).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
