import Foundation
import XCTest
@testable import NixWashKit

final class IOTests: XCTestCase {
    private func readContent(_ path: String, inputBuffer: Int, outputBuffer: Int) throws -> [UInt8] {
        let input = try InputFile(path: path, bufferSize: inputBuffer)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: outputBuffer)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
            if n == 0 { break }
            result += buffer[0..<n]
        }
        return result
    }

    func testPlainInputPassesThroughAtEveryBufferSize() throws {
        let folder = try makeTemporaryFolder(self)
        let content = bytes("telefon;namn\n070-123 45 67;Anna\n")
        let url = folder.appendingPathComponent("plain.csv")
        try writeFile(url, content)
        for size in [1, 2, 3, 7, 64] {
            XCTAssertEqual(try readContent(url.path, inputBuffer: size, outputBuffer: size), content)
            XCTAssertFalse(try InputFile(path: url.path).isGzip)
        }
    }

    func testMultiMemberGzipReadsWholeWhereverBuffersSplit() throws {
        let folder = try makeTemporaryFolder(self)
        let first = bytes("telefon,namn\n0701234567,Anna\n")
        let second = bytes("0731234567,Bo\n08-123 456 78,Cecilia\n")
        let member1 = try gzipBytes(first)
        let member2 = try gzipBytes(second)
        let url = folder.appendingPathComponent("two.csv.gz")
        try writeFile(url, member1 + member2)
        XCTAssertTrue(try InputFile(path: url.path).isGzip)
        for inputBuffer in 1...9 {
            for outputBuffer in [1, 2, 5, 1000] {
                XCTAssertEqual(try readContent(url.path, inputBuffer: inputBuffer, outputBuffer: outputBuffer), first + second,
                               "input buffer \(inputBuffer), output buffer \(outputBuffer)")
            }
        }
    }

    func testTruncatedGzipIsAnErrorWithTheOffset() throws {
        let folder = try makeTemporaryFolder(self)
        let whole = try gzipBytes(bytes(String(repeating: "0701234567,Anna\n", count: 200)))
        let url = folder.appendingPathComponent("cut.csv.gz")
        try writeFile(url, Array(whole[0..<(whole.count - 9)]))
        XCTAssertThrowsError(try readContent(url.path, inputBuffer: 7, outputBuffer: 64)) { error in
            XCTAssertEqual(error as? NixWashError, .truncatedGzip(path: url.path, offset: UInt64(whole.count - 9)))
            XCTAssertTrue(error.localizedDescription.contains("truncated"))
        }
    }

    func testCorruptGzipIsAnErrorNamingFileAndOffset() throws {
        let folder = try makeTemporaryFolder(self)
        var data = try gzipBytes(bytes(String(repeating: "0701234567,Anna\n", count: 200)))
        data[data.count - 6] ^= 0xFF  // inside the CRC-32 / length trailer
        let url = folder.appendingPathComponent("bad.csv.gz")
        try writeFile(url, data)
        XCTAssertThrowsError(try readContent(url.path, inputBuffer: 4096, outputBuffer: 4096)) { error in
            guard case let .corruptGzip(path, offset, _)? = error as? NixWashError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(path, url.path)
            XCTAssertGreaterThan(offset, 10)
        }
    }

    func testGarbageAfterTheLastMemberIsAnError() throws {
        let folder = try makeTemporaryFolder(self)
        let member = try gzipBytes(bytes("a\n1\n"))
        let url = folder.appendingPathComponent("tail.csv.gz")
        try writeFile(url, member + bytes("junk"))
        XCTAssertThrowsError(try readContent(url.path, inputBuffer: 3, outputBuffer: 3)) { error in
            XCTAssertEqual(error as? NixWashError, .trailingGarbage(path: url.path, offset: UInt64(member.count)))
        }
    }

    func testDirectoryAndMissingFileAreClearErrors() throws {
        let folder = try makeTemporaryFolder(self)
        XCTAssertThrowsError(try InputFile(path: folder.path)) { error in
            XCTAssertEqual(error as? NixWashError, .notARegularFile(path: folder.path))
        }
        let missing = folder.appendingPathComponent("nope.csv").path
        XCTAssertThrowsError(try InputFile(path: missing)) { error in
            XCTAssertTrue(error.localizedDescription.contains(missing))
            XCTAssertTrue(error.localizedDescription.contains("No such file"))
        }
    }

    func testOutputFolderAppearsOnlyOnCommit() throws {
        let folder = try makeTemporaryFolder(self)
        let final = folder.appendingPathComponent("run").path
        do {
            let output = try OutputFolder(path: final, marker: "a.txt", inputs: [])
            let sink = try PlainFileSink(path: output.path(for: "a.txt"))
            try sink.finish()
            XCTAssertFalse(FileManager.default.fileExists(atPath: final))
            // Dropped without commit: as if the run failed.
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: final))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        let output = try OutputFolder(path: final, marker: "a.txt", inputs: [])
        try PlainFileSink(path: output.path(for: "a.txt")).finish()
        try output.commit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: final + "/a.txt"))
        XCTAssertThrowsError(try OutputFolder(path: final, marker: "a.txt", inputs: [])) { error in
            XCTAssertEqual(error as? NixWashError, .outputExists(path: final))
        }
        let replacement = try OutputFolder(path: final, replaceExisting: true, marker: "a.txt", inputs: [])
        try PlainFileSink(path: replacement.path(for: "b.txt")).finish()
        try replacement.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: final), ["b.txt"])
    }

    /// `--replace` removes only a folder a run of that kind wrote, and never one that is or holds
    /// an input: a lead list or an inbox given as the output was replaced by the run's folder.
    func testAReplacedFolderMustBeAnOutputFolderAndHoldNoInput() throws {
        let folder = try makeTemporaryFolder(self)
        let leads = folder.appendingPathComponent("leads.csv").path
        try writeFile(URL(fileURLWithPath: leads), bytes("telefon\n0701234567\n"))
        XCTAssertThrowsError(try OutputFolder(path: leads, replaceExisting: true, marker: "report.json", inputs: [])) { error in
            XCTAssertEqual(error as? NixWashError, .replacedNotAnOutputFolder(path: leads, isFolder: false, marker: "report.json"))
        }
        XCTAssertThrowsError(try OutputFolder(path: folder.path, replaceExisting: true, marker: "report.json", inputs: [])) { error in
            XCTAssertEqual(error as? NixWashError, .replacedNotAnOutputFolder(path: folder.path, isFolder: true, marker: "report.json"))
        }
        let run = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: false)
        try writeFile(run.appendingPathComponent("report.json"), bytes("{}"))
        try writeFile(run.appendingPathComponent("callable.csv"), bytes("telefon\n0701234567\n"))
        // An earlier run's callable list, named through a link and a `..`, is still inside.
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link").path, withDestinationPath: run.path)
        let input = folder.appendingPathComponent("link/../run/callable.csv").path
        XCTAssertThrowsError(try OutputFolder(path: run.path, replaceExisting: true, marker: "report.json",
                                              inputs: [leads, input])) { error in
            XCTAssertEqual(error as? NixWashError, .replacedFolderHoldsInput(folder: run.path, input: input, isTheInput: false))
        }
        XCTAssertThrowsError(try OutputFolder(path: run.path + "/", replaceExisting: true, marker: "report.json",
                                              inputs: [folder.appendingPathComponent("link").path])) { error in
            XCTAssertEqual(error as? NixWashError, .replacedFolderHoldsInput(folder: run.path, input: folder.appendingPathComponent("link").path, isTheInput: true))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run.path).sorted(), ["callable.csv", "report.json"])
        let replacement = try OutputFolder(path: run.path, replaceExisting: true, marker: "report.json", inputs: [leads])
        try PlainFileSink(path: replacement.path(for: "report.json")).finish()
        try replacement.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run.path), ["report.json"])
    }

    /// Two outputs not yet written that name one file by different paths are refused.
    func testTwoOutputPathsOfOneFileAreRefused() throws {
        let folder = try makeTemporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
        let out = folder.appendingPathComponent("nix.idx").path, rejects = folder.appendingPathComponent("sub/../nix.idx").path
        XCTAssertThrowsError(try OutputTargets.refuseOverwriting(inputs: [], outputs: [out, rejects])) { error in
            XCTAssertEqual(error as? NixWashError, .outputIsInput(output: rejects, input: out))
        }
        XCTAssertNoThrow(try OutputTargets.refuseOverwriting(inputs: [], outputs: [out, folder.appendingPathComponent("sub/nix.idx").path]))
    }

    /// File fingerprints: a regular file's digest and size as stored; none for standard input,
    /// a folder or a pipe (read without opening it, so a pipe's bytes stay for the import).
    func testFileFingerprintsOfRegularFilesOnly() throws {
        let folder = try makeTemporaryFolder(self)
        let content = bytes(String(repeating: "0701234567;2026-11-23T10:00:00\n", count: 50_000))
        let url = folder.appendingPathComponent("log.csv")
        try writeFile(url, content)
        let fingerprint = try XCTUnwrap(try FileFingerprint.sha256(ofRegularFile: url.path))
        XCTAssertEqual(fingerprint.sha256, SHA256.hex(of: content))
        XCTAssertEqual(fingerprint.size, UInt64(content.count))
        var checksum = XXHash64()
        content.withUnsafeBytes { checksum.update($0) }
        XCTAssertEqual(try FileFingerprint.xxHash64(path: url.path).checksum, checksum.digest)
        XCTAssertNil(try FileFingerprint.sha256(ofRegularFile: "-"))
        XCTAssertNil(try FileFingerprint.sha256(ofRegularFile: folder.path))
        let pipe = folder.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(pipe, 0o600), 0)
        XCTAssertNil(try FileFingerprint.sha256(ofRegularFile: pipe))
        XCTAssertThrowsError(try FileFingerprint.sha256(ofRegularFile: folder.appendingPathComponent("missing").path)) { error in
            guard case .cannotOpen? = error as? NixWashError else { return XCTFail("\(error)") }
        }
    }
}

final class SHA256Tests: XCTestCase {
    func testKnownDigestsWhateverTheUpdateSizes() {
        func digest(_ text: String, split: Int) -> String {
            let hash = SHA256()
            let data = Array(text.utf8)
            var i = 0
            while i < data.count {
                let end = min(data.count, i + split)
                data[i..<end].withUnsafeBytes { hash.update($0) }
                i = end
            }
            return hash.finalize()
        }
        let long = String(repeating: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", count: 1)
        for split in [1, 3, 63, 64, 65, 1000] {
            XCTAssertEqual(digest("", split: split), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            XCTAssertEqual(digest("abc", split: split), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            XCTAssertEqual(digest(long, split: split), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        }
    }
}

final class GzipFuzzRegressionTests: XCTestCase {
    /// A fuzz find (gzip target): a member whose header is followed by a stored block whose
    /// length check fails, read with a 39-byte buffer, crashed on a negative byte count.
    func testDamagedMemberIsAnErrorNotACrash() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("fuzz.gz")
        let data: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x8b, 0x08, 0x00, 0x00, 0x04, 0x93, 0x6e, 0x37, 0x08, 0x00,
                             0xb1, 0xff, 0xff, 0xff, 0x04, 0x93, 0x6e, 0x37, 0x08, 0x00, 0xb1, 0xff, 0xff, 0xff, 0xff]
        try writeFile(url, data)
        for bufferSize in [2, 3, 7, 39, 65] {
            let input = try InputFile(path: url.path, bufferSize: bufferSize)
            var buffer = [UInt8](repeating: 0, count: 3)
            XCTAssertThrowsError(try {
                while try buffer.withUnsafeMutableBytes({ try input.read(into: $0) }) > 0 {}
            }(), "buffer \(bufferSize)") { error in
                XCTAssertNotNil(error as? NixWashError)
            }
        }
    }
}
