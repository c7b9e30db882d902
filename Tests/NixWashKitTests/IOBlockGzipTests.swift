import Foundation
import XCTest
@testable import NixWashKit

/// Output compressed in independent gzip members by several threads: the members come out in
/// input order and the file reads back whole with nixwash's reader and the system's gzip, at
/// ISA-L and zlib levels, for outputs of no bytes, less than a block and many blocks.
final class IOBlockGzipTests: XCTestCase {
    private func readBack(_ path: String) throws -> [UInt8] {
        let input = try InputFile(path: path, bufferSize: 4096)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
            if n == 0 { break }
            result += buffer[0..<n]
        }
        return result
    }

    private func sha256Hex(_ bytes: [UInt8]) -> String {
        let hash = SHA256()
        bytes.withUnsafeBytes { hash.update($0) }
        return hash.finalize()
    }

    func testMembersComeOutInOrderAndReadBackAtEveryLevel() throws {
        let folder = try makeTemporaryFolder(self)
        // Numbered lines, so any block out of order changes the content.
        var content: [UInt8] = []
        for i in 0..<60_000 { content += Array("\(i);070-\(1_000_000 + i * 7);Åsa Öberg\n".utf8) }
        for level: Int32 in [1, 3, 6] {
            let workers = CompressionWorkers(level: level, threads: 3)
            defer { workers.shutdown() }
            for (name, data) in [("empty", [UInt8]()), ("small", Array(content[0..<1000])), ("large", content)] {
                let path = folder.appendingPathComponent("\(name)-\(level).csv.gz").path
                // 7 KiB blocks and odd write sizes: many members, writes across block edges.
                let sink = try BlockGzipFileSink(path: path, workers: workers, blockSize: 7 * 1024, maxBlocksInFlight: 3)
                var offset = 0
                while offset < data.count {
                    let n = min(3001, data.count - offset)
                    try data[offset..<(offset + n)].withUnsafeBytes { try sink.write($0) }
                    offset += n
                }
                try sink.finish()
                XCTAssertEqual(try readBack(path), data, "\(name) at level \(level)")
                let system = try systemGzipChecksum(path)
                XCTAssertEqual(system.status, 0, "gzip -t of \(name) at level \(level)")
                XCTAssertEqual(system.output, sha256Hex(data), "\(name) at level \(level)")
            }
        }
    }

    /// A CSV writer writes straight into the sink's blocks: rows cross block edges, a field
    /// longer than a block gets a block of its own, and what reads back is what a writer with
    /// its own buffer makes, byte for byte.
    func testAWriterWritingInPlaceMakesTheSameBytesAcrossBlockEdges() throws {
        let folder = try makeTemporaryFolder(self)
        let workers = CompressionWorkers(level: 1, threads: 2)
        defer { workers.shutdown() }
        final class MemorySink: ByteSink {
            var bytes: [UInt8] = []
            func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes += bytes }
            func finish() throws {}
        }
        let dialect = CSVDialect(delimiter: UInt8(ascii: ";"), lineEnding: [0x0D, 0x0A], hasByteOrderMark: true)
        func writeRows(_ writer: CSVWriter) throws {
            for i in 0..<3000 {
                try writer.writeField(Array("Åsa \(i)".utf8))
                try writer.writeField(UInt64(46_700_000_000 + i), prefix: UInt8(ascii: "+"))
                // Quoted fields, and now and then one longer than a block.
                try writer.writeField(Array(String(repeating: "a;\"b", count: i % 500 == 0 ? 900 : i % 7).utf8))
                writer.writeEncodedField(Array("nix|duplicate".utf8))
                try writer.endRow()
            }
            try writer.finish()
        }
        let expected = MemorySink()
        try writeRows(CSVWriter(sink: expected, dialect: dialect, bufferSize: 64))
        for blockSize in [64, 1000, 7 * 1024] {
            let path = folder.appendingPathComponent("rows-\(blockSize).csv.gz").path
            try writeRows(CSVWriter(sink: BlockGzipFileSink(path: path, workers: workers, blockSize: blockSize,
                                                            maxBlocksInFlight: 2), dialect: dialect))
            XCTAssertEqual(try readBack(path), expected.bytes, "blocks of \(blockSize)")
            XCTAssertEqual(try systemGzipChecksum(path).status, 0, "gzip -t, blocks of \(blockSize)")
        }
    }

    /// A block that cannot be written (the file size limit here) fails the sink: the writer's
    /// next block or `finish` throws the write error, blocks ahead of it are dropped, and
    /// nothing waits for ever.
    func testAFailedWriteReachesTheWriterAndNothingHangs() throws {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("limited.csv.gz").path
        var random = SplitMix64(seed: 7)
        let data = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) } // incompressible
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limited = saved
        limited.rlim_cur = 100 * 1024
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited), 0)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        let workers = CompressionWorkers(level: 1, threads: 2)
        defer { workers.shutdown() }
        let sink = try BlockGzipFileSink(path: path, workers: workers, blockSize: 16 * 1024, maxBlocksInFlight: 2)
        XCTAssertThrowsError(try {
            try data.withUnsafeBytes { bytes in
                for start in stride(from: 0, to: bytes.count, by: 5000) {
                    try sink.write(UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + 5000, bytes.count)]))
                }
            }
            try sink.finish()
        }()) { error in
            guard case let .writeFailed(failedPath, _)? = error as? NixWashError else {
                return XCTFail("not a write failure: \(error)")
            }
            XCTAssertEqual(failedPath, path)
        }
        XCTAssertThrowsError(try sink.throwIfFailed(), "the failure stays")
    }
}
