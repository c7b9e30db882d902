import Foundation
import XCTest
@testable import NixWashKit

/// Faults found while fuzzing and fault-testing (RELIABILITY.md), each kept as a regression test.
final class ReliabilityTests: XCTestCase {
    /// A record over the size limit that ends within the same chunk was reported on the line
    /// after it: the check ran once the record had ended and the line counter moved on.
    func testARecordTooLargeIsReportedOnItsOwnLineAtEveryChunkSize() throws {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("long.csv").path
        let text = "namn,telefon\nAnna,0701234567\nBo," + String(repeating: "y", count: 3000) + "\nCia,0701234569\n"
        try writeFile(URL(fileURLWithPath: path), Array(text.utf8))
        for chunkSize in [7, 256, 1024, 4096, 1 << 16] {
            XCTAssertThrowsError(try readAll(path, options: CSVOptions(maxRecordSize: 1024, chunkSize: chunkSize))) { error in
                XCTAssertEqual(error as? NixWashError, .recordTooLarge(path: path, line: 3, limit: 1024), "chunk \(chunkSize)")
            }
        }
    }

    /// A header claiming the whole UInt64 key range with shift 0 made the size check overflow
    /// (a trap in a checked build) instead of refusing the index.
    func testAnIndexHeaderWithTheWholeKeyRangeIsRefused() throws {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("range.idx").path
        let header = IndexHeader(formatVersion: IndexFormat.version, kind: .nix, label: "x", registerDate: nil,
                                 buildTime: 0, entryCount: 0, minKey: 0, maxKey: .max, bodyChecksum: 0,
                                 headerChecksum: 0, sources: [], headerLength: 0, bodyLength: 16,
                                 levelOneShift: 0, levelOneCount: 1, levelTwoCount: 2)
        try writeFile(URL(fileURLWithPath: path), header.encoded() + [UInt8](repeating: 0, count: 16))
        XCTAssertThrowsError(try BlockIndex(path: path)) { error in
            XCTAssertEqual(error as? NixWashError,
                           .indexCorrupt(path: path, reason: "the level-one table size does not match the key range"))
        }
    }

    private func attempt(_ number: UInt64, _ campaign: String, hour: Int64) -> HistoryAttempt {
        // 2026-11-23 (a Monday) at `hour` UTC.
        HistoryAttempt(number: PhoneKey(rawValue: number), attemptedAt: 1_795_392_000 + hour * 3600,
                       campaign: campaign, offer: "o1", contactCentre: "k1")
    }

    /// A scrub reads the history while an import writes: it sees the history as it was before
    /// the import, whole, until the import commits, and then the whole import.
    func testASnapshotTakenDuringAnImportSeesTheHistoryBeforeIt() throws {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("h.db").path
        let writer = try HistoryStore(path: path, mode: .create)
        try writer.insert(attempts: [attempt(46_701_234_567, "c1", hour: 8)])
        let callDate = StockholmTime.localDay(at: 1_795_392_000)
        func snapshotCount() throws -> Int {
            let reader = try HistoryStore(path: path, mode: .readOnly)
            return try HistorySnapshot.load(db: reader, callDate: callDate, campaign: "c1", offer: "o1",
                                            contactCentre: "k1").count
        }
        XCTAssertEqual(try snapshotCount(), 1)
        let session = try writer.beginImport()
        try session.startFile(path: "next.csv", size: nil, sha256: nil)
        for i in 0..<500 { try session.add(line: UInt64(i + 1), attempt: attempt(46_702_000_000 + UInt64(i), "c1", hour: 9)) }
        _ = try session.finishFile()
        XCTAssertEqual(try snapshotCount(), 1, "an uncommitted import is visible")
        try session.commit()
        XCTAssertEqual(try snapshotCount(), 501)
    }

    /// Sources are looked up by hash (a scan over every source was quadratic when a vendor's
    /// source column held a new value on every row): thousands of sources, met in an
    /// interleaved order, each counted under its own name, the empty field under the fallback.
    func testManyDistinctSourcesAreEachCountedOnce() {
        var tally = Tally(defaultSource: nil)
        let fallback = Array("leads.csv".utf8)
        for round in 0..<3 {
            for i in 0..<5000 {
                let name = Array("källa-\((i * 7919) % 5000)".utf8)
                let source = name.withUnsafeBytes { tally.sourceIndex(for: $0, fallback: fallback) }
                XCTAssertEqual(tally.sourceBytes(source), name, "round \(round)")
                tally.countRow(source: source)
            }
            let blank = Array("  ".utf8)
            tally.countRow(source: blank.withUnsafeBytes { tally.sourceIndex(for: $0, fallback: fallback) })
        }
        let bySource = tally.bySource
        XCTAssertEqual(bySource.count, 5001)
        XCTAssertEqual(bySource["källa-4999"]?.rowsIn, 3)
        XCTAssertEqual(bySource["leads.csv"]?.rowsIn, 3)
        XCTAssertTrue(bySource.values.allSatisfy { $0.rowsIn == 3 })
    }
}
