import Foundation
import XCTest
@testable import NixWashKit

/// A key written twice in one object is found wherever it is, and only then.
final class SupportJSONDuplicateKeysTests: XCTestCase {
    private func duplicate(_ json: String) -> JSONDuplicateKey? {
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]), json)
        return JSONDuplicateKeys.first(in: Data(json.utf8))
    }

    func testAKeyTwiceInOneObjectIsFoundWithItsLine() {
        XCTAssertEqual(duplicate("{\"block_indexes\": [\"a.idx\"],\n \"campaign\": \"c\",\n \"block_indexes\": []}"),
                       JSONDuplicateKey(key: "block_indexes", line: 3))
        XCTAssertEqual(duplicate(#"{"weekend_hours": {"open": "10:00", "open": "11:00"}}"#)?.key, "open")
        XCTAssertEqual(duplicate(#"[{"a": 1}, {"b": [{"c": 1, "c": 2}]}]"#)?.key, "c")
        // Escapes are read before keys are compared.
        XCTAssertEqual(duplicate(#"{"a": 1, "\u0061": 2}"#)?.key, "a")
    }

    /// Notepad's "Unicode" is UTF-16: scanned as bytes, the unit of U+0122 holds a `"` byte and
    /// U+2022 ran the scan off the end of the file.
    func testUTF16AndUTF32TextIsScannedAsText() {
        let twice = #"{"campaign":"cĢ","block_indexes":["b.idx"],"block_indexes":[],"x":"Vinter • 2026"}"#
        let once = #"{"campaign":"Vinter • 2026","offer":"oĢ"}"#
        for encoding: String.Encoding in [.utf16, .utf16LittleEndian, .utf16BigEndian, .utf32, .utf32LittleEndian, .utf32BigEndian] {
            let data = twice.data(using: encoding)!
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), "\(encoding)")
            XCTAssertEqual(JSONDuplicateKeys.first(in: data), JSONDuplicateKey(key: "block_indexes", line: 1), "\(encoding)")
            XCTAssertNil(JSONDuplicateKeys.first(in: once.data(using: encoding)!), "\(encoding)")
        }
        XCTAssertEqual(JSONDuplicateKeys.first(in: Data([0xEF, 0xBB, 0xBF]) + Data(#"{"a":1,"a":2}"#.utf8))?.key, "a")
    }

    func testTheSameKeyInDifferentObjectsOrAsAValueIsNoDuplicate() {
        XCTAssertNil(duplicate(#"{"a": {"a": 1}, "b": {"a": 2}}"#))
        XCTAssertNil(duplicate(#"{"a": "a", "b": ["a", "a"], "c": "b"}"#))
        XCTAssertNil(duplicate(#"{"a\"b": 1, "a": "}{,\"a\":", "b": []}"#))
        XCTAssertNil(duplicate(#"{"A": 1, "a": 2}"#))
        XCTAssertNil(duplicate(#"[]"#))
        XCTAssertNil(duplicate(#""text""#))
    }
}
