import ArgumentParser
import Foundation
import NixWashKit

struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the address sources (list vendors) across runs.",
        discussion: """
        For each address source of the given scrub folders: rows delivered, and the share of its \
        numbers that is in NIX, blocked, invalid, a duplicate within the run, already delivered by \
        the same source in an earlier run of the list, and callable. Runs are taken in call-date \
        order. Writes sources.csv, sources.json and sources.html (a trend chart per source) into \
        the output folder, which appears only when all three are written.
        """
    )

    @Option(name: [.customShort("o"), .customLong("out")], help: "Output folder (default: nixwash-sources).")
    var output = "nixwash-sources"

    @Flag(help: "Replace the output folder if it exists (atomically, once the new one is complete).")
    var replace = false

    @Flag(name: .shortAndLong, help: "No summary; errors only.")
    var quiet = false

    @Argument(help: "Output folders of scrubs (a shell glob such as out/*/ works).")
    var runFolders: [String]

    func validate() throws {
        guard !runFolders.isEmpty else { throw ValidationError("Give at least one run folder.") }
    }

    func run() throws {
        try runMappingErrors {
            let report = try SourcesReport.build(runFolders: runFolders)
            try SourcesReportWriter.write(report, to: output, replaceExisting: replace)
            guard !quiet else { return }
            var lines = ["nixwash: \(report.sources.count) sources over \(report.runs.count) runs"]
            for name in report.sources.keys.sorted() {
                let deliveries = report.sources[name]!
                let rows = deliveries.reduce(0) { $0 + $1.rows }
                let numbers = deliveries.reduce(0) { $0 + $1.numbers }
                let callable = deliveries.reduce(0) { $0 + $1.callable }
                let share = numbers == 0 ? 0 : Double(callable) * 100 / Double(numbers)
                lines.append("  \(name): \(deliveries.count) runs, \(rows) rows, \(numbers) numbers, \(callable) callable (\(String(format: "%.1f", share)) %)")
            }
            lines.append("  outputs in \(output)/: \(SourcesReportWriter.fileNames.joined(separator: ", "))")
            print(lines.joined(separator: "\n"))
        }
    }
}
