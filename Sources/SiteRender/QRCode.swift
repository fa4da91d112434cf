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
