import Foundation
import NixWashKit
import XCTest

/// A temporary folder with the small lists the lifecycle tests (consent-only, recheck, audit,
/// sources, Norway) build on, and helpers to run the binary in it and read its outputs.
struct Workspace {
    let folder: URL

    init(_ testCase: XCTestCase) throws {
        folder = try temporaryFolder(testCase)
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws {
        try FileManager.default.createDirectory(at: url(name).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url(name))
    }

    @discardableResult
    func run(_ arguments: [String], expect status: Int32? = 0, file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try runNixwash(arguments, in: folder)
        if let status {
            XCTAssertEqual(result.status, status, "\(arguments.joined(separator: " ")): \(result.stderr)\(result.stdout)", file: file, line: line)
        }
        return result
    }

    /// A gzipped (or plain) CSV output read back with the library's reader, rows as
    /// dictionaries by header name (the last column of a name wins).
    func rows(_ name: String) throws -> [[String: String]] {
        let reader = try CSVReader(input: InputFile(path: url(name).path), options: CSVOptions(requireDataRows: false))
        var rows: [[String: String]] = []
        while let record = try reader.next() {
            var row: [String: String] = [:]
            for i in 0..<record.count { row[reader.header[i]] = record.string(i) }
            rows.append(row)
        }
        return rows
    }

    func header(_ name: String) throws -> [String] {
        try CSVReader(input: InputFile(path: url(name).path), options: CSVOptions(requireDataRows: false)).header
    }

    func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as! [String: Any]
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url(name).path) }
}
