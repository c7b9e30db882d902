import ArgumentParser
import Foundation
import NixWashKit

struct Sources: OutputCommand {
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
    var outputFolder = "nixwash-sources"

    @OptionGroup var folder: ReplaceOutputOption

    @OptionGroup var output: OutputOptions

    /// The `--json` summary: per source, its totals over the runs.
    struct SourcesSummary: Encodable {
        struct Source: Encodable {
            var name: String
            var runs: Int
            var rows: UInt64
            var numbers: UInt64
            var callable: UInt64
        }
        var outputFolder: String
        var outputs: [String]
        var runs: Int
        var sources: [Source]
    }

    @Argument(help: "Output folders of scrubs (a shell glob such as out/*/ works).")
    var runFolders: [String]

    func validate() throws {
        guard !runFolders.isEmpty else { throw ValidationError("Give at least one run folder.") }
    }

    func run() throws {
        try runMappingErrors {
            let report = try SourcesReport.build(runFolders: runFolders)
            try SourcesReportWriter.write(report, to: outputFolder, replaceExisting: folder.replace, inputs: runFolders)
            var lines = ["nixwash: \(report.sources.count) sources over \(report.runs.count) runs"]
            var sources: [SourcesSummary.Source] = []
            for name in report.sources.keys.sorted() {
                let deliveries = report.sources[name]!
                let source = SourcesSummary.Source(name: name, runs: deliveries.count, rows: deliveries.reduce(0) { $0 + $1.rows },
                                                   numbers: deliveries.reduce(0) { $0 + $1.numbers },
                                                   callable: deliveries.reduce(0) { $0 + $1.callable })
                sources.append(source)
                let share = source.numbers == 0 ? 0 : Double(source.callable) * 100 / Double(source.numbers)
                lines.append("  \(name): \(source.runs) runs, \(source.rows) rows, \(source.numbers) numbers, \(source.callable) callable (\(String(format: "%.1f", share)) %)")
            }
            lines.append("  outputs in \(outputFolder)/: \(SourcesReportWriter.fileNames.joined(separator: ", "))")
            Console.summarize(SourcesSummary(outputFolder: outputFolder, outputs: SourcesReportWriter.fileNames.map { outputFolder + "/" + $0 },
                                             runs: report.runs.count, sources: sources))
            Console.result(lines.joined(separator: "\n"))
        }
    }
}
