import Foundation
import XCTest
@testable import NixWashKit

/// UTF-16 text and zip members as content sources.
final class IOContainerTests: XCTestCase {
    private func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            out += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return out
    }

    private func readWhole(_ source: ContentSource, chunk: Int = 1 << 16) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    func testUTF16IsReadAsUTF8AtEveryBufferSize() throws {
        let folder = try makeTemporaryFolder(self)
        let text = "namn;telefon\nÅsa 😀;070-123 45 67\n"
        for bigEndian in [false, true] {
            let url = folder.appendingPathComponent("u\(bigEndian).txt")
            try writeFile(url, utf16(text, bigEndian: bigEndian))
            for (inputBuffer, chunk) in [(2, 1), (3, 2), (5, 7), (8, 3), (1 << 16, 1 << 16)] {
                let source = UTF16Text(source: try InputFile(path: url.path, bufferSize: inputBuffer), bigEndian: bigEndian, bufferSize: inputBuffer)
                XCTAssertEqual(try readWhole(source, chunk: chunk), [0xEF, 0xBB, 0xBF] + Array(text.utf8), "buffer \(inputBuffer), chunk \(chunk)")
            }
        }
    }

    func testDamagedUTF16IsAnError() throws {
        let folder = try makeTemporaryFolder(self)
        let cases: [([UInt8], String)] = [
            ([0xFF, 0xFE, 0x61, 0x00, 0x62], "odd number of bytes"),
            ([0xFF, 0xFE, 0x61, 0x00, 0x3D, 0xD8, 0x61, 0x00], "without its low surrogate"),
            ([0xFF, 0xFE, 0x00, 0xDC], "without its high surrogate"),
            ([0xFF, 0xFE, 0x3D, 0xD8], "at the end"),
        ]
        for (content, expected) in cases {
            let url = folder.appendingPathComponent("bad.txt")
            try writeFile(url, content)
            XCTAssertThrowsError(try readWhole(UTF16Text(source: try InputFile(path: url.path), bigEndian: false))) { error in
                guard case let .invalidText(path, _, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, url.path)
                XCTAssertTrue(reason.contains(expected), reason)
            }
        }
    }

    func testZipMembersAreReadWholeAndChecked() throws {
        let folder = try makeTemporaryFolder(self)
        let big = String(repeating: "0701234567;Anna;V1\n", count: 50_000)
        let path = try makeZip("a.zip", [("leads/big.csv", "telefon;namn;kalla\n" + big), ("small.csv", "telefon\n070\n")], in: folder)
        let archive = try ZipArchive(path: path)
        XCTAssertEqual(archive.members.map(\.name), ["leads/big.csv", "small.csv"])
        let stream = ZipMemberStream(archivePath: path, member: archive.members[0], name: "x")
        XCTAssertEqual(try stream.peek(4), Array("tele".utf8))
        XCTAssertEqual(try readWhole(stream, chunk: 1000), Array(("telefon;namn;kalla\n" + big).utf8))
        XCTAssertEqual(stream.compressedBytesRead, archive.members[0].compressedSize)

        // A flipped byte in the deflated data: an error, never a short list.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[200] ^= 0x55
        let damaged = folder.appendingPathComponent("damaged.zip")
        try writeFile(damaged, bytes)
        let member = try ZipArchive(path: damaged.path).members[0]
        XCTAssertThrowsError(try readWhole(ZipMemberStream(archivePath: damaged.path, member: member, name: "d.zip:big.csv"))) { error in
            guard case let .damagedArchive(path, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "d.zip:big.csv")
        }
    }

    func testAnArchiveWithAMemberThatCannotBeReadIsRefused() throws {
        let folder = try makeTemporaryFolder(self)
        // ZIPFoundation stops listing at an encrypted member: the directory's count tells.
        let path = try makeZip("secret.zip", [("a.csv", "telefon\n0701234567\n"), ("b.csv", "telefon\n0701234568\n")],
                               in: folder, zipOptions: ["-P", "secret"])
        XCTAssertThrowsError(try ZipArchive(path: path)) { error in
            guard case let .damagedArchive(_, reason)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("lists 2 entries, but only 0"), reason)
        }
        let truncated = folder.appendingPathComponent("truncated.zip")
        try writeFile(truncated, Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(60)))
        XCTAssertThrowsError(try ZipArchive(path: truncated.path))
    }
}
