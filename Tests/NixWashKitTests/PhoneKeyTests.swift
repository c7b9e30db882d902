import XCTest
@testable import NixWashKit

final class PhoneKeyTests: XCTestCase {
    func testE164RoundsTripsThroughTheKey() {
        XCTAssertEqual(PhoneKey(rawValue: 46701234567).e164, "+46701234567")
        XCTAssertLessThan(PhoneKey(rawValue: 4520000000), PhoneKey(rawValue: 46701234567))
    }
}
