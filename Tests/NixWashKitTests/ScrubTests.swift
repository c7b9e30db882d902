import XCTest
@testable import NixWashKit

final class ScrubTests: XCTestCase {
    /// The duplicate set agrees with `Set<UInt64>` for Swedish numbers of every length, the
    /// edges of each length's range, and other countries' numbers.
    func testKeySetAgreesWithASet() {
        var generator = SystemRandomNumberGenerator()
        var probes: [UInt64] = [460, 469, 4600, 4699, 46_000_000_000, 46_999_999_999, 47_000_000_000, 45_999_999_999,
                                4_612_345_678, 46_701_234_567, 4_741_234_567, 358_401_234_567, 1, 999_999_999_999_999]
        for _ in 0..<20_000 {
            let length = UInt64.random(in: 1...9, using: &generator)
            var power: UInt64 = 1
            for _ in 0..<length { power *= 10 }
            probes.append(46 * power + UInt64.random(in: 0..<power, using: &generator))
            probes.append(UInt64.random(in: 1...999_999_999_999_999, using: &generator))
        }
        probes += probes.shuffled().prefix(5_000)
        let keys = KeySet()
        var reference = Set<UInt64>()
        for probe in probes {
            XCTAssertEqual(keys.insert(probe), reference.insert(probe).inserted, "\(probe)")
        }
    }
}
