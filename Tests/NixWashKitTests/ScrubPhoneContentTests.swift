import XCTest
@testable import NixWashKit

/// What counts as a phone number outside the phone columns (`PhoneContent`): whole numbers in
/// every written form do; identity numbers, postal codes, dates, amounts and short ids do not.
final class ScrubPhoneContentTests: XCTestCase {
    private let content = PhoneContent(normalizer: PhoneNormalizer())

    private func kind(_ text: String) -> PhoneContent.Kind {
        var text = text
        return text.withUTF8 { content.kind(of: UnsafeRawBufferPointer($0)) }
    }

    func testProbe() {
        for v in ["0701234567", "070-123 45 67", "+46701234567", "0046701234567", "46701234567", "701234567",
                  "08-123 456 78", "031-840 751 0", "+46 (0)70 123 45 67", "12345678", "1234567", "123 45", "12345",
                  "2026-10-01", "20261001", "01.10.2026", "1234.50", "450000.00", "8001011234", "800101-1234",
                  "19800101-1234", "198001011234", "460315-1234", "4603151234", "0503151234", "100234", "1000001",
                  "0123456789", "08-12345", "0812345"] {
            print("PROBE", v, kind(v))
        }
    }
}
