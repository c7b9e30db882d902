import XCTest
@testable import NixWashKit

/// Properties over many generated fields: no field crashes the byte scanner or reads past its
/// end (debug builds check every access), and a valid number written as E.164 comes back as
/// itself with the same country and type.
final class PhonePropertyTests: XCTestCase {
    func testRandomFieldsNormalizeAndValidNumbersRoundTripThroughE164() {
        // Bytes that exercise every branch of the scanner: digits, separators, +, parentheses,
        // letters, UTF-8 and Latin-1 spaces and dashes, and stray high bytes.
        let alphabet: [[UInt8]] = (0x30...0x39).map { [UInt8($0)] } + (0x30...0x39).map { [UInt8($0)] } + [
            [0x20], [0x2D], [0x2E], [0x2F], [0x28], [0x29], [0x2B], [0x27], [0x22], [0x09],
            [0x61], [0x54], [0x3A], [0x23], [0x2C], [0xA0], [0x96], [0xC2, 0xA0], [0xC2], [0xE2, 0x80, 0x93],
            [0xE2, 0x80], [0xE2], [0xEF, 0xBB, 0xBF], [0xC3, 0xB6], [0xFF],
        ] + Array("tel:".utf8).map { [$0] }
        var generator = SplitMix64(seed: 7)
        let normalizers = PhoneCountry.allCases.map { PhoneNormalizer(defaultCountry: $0) }
        var valid = 0
        for round in 0..<100_000 {
            var field: [UInt8] = []
            if round % 4 == 0 { field += Array(["+46", "0046", "+47", "+358", "+45", "46", "0", "tel:+", "+49"][Int(generator.next() % 9)].utf8) }
            // Half the fields are digits and plain separators only, so that many are valid.
            let letters = round % 2 == 0 ? alphabet.count : 25
            for _ in 0..<Int(generator.next() % 20) { field += alphabet[Int(generator.next() % UInt64(letters))] }
            let normalizer = normalizers[round % normalizers.count]
            let result = field.withUnsafeBytes { normalizer.normalize($0) }
            guard case let .valid(number) = result else { continue }
            valid += 1
            XCTAssertEqual(normalizer.normalize(number.key.e164), result, "\(field) -> \(number.key.e164)")
            XCTAssertLessThanOrEqual(number.key.e164.utf8.count, 16, "E.164 has at most 15 digits")
        }
        XCTAssertGreaterThan(valid, 1_000, "the generator should also produce valid numbers")
    }
}

