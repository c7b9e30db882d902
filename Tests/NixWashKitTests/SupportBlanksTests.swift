import XCTest
@testable import NixWashKit

/// Blanks are spaces and tabs only: a no-break space or a newline is data.
final class SupportBlanksTests: XCTestCase {
    private func check(_ text: String, blank: Bool, trimmed: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { field in
            XCTAssertEqual(Blanks.isBlank(field), blank, file: file, line: line)
            let (start, end) = Blanks.trimmed(field)
            XCTAssertEqual(String(decoding: bytes[start..<end], as: UTF8.self), trimmed, file: file, line: line)
        }
    }

    func testSpacesAndTabsAreBlanksAndNothingElse() {
        check("", blank: true, trimmed: "")
        check(" \t \t", blank: true, trimmed: "")
        check("\t070 123\t ", blank: false, trimmed: "070 123")
        check("\u{A0}", blank: false, trimmed: "\u{A0}")
        check(" \n ", blank: false, trimmed: "\n")
        check("x", blank: false, trimmed: "x")
    }

    func testATextShowsNothingWithBlanksAndNoBreakSpacesOnly() {
        for (bytes, nothing) in [([], true), ([0x20, 0x09], true), ([0xC2, 0xA0, 0x20], true), ([0xA0], true),
                                 ([0xC2], false), ([0xC2, 0x41], false), ([0x20, 0x56], false)] as [([UInt8], Bool)] {
            XCTAssertEqual(bytes.withUnsafeBytes { Blanks.showsNothing($0) }, nothing, "\(bytes)")
        }
    }
}
