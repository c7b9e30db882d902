import Foundation
import XCTest
@testable import NixWashKit

/// Every way an index file can be damaged must give a clear error on open or in `verify()`,
/// never a crash and never a wrong answer.
final class IndexCorruptionTests: XCTestCase {
    private var path = ""
    private var original: [UInt8] = []
    private var header: IndexHeader!
    private var keys: [UInt64] = []

    override func setUpWithError() throws {
        path = try temporaryIndexPath(self)
        var random = SplitMix64(seed: 99)
        keys = (0..<3000).map { _ in 46_700_000_000 + random.below(50_000_000) }
        IndexWriter.sortAndRemoveDuplicates(&keys)
        header = try writeIndex(keys, to: path)
        original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func write(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func assertOpenFails(_ bytes: [UInt8], checkBody: BlockIndex.BodyCheck = .beforeUse, _ matches: (NixWashError) -> Bool,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        try write(bytes)
        XCTAssertThrowsError(try BlockIndex(path: path, checkBody: checkBody), file: file, line: line) { error in
            guard let error = error as? NixWashError else { return XCTFail("not a NixWashError: \(error)", file: file, line: line) }
            XCTAssertTrue(matches(error), "unexpected error: \(error)", file: file, line: line)
            let message = error.errorDescription ?? ""
            XCTAssertTrue(message.hasPrefix(path), "message does not name the file: \(message)", file: file, line: line)
            XCTAssertEqual(error.kind, .runtime, file: file, line: line)
        }
    }

    /// Rewrites the body checksum and header checksum after a deliberate change, as a buggy
    /// writer would, so that only the structural checks can catch it.
    private func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let body = bytes.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[header.headerLength...])) }
        withUnsafeBytes(of: body.littleEndian) { for i in 0..<8 { bytes[80 + i] = $0[i] } }
        for i in 96..<104 { bytes[i] = 0 }
        let headerSum = bytes.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<header.headerLength])) }
        withUnsafeBytes(of: headerSum.littleEndian) { for i in 0..<8 { bytes[96 + i] = $0[i] } }
        return bytes
    }

    func testIntactFileOpensAndVerifies() throws {
        let index = try BlockIndex(path: path)
        try index.verify()
        XCTAssertTrue(index.contains(key: PhoneKey(rawValue: keys[17])))
    }

    func testTruncatedBody() throws {
        for cut in [1, 8, 1000, header.bodyLength - 1] {
            try assertOpenFails(Array(original.dropLast(cut))) {
                if case let .indexTruncated(_, size, expected) = $0 {
                    return size == UInt64(self.original.count - cut) && expected == UInt64(self.original.count)
                }
                return false
            }
        }
    }

    func testTruncatedHeaderAndEmptyFile() throws {
        for length in [0, 4, 60, 103] {
            try assertOpenFails(Array(original.prefix(length))) {
                if case .indexTruncated = $0 { return true }
                return false
            }
        }
    }

    func testTrailingBytes() throws {
        try assertOpenFails(original + [0, 0, 0, 0, 0, 0, 0, 0]) {
            if case let .indexCorrupt(_, reason) = $0 { return reason.contains("follow the end") }
            return false
        }
    }

    func testFlippedByteInEveryBodyRegion() throws {
        let keysStart = header.headerLength
        let levelOneStart = keysStart + header.entryCount * 8
        let levelTwoStart = levelOneStart + header.levelOneCount * 8
        for offset in [keysStart, keysStart + 1234, levelOneStart + 3, levelTwoStart + 5, original.count - 1] {
            var bytes = original
            bytes[offset] ^= 0x10
            try assertOpenFails(bytes) {
                if case let .indexCorrupt(_, reason) = $0 { return reason.contains("body checksum") }
                return false
            }
        }
    }

    /// Every byte of the file is covered by the header or the body checksum, so no single
    /// damaged byte anywhere can give an index that opens (and then answers wrongly).
    func testAnyFlippedByteFailsToOpen() throws {
        var random = SplitMix64(seed: 12)
        for _ in 0..<150 {
            var bytes = original
            let offset = Int(random.below(UInt64(bytes.count)))
            bytes[offset] ^= UInt8(1 + random.below(255))
            try write(bytes)
            XCTAssertThrowsError(try BlockIndex(path: path), "byte \(offset) flipped")
        }
    }

    /// Checked in the background, the same damage opens, and `confirmBody` reports it.
    func testAFlippedBodyByteFoundInTheBackgroundFailsTheConfirmation() throws {
        var bytes = original
        bytes[bytes.count - 3] ^= 0x10
        try write(bytes)
        let index = try BlockIndex(path: path, checkBody: .inBackground)
        XCTAssertThrowsError(try index.confirmBody()) { error in
            guard case let .indexCorrupt(path, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, self.path)
            XCTAssertTrue(reason.contains("body checksum"), reason)
        }
        try write(original)
        XCTAssertNoThrow(try BlockIndex(path: path, checkBody: .inBackground).confirmBody())
    }

    func testFlippedByteInHeader() throws {
        for offset in [17, 20, 33, 84, 110] {
            var bytes = original
            bytes[offset] ^= 0x01
            try assertOpenFails(bytes) {
                if case let .indexCorrupt(_, reason) = $0 { return reason.contains("header checksum") }
                return false
            }
        }
    }

    /// The country is at offset 18: 0 (an index of an older nixwash) reads as not recorded, a
    /// calling code nixwash has no plan for as a damaged file.
    func testTheNumberCountryIsReadAndAnUnknownOneRefused() throws {
        XCTAssertEqual(try BlockIndex(path: path).header.numberCountry, .sweden)
        var bytes = original
        bytes[18] = 0
        try write(resealed(bytes))
        XCTAssertNil(try BlockIndex(path: path).header.numberCountry)
        bytes[18] = 47
        try write(resealed(bytes))
        XCTAssertEqual(try BlockIndex(path: path).header.numberCountry, .norway)
        bytes[18] = 49
        try assertOpenFails(resealed(bytes)) { $0 == .indexCorrupt(path: self.path, reason: "unknown number country +49") }
    }

    func testWrongMagic() throws {
        var bytes = original
        bytes[0] = UInt8(ascii: "X")
        try assertOpenFails(bytes) { $0 == .notAnIndex(path: self.path) }
        try assertOpenFails(Array("number\n46701234567\n".utf8)) { $0 == .notAnIndex(path: self.path) }
    }

    func testWrongVersion() throws {
        var bytes = original
        bytes[8] = 2
        try assertOpenFails(bytes) { $0 == .indexVersion(path: self.path, found: 2, supported: 1) }
        XCTAssertTrue(NixWashError.indexVersion(path: path, found: 2, supported: 1).errorDescription!.contains("Rebuild"))
    }

    func testUnsortedBodyFailsVerify() throws {
        var bytes = original
        // Swap keys 10 and 11, then reseal the checksums.
        let a = header.headerLength + 10 * 8, b = a + 8
        for i in 0..<8 { bytes.swapAt(a + i, b + i) }
        try write(resealed(bytes))
        let index = try BlockIndex(path: path)
        XCTAssertThrowsError(try index.verify()) { error in
            guard case let .indexCorrupt(_, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("not in strictly ascending order at entry 11"), reason)
        }
    }

    func testDuplicateKeyFailsVerify() throws {
        var bytes = original
        let a = header.headerLength + 20 * 8
        for i in 0..<8 { bytes[a + 8 + i] = bytes[a + i] }
        try write(resealed(bytes))
        XCTAssertThrowsError(try BlockIndex(path: path).verify())
    }

    func testTableMismatchFailsVerify() throws {
        var bytes = original
        let levelTwoStart = header.headerLength + header.entryCount * 8 + header.levelOneCount * 8
        bytes[levelTwoStart + 4 * 7] &+= 1
        try write(resealed(bytes))
        XCTAssertThrowsError(try BlockIndex(path: path).verify()) { error in
            guard case let .indexCorrupt(_, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("lookup tables"), reason)
        }
    }

    /// Without the body checksum, damaged tables may give wrong answers but must never read
    /// outside the file.
    func testDamagedTablesWithoutBodyCheckNeverCrash() throws {
        var random = SplitMix64(seed: 5)
        let levelOneStart = header.headerLength + header.entryCount * 8
        for _ in 0..<30 {
            var bytes = original
            for _ in 0..<8 {
                let offset = levelOneStart + Int(random.below(UInt64(original.count - levelOneStart)))
                bytes[offset] = UInt8(truncatingIfNeeded: random.next())
            }
            try write(bytes)
            guard let index = try? BlockIndex(path: path, checkBody: .skipped) else { continue }
            for key in keys { _ = index.contains(key: PhoneKey(rawValue: key)) }
            for _ in 0..<2000 { _ = index.contains(key: PhoneKey(rawValue: 46_700_000_000 + random.below(60_000_000))) }
        }
    }

    func testDirectoryIsNotAnIndex() throws {
        let folder = (path as NSString).deletingLastPathComponent
        XCTAssertThrowsError(try BlockIndex(path: folder)) { error in
            XCTAssertEqual(error as? NixWashError, .notARegularFile(path: folder))
        }
        XCTAssertThrowsError(try BlockIndex(path: folder + "/missing.nixidx")) { error in
            guard case .cannotOpen? = error as? NixWashError else { return XCTFail("\(error)") }
        }
    }
}
