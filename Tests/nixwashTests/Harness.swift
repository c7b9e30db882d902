import Foundation
import XCTest

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `nixwash` binary under test: `$NIXWASH_BIN` when set (scripts/test points it at the
/// release build, the one that ships), else the one next to the test bundle in the build folder.
func nixwashBinary() -> URL {
    if let path = ProcessInfo.processInfo.environment["NIXWASH_BIN"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    var dir = Bundle(for: BinaryTests.self).bundleURL
    while dir.path != "/" {
        let candidate = dir.appendingPathComponent("nixwash")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return candidate
        }
        dir = dir.deletingLastPathComponent()
    }
    fatalError("nixwash binary not found near \(Bundle(for: BinaryTests.self).bundleURL.path); run `swift build` first")
}

/// The repository's root folder (scripts/, SampleData/, README.md).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs the binary with `arguments` in `directory` and collects its output.
func runNixwash(_ arguments: [String], in directory: URL? = nil, stdin: Data? = nil) throws -> RunResult {
    try runProgram(nixwashBinary(), arguments, in: directory, stdin: stdin)
}

/// `PATH` with the built binary's folder first, for scripts that call `nixwash`.
func pathWithNixwash() -> String {
    nixwashBinary().deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
}

/// Runs a program (a script, python3, ...) and collects its output.
func runProgram(_ executable: URL, _ arguments: [String], in directory: URL? = nil, stdin: Data? = nil,
                environment: [String: String]? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Drain stderr on another thread so a chatty child never blocks on a full pipe.
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        errBox.data = err.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    let errData = errBox.data
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus,
                     stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder, removed when the test ends.
func temporaryFolder(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("nixwash-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
