import Foundation
import XCTest
@testable import NixWashKit

/// A temporary folder for one test, removed when it ends.
func makeTemporaryFolder(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nixwash-unit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

func writeFile(_ url: URL, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: url)
}

/// Gzip-compresses `bytes` into one member with the library's own compressor.
func gzipBytes(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
    let compressor = GzipMemberCompressor(level: level)
    var output = [UInt8](repeating: 0, count: GzipMemberCompressor.capacity(for: bytes.count))
    let size = bytes.withUnsafeBytes { input in output.withUnsafeMutableBytes { compressor.compress(input, into: $0) } }
    return Array(output[0..<(try XCTUnwrap(size))])
}

/// Everything a reader yields, for comparing runs with different buffer sizes.
struct ReadResult: Equatable {
    var header: [String]
    var rows: [[[UInt8]]]
    var lines: [UInt64]
    var dialect: CSVDialect
}

func readAll(_ path: String, inputBuffer: Int = 1 << 18, options: CSVOptions = CSVOptions()) throws -> ReadResult {
    let reader = try CSVReader(input: InputFile(path: path, bufferSize: inputBuffer), options: options)
    var rows: [[[UInt8]]] = []
    var lines: [UInt64] = []
    while let record = try reader.next() {
        rows.append((0..<record.count).map { Array(record.field($0)) })
        lines.append(record.line)
    }
    return ReadResult(header: reader.header, rows: rows, lines: lines, dialect: reader.dialect)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A shell command's exit status and standard output.
func shell(_ command: String) throws -> (status: Int32, output: Data) {
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    shell.arguments = ["-c", command]
    let out = Pipe()
    shell.standardOutput = out
    try shell.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    shell.waitUntilExit()
    return (shell.terminationStatus, data)
}

/// `gzip -t` of a file and the SHA-256 of `gzip -dc` of it, by the system's gzip.
func systemGzipChecksum(_ path: String) throws -> (status: Int32, output: String) {
    let (status, output) = try shell("gzip -t '\(path)' && gzip -dc '\(path)' | sha256sum | cut -c1-64")
    return (status, String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
}

/// The lines of a gzip file, by the system's gzip.
func systemGunzipLines(_ path: String) throws -> [String] {
    let (status, output) = try shell("gzip -dc '\(path)'")
    XCTAssertEqual(status, 0, "gzip -dc \(path)")
    return String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

/// An error's message with each setting it names written `<setting>`: the library names
/// settings, and only the CLI spells them as flags.
func messageNamingSettings(_ error: Error) -> String {
    (error as? NixWashError)?.message(naming: { "<\($0.rawValue)>" }) ?? error.localizedDescription
}
