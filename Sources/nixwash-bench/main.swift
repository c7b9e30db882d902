import Foundation

/// Micro-benchmarks of the hot paths, run in release mode by `scripts/bench`:
/// `nixwash-bench NAME [ARGS...]`. Each prints one line of JSON with its figures.
/// They measure; they never assert, so a slow machine does not fail a test run.
let benchmarks: [String: ([String]) throws -> Void] = [
    "rules": rulesBench,
    "index": indexBench,
    "history": historyBench,
    "phone": phoneBenchmark,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let run = benchmarks[name] else {
    FileHandle.standardError.write(Data("usage: nixwash-bench \(benchmarks.keys.sorted().joined(separator: "|")) [ARGS...]\n".utf8))
    exit(64)
}
try run(Array(arguments.dropFirst()))
