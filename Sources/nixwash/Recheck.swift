import ArgumentParser
import Foundation
import NixWashKit

struct Recheck: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge an earlier run's callable rows again: what to pull from the dialer now.",
        discussion: """
        Reads the callable lists of RUN_FOLDER (a scrub's output folder) and judges every \
        callable number again with the given NIX index, block lists, history and call date (the \
        same options and campaign file as scrub; the campaign file's leads and output are not \
        used). Writes pull.csv.gz (each number to remove now, with its new reason), \
        still-callable.csv.gz (the rows that stay) and report.json into a new folder, which \
        appears only when the run succeeds. Nothing changed: an empty pull list and exit 0. \
        Refused (exit 3) when the call date is past the earlier run's NIX register validity: \
        then a full wash is needed.
        """
    )

    @OptionGroup var campaign: CampaignOptions
    @OptionGroup var csv: CSVReadingOptions

    @Option(name: [.customShort("o"), .customLong("out")], help: "Output folder (default: RUN_FOLDER-recheck-CALLDATE).")
    var outputFolder: String?

    @OptionGroup var folder: ReplaceOutputOption

    @OptionGroup var writing: RunWritingOptions

    @OptionGroup var output: OutputOptions

    @Argument(help: "The output folder of the scrub whose callable rows are in the dialer.")
    var runFolder: String

    func run() throws {
        try runMappingErrors {
            let file = try campaign.loadCampaignFile()
            var config = try campaign.configuration(file: file, leadFiles: [], outputFolder: outputFolder)
            if outputFolder == nil {
                var base = runFolder
                while base.count > 1, base.hasSuffix("/") { base.removeLast() }
                config.outputFolder = "\(base)-recheck-\(config.callDate)"
            }
            config.replaceOutput = folder.replace
            config.csv = csv.csvOptions
            writing.apply(to: &config, file: file)
            let started = Date()
            let report = try Rechecker(runFolder: runFolder, configuration: config).run()
            var summary = Scrub.ScrubSummary(report, folder: config.outputFolder, seconds: Date().timeIntervalSince(started))
            summary.recheckOf = runFolder
            Console.summarize(summary)
            let t = report.totals
            var lines = [
                "nixwash: rechecked \(t.rowsIn) callable rows of \(runFolder) for \(report.callDate) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s",
                "  rows     \(t.rowsIn) in = \(t.rowsCallable) still callable + \(t.rowsNotCallable) with no callable number left",
                "  numbers  \(t.numbersIn) in = \(t.numbersCallable) callable + \(t.numbersRejected) to pull",
            ]
            for reason in Reason.inPrecedenceOrder {
                let n = t.rejectedByReason[reason.rawValue] ?? 0
                if n > 0 { lines.append("    \(reason.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(n)") }
            }
            lines.append("  outputs in \(config.outputFolder)/: \(report.outputs.joined(separator: ", "))")
            Console.result(lines.joined(separator: "\n"))
        }
    }
}
