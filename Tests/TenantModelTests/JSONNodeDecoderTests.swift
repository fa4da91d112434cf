import Foundation
import Testing
import TenantModel

/// `JSONNodeDecoder` reads what `JSONEncoder` writes, as Foundation's decoder does, and refuses what does not fit.
@Suite struct JSONNodeDecoderTests {
    enum Colour: String, Codable { case red, green }

    struct Inner: Codable, Equatable {
        var name: String
        var count: Int
        var share: Double
        var colours: [Colour]
    }

    struct Outer: Codable, Equatable {
        var id: String
        var flag: Bool
        var big: Int64
        var negative: Int
        var optional: String?
        var missing: Int?
        var inner: Inner
        var items: [Inner]
        var table: [String: Int]
        var nested: [[Int]]
        var text: String
    }

    static let sample = Outer(
        id: "zażółć \"gęślą\" \\ jaźń\n\t😀", flag: true, big: 9_007_199_254_740_993, negative: -42, optional: "yes", missing: nil,
        inner: Inner(name: "a", count: 1, share: 0.1, colours: [.red, .green]),
        items: [Inner(name: "b", count: 2, share: 2.5e-7, colours: []), Inner(name: "c", count: 0, share: -1, colours: [.green])],
        table: ["x": 1, "y": 2], nested: [[1, 2], [], [3]], text: "")

    @Test func readsWhatJSONEncoderWrites() throws {
        let data = try JSONEncoder().encode(Self.sample)
        let mine = try JSONNodeDecoder.decode(Outer.self, from: Array(data))
        #expect(mine == Self.sample)
        #expect(mine == (try JSONDecoder().decode(Outer.self, from: data)))
    }

    @Test func refusesWhatDoesNotFit() throws {
        func fails<T: Decodable>(_ type: T.Type, _ json: String) -> Bool {
            (try? JSONNodeDecoder.decode(type, from: Array(json.utf8))) == nil
        }
        #expect(fails(Inner.self, #"{"name": "a", "count": 1, "share": 1}"#))                      // a key missing
        #expect(fails(Inner.self, #"{"name": 1, "count": 1, "share": 1, "colours": []}"#))         // a number for a string
        #expect(fails(Inner.self, #"{"name": "a", "count": "1", "share": 1, "colours": []}"#))     // a string for a number
        #expect(fails(Inner.self, #"{"name": "a", "count": 1.5, "share": 1, "colours": []}"#))     // not an integer
        #expect(fails(Inner.self, #"{"name": "a", "count": null, "share": 1, "colours": []}"#))    // null for a number
        #expect(fails(Inner.self, #"{"name": "a", "count": 1, "share": 1, "colours": ["blue"]}"#)) // not a case
        #expect(fails(Inner.self, #"[1, 2]"#))
        #expect(fails(Inner.self, #"{"name": "a""#))                                               // not JSON
        #expect(!fails(Inner.self, #"{"name": "a", "count": 1, "share": 1, "colours": ["red"], "extra": true}"#))
    }
}
