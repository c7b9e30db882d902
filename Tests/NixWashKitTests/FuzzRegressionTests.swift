import Foundation
import XCTest
@testable import NixWashKit

/// Replays every input the fuzzer (scripts/fuzz) found a fault with, kept under
/// Fixtures/fuzz-regressions/TARGET/, through the same parser and the same checks as the fuzz
/// target of that name (Fuzz/Sources/nixwash-fuzz): the parser must end in a result or a
/// NixWashError, and its invariants must hold.
final class FuzzRegressionTests: XCTestCase {
    private func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: target, withExtension: nil,
                                                     subdirectory: "Fixtures/fuzz-regressions"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertFalse(names.isEmpty, "no inputs for \(target)")
        return try names.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    func testPhoneInputsNormalizeToThemselvesAgain() throws {
        for (name, bytes) in try inputs("phone") {
            for country in [PhoneCountry.sweden, .norway] {
                let normalizer = PhoneNormalizer(defaultCountry: country)
                guard case let .valid(number) = bytes.withUnsafeBytes({ normalizer.normalize($0) }) else { continue }
                XCTAssertEqual(normalizer.normalize(number.key.e164), .valid(number), "\(name) (\(country))")
            }
        }
    }

    /// A double trunk zero after a calling code whose country dials one (+20 Egypt) is no
    /// number: before the fix it came out as +200370744400, which reads back as +20370744400.
    func testASecondTrunkZeroIsABadPrefix() {
        let sweden = PhoneNormalizer()
        XCTAssertEqual(sweden.normalize("0)02000370744400"), .invalid(.badPrefix))
        XCTAssertEqual(sweden.normalize("+20 00 370744400"), .invalid(.badPrefix))
        XCTAssertEqual(sweden.normalize("+20 0 1012345678"), sweden.normalize("+20 1012345678"))
    }

    /// "(0)" after more digits than the digit buffer holds read past its end (a trap in a
    /// checked build, a stray stack read in the release build).
    func testAParenthesisedZeroPastThirtyTwoDigitsIsTooLong() {
        let field = String(repeating: "6", count: 40) + "(0)"
        XCTAssertEqual(PhoneNormalizer().normalize(field), .invalid(.tooLong))
    }
}
