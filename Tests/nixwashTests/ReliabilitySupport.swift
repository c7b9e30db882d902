import Foundation
@testable import NixWashKit
import XCTest

/// A lead list of `rows` rows with distinct Swedish mobile numbers 070-1000000 upwards.
func writeLeadList(_ url: URL, rows: Int) throws {
    var text = "namn;telefon;källa\n"
    text.reserveCapacity(rows * 32)
    for i in 0..<rows { text += "n\(i);070-\(1_000_000 + i);V\(i % 3)\n" }
    try Data(text.utf8).write(to: url)
}

/// Starts the binary without waiting; standard output and error go to /dev/null.
/// - Parameter errors: a file for its standard error (else it goes nowhere), so that a test
///   that fails can say what the run said.
func startNixwash(_ arguments: [String], in directory: URL, errors: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = nixwashBinary()
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    if let errors {
        guard FileManager.default.createFile(atPath: errors.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        process.standardError = try FileHandle(forWritingTo: errors)
    } else {
        process.standardError = FileHandle.nullDevice
    }
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// Seconds a run of the binary takes here (the kill delays are drawn up to it).
func timedRun(_ arguments: [String], in directory: URL) throws -> (RunResult, Double) {
    let started = Date()
    let result = try runNixwash(arguments, in: directory)
    return (result, Date().timeIntervalSince(started))
}

/// Kills `process` with SIGKILL after `seconds`; true when the kill came before it ended.
func kill(_ process: Process, after seconds: Double) -> Bool {
    usleep(useconds_t(seconds * 1_000_000))
    let running = process.isRunning
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return running && process.terminationReason == .uncaughtSignal
}

func reportJSON(_ url: URL) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("report.json"))) as? [String: Any])
}

extension HistoryStore {
    /// `PRAGMA integrity_check`: "ok" for a sound database.
    func integrity() throws -> String {
        let statement = try db.prepare("PRAGMA integrity_check")
        return try statement.step() ? statement.text(0) ?? "" : ""
    }

    /// Every attempt, readably and in key order, without the import it came from.
    func attemptRows() throws -> [String] {
        let statement = try db.prepare("""
            SELECT number || ' ' || attempted_at_utc || ' ' || campaign || ' ' || offer || ' ' || contact_centre
                   || ' ' || coalesce(outcome, '-') FROM attempt_log ORDER BY 1
            """)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.text(0) ?? "") }
        return rows
    }

    func scalar(_ sql: String) throws -> Int64 { try db.scalar(sql) }
}
