import Foundation
import XCTest
@testable import NixWashKit

func temporaryIndexPath(_ testCase: XCTestCase, _ name: String = "test.nixidx") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nixwash-index-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder.appendingPathComponent(name).path
}

@discardableResult
func writeIndex(_ keys: [UInt64], to path: String, kind: IndexKind = .nix, label: String = "test",
                registerDate: Int32? = 20_400, sources: [IndexSource] = [],
                numberCountry: PhoneCountry? = .sweden) throws -> IndexHeader {
    var sorted = keys
    IndexWriter.sortAndRemoveDuplicates(&sorted)
    let metadata = IndexWriter.Metadata(kind: kind, label: label, registerDate: registerDate,
                                        buildTime: 1_790_000_000, sources: sources, numberCountry: numberCountry)
    return try IndexWriter.write(keys: sorted, metadata: metadata, to: path)
}

final class IndexTests: XCTestCase {
    /// Key sets of different shapes: phone-number clusters, dense runs, a uniform spread over
    /// the whole UInt64 range (extreme shifts), and keys at 0 and UInt64.max.
    private func randomKeySet(_ random: inout SplitMix64, shape: Int, count: Int) -> [UInt64] {
        var keys: [UInt64] = []
        for _ in 0..<count {
            switch shape {
            case 0: // Swedish mobile and fixed lines
                keys.append(random.below(2) == 0 ? 46_700_000_000 + random.below(100_000_000)
                                                 : 4_600_000_000 + random.below(400_000_000))
            case 1: // a dense run: most neighbours present
                keys.append(46_701_000_000 + random.below(UInt64(count) + UInt64(count) / 3))
            case 2: // anywhere in UInt64
                keys.append(random.next())
            default: // mixed lengths of foreign numbers and the extremes
                switch random.below(4) {
                case 0: keys.append(random.below(1_000_000_000_000_000))
                case 1: keys.append(random.below(3))
                case 2: keys.append(UInt64.max - random.below(3))
                default: keys.append(358_400_000_000 + random.below(1_000_000))
                }
            }
        }
        return keys
    }

    private func assertAgreesWithSet(_ keys: [UInt64], _ random: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try temporaryIndexPath(self)
        try writeIndex(keys, to: path)
        let index = try BlockIndex(path: path)
        try index.verify()
        let expected = Set(keys)
        XCTAssertEqual(index.header.entryCount, expected.count, file: file, line: line)
        let sorted = expected.sorted()
        XCTAssertEqual(Array(index.keys), sorted, file: file, line: line)
        var probes: [UInt64] = [0, 1, UInt64.max, UInt64.max - 1]
        for key in sorted {
            probes.append(key)
            probes.append(key &+ 1)
            probes.append(key &- 1)
        }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b - a > 1 {
            probes.append(a + (b - a) / 2) // between neighbours
        }
        for _ in 0..<200 { probes.append(random.next()) }
        if let first = sorted.first, let last = sorted.last, last > first {
            for _ in 0..<200 { probes.append(first + random.below(last - first)) }
        }
        for probe in probes {
            let found = index.contains(key: PhoneKey(rawValue: probe))
            if found != expected.contains(probe) {
                XCTFail("key \(probe): index says \(found), set says \(!found) (\(expected.count) keys)", file: file, line: line)
                return
            }
            if found { XCTAssertEqual(index.lookup.index(of: probe).map { sorted[$0] }, probe, file: file, line: line) }
        }
    }

    func testEmptyIndexContainsNothing() throws {
        var random = SplitMix64(seed: 1)
        try assertAgreesWithSet([], &random)
    }

    func testOneEntryIndexes() throws {
        var random = SplitMix64(seed: 2)
        for key: UInt64 in [0, 1, 46_701_234_567, UInt64.max - 1, UInt64.max] {
            try assertAgreesWithSet([key], &random)
        }
    }

    func testRandomSetsAgreeWithSet() throws {
        var random = SplitMix64(seed: 3)
        for round in 0..<40 {
            let count = [2, 3, 7, 100, 1000, 5000][round % 6] + Int(random.below(50))
            try assertAgreesWithSet(randomKeySet(&random, shape: round % 4, count: count), &random)
        }
    }

    func testLargeClusteredSetAgreesWithSet() throws {
        // Enough keys for the full 2^16 level-one table and uneven slices.
        var random = SplitMix64(seed: 4)
        var keys = randomKeySet(&random, shape: 0, count: 80_000)
        keys += randomKeySet(&random, shape: 1, count: 30_000)
        try assertAgreesWithSet(keys, &random)
    }

    /// A dense run next to far-away outliers: the run's slice is cut into buckets by the
    /// outliers' span, so buckets hold hundreds of keys and the halving step is exercised.
    func testSkewedKeysWithHugeBuckets() throws {
        var random = SplitMix64(seed: 6)
        var keys = (0..<3000).map { 46_701_000_000 + UInt64($0) * 3 }
        keys += [46_000_000_000, 46_999_999_999, 1, 999_999_999_999_999]
        keys += (0..<100).map { _ in 46_500_000_000 + random.below(1_000_000_000) }
        let path = try temporaryIndexPath(self)
        try writeIndex(keys, to: path)
        let index = try BlockIndex(path: path)
        let levelTwo = UnsafeBufferPointer(start: index.lookup.levelTwo, count: index.header.levelTwoCount)
        let largestBucket = zip(levelTwo, levelTwo.dropFirst()).map { Int($1) - Int($0) }.max() ?? 0
        XCTAssertGreaterThan(largestBucket, 100, "the test no longer makes big buckets")
        try assertAgreesWithSet(keys, &random)
    }

    func testHeaderRoundTrips() throws {
        let path = try temporaryIndexPath(self)
        let sources = [
            IndexSource(name: "nix-2026-11-01.txt.gz", role: .register, checksum: 0xDEAD_BEEF, fileLength: 1234,
                        lines: 100, numbers: 98, invalidLines: 2),
            IndexSource(name: "delta-ädd.csv", role: .added, checksum: 7, fileLength: 9, lines: 1, numbers: 1, invalidLines: 0),
        ]
        let written = try writeIndex([46_701_234_567, 46_812_345_678, 46_701_234_567], to: path, kind: .block,
                                     label: "Kund spärr", registerDate: DayNumber.from(year: 2026, month: 11, day: 1),
                                     sources: sources)
        let index = try BlockIndex(path: path)
        XCTAssertEqual(index.header, written)
        XCTAssertEqual(index.header.kind, .block)
        XCTAssertEqual(index.header.label, "Kund spärr")
        XCTAssertEqual(index.header.registerDate.map(DayNumber.format), "2026-11-01")
        XCTAssertEqual(index.header.buildTime, 1_790_000_000)
        XCTAssertEqual(index.header.entryCount, 2)
        XCTAssertEqual(index.header.sources, sources)
        XCTAssertEqual(index.header.headerLength % 64, 0)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        XCTAssertEqual(size, index.header.fileLength)
    }

    func testRewriteReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let path = try temporaryIndexPath(self)
        try writeIndex([1, 2, 3], to: path)
        let old = try BlockIndex(path: path)
        try writeIndex([4, 5], to: path)
        let new = try BlockIndex(path: path)
        // The old mapping still sees the old file: a scrub running during a rebuild is safe.
        XCTAssertTrue(old.contains(key: PhoneKey(rawValue: 2)))
        XCTAssertFalse(new.contains(key: PhoneKey(rawValue: 2)))
        XCTAssertTrue(new.contains(key: PhoneKey(rawValue: 5)))
        let folder = (path as NSString).deletingLastPathComponent
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["test.nixidx"])
    }

    func testWriteIntoMissingFolderNamesTheTarget() throws {
        let path = try temporaryIndexPath(self, "missing/x.nixidx")
        XCTAssertThrowsError(try writeIndex([1], to: path)) { error in
            guard case let .writeFailed(failedPath, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(failedPath, path)
        }
    }

    func testMergeAddsAndRemoves() {
        let base: [UInt64] = [10, 20, 30, 40]
        let merged = base.withUnsafeBufferPointer {
            IndexWriter.merge(base: $0, added: [5, 20, 35, 50], removed: [10, 35, 45])
        }
        XCTAssertEqual(merged, [5, 20, 30, 40, 50])
        let empty = [UInt64]().withUnsafeBufferPointer { IndexWriter.merge(base: $0, added: [], removed: [1]) }
        XCTAssertEqual(empty, [])
    }

    func testRadixSortAgreesWithSort() {
        var random = SplitMix64(seed: 8)
        let shapes: [(inout SplitMix64) -> UInt64] = [
            { $0.next() },
            { 46_700_000_000 + $0.below(100_000_000) },
            { _ in 46_701_234_567 },
            { $0.below(2) == 0 ? 0 : UInt64.max - $0.below(4) },
        ]
        for shape in shapes {
            for count in [0, 1, 2, 1000, 70_000] {
                var keys = (0..<count).map { _ in shape(&random) }
                let expected = keys.sorted()
                IndexWriter.radixSort(&keys)
                XCTAssertEqual(keys, expected, "\(count) keys")
            }
        }
    }

    func testSortAndRemoveDuplicates() {
        var keys: [UInt64] = [5, 3, 5, 1, 3, 3, 9]
        IndexWriter.sortAndRemoveDuplicates(&keys)
        XCTAssertEqual(keys, [1, 3, 5, 9])
        var one: [UInt64] = [4]
        IndexWriter.sortAndRemoveDuplicates(&one)
        XCTAssertEqual(one, [4])
    }
}

final class IndexChecksumTests: XCTestCase {
    /// Reference values from the xxHash library (python-xxhash 4.1, `xxh64(data).intdigest()`).
    func testXXHash64MatchesReference() {
        let cases: [([UInt8], UInt64)] = [
            ([], 0xEF46_DB37_51D8_E999),
            (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B),
            (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
            (Array("Nobody inspects the spammish repetition".utf8), 0xFBCE_A83C_8A37_8BF1),
            (Array(0..<37), 0xD93F_A2DF_EE5C_24C9),
            (Array(repeating: Array(0...255), count: 3).flatMap { $0 }, 0x8E03_C838_C596_036F),
        ]
        for (bytes, expected) in cases {
            XCTAssertEqual(bytes.withUnsafeBytes { XXHash64.hash($0) }, expected, "\(bytes.count) bytes")
            // Streaming in uneven pieces gives the same digest.
            for piece in [1, 3, 7, 31, 33] {
                var hasher = XXHash64()
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + piece)
                    bytes[start..<end].withUnsafeBytes { hasher.update($0) }
                    start = end
                }
                XCTAssertEqual(hasher.digest, expected, "\(bytes.count) bytes in pieces of \(piece)")
            }
        }
    }

    func testDayNumbers() {
        XCTAssertEqual(DayNumber.from(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(DayNumber.from(year: 2000, month: 3, day: 1), 11_017)
        XCTAssertNil(DayNumber.from(year: 2026, month: 2, day: 29))
        XCTAssertNotNil(DayNumber.from(year: 2028, month: 2, day: 29))
        XCTAssertNil(DayNumber.parse("2026-13-01"))
        XCTAssertNil(DayNumber.parse("2026-1-01"))
        XCTAssertNil(DayNumber.parse("20261101"))
        XCTAssertEqual(DayNumber.parse(" 2026-11-01 "), DayNumber.from(year: 2026, month: 11, day: 1))
        for day in stride(from: Int32(-719_162), through: 2_932_896, by: 997) {
            XCTAssertEqual(DayNumber.parse(DayNumber.format(day)), day)
        }
        XCTAssertEqual(DayNumber.utcDay(ofSecondsSinceEpoch: -1), -1)
        XCTAssertEqual(DayNumber.utcDay(ofSecondsSinceEpoch: 86_400), 1)
    }
}
