import XCTest
@testable import NixWashKit

/// The duplicate rule's set against `Set<UInt64>`: bitmap keys (up to 11 digits), hashed keys
/// (longer), block edges and growth of the hashed part.
final class ScrubKeySetTests: XCTestCase {
    func testAgreesWithSetOnShortLongAndEdgeKeys() {
        var random = SystemRandomNumberGenerator()
        var keys: [UInt64] = [1, 2, (1 << 15) - 1, 1 << 15, (1 << 36) - 1, 1 << 36, 46_701_234_567, 358_401_234_567,
                              4_670_123_456, 4_681_234_567, UInt64.max]
        for _ in 0..<20_000 { keys.append(46_700_000_000 + UInt64.random(in: 0..<5_000, using: &random)) }
        for _ in 0..<20_000 { keys.append(358_400_000_000 + UInt64.random(in: 0..<5_000, using: &random)) }
        for _ in 0..<5_000 { keys.append(UInt64.random(in: 1...UInt64.max, using: &random)) }
        keys.shuffle(using: &random)
        let set = KeySet(initialCapacity: 16)
        var reference = Set<UInt64>()
        for key in keys {
            XCTAssertEqual(set.insert(key), reference.insert(key).inserted, "key \(key)")
        }
        XCTAssertEqual(set.count, reference.count)
        for key in keys { XCTAssertFalse(set.insert(key), "key \(key) again") }
    }

    /// The switch to the bitmap: every key inserted before it is still found after it, short
    /// and long, and new keys on both sides of it are new exactly once.
    func testKeysBeforeTheSwitchToTheBitmapAreKeptAfterIt() {
        var random = SplitMix64(seed: 14)
        let set = KeySet(initialCapacity: 16)
        var reference = Set<UInt64>()
        for round in 0..<(KeySet.bitmapFrom * 3) {
            let key = round % 5 == 0 ? 358_400_000_000 + random.next() % 50_000 : 46_700_000_000 + random.next() % 200_000
            XCTAssertEqual(set.insert(key), reference.insert(key).inserted, "key \(key) at \(round)")
            XCTAssertEqual(set.count, reference.count)
        }
        XCTAssertGreaterThan(reference.count, KeySet.bitmapFrom)
        for key in reference { XCTAssertFalse(set.insert(key), "key \(key) again") }
    }
}
