import ArgumentParser
import Foundation
import NixWashKit

struct Scrub: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wash lead lists: write the callable list, the rejects with reasons, and the reports.",
        discussion: """
        Streams every lead list once and judges every number in every phone column against the \
        rules of the profile, the NIX register, the block lists and the contact history. Writes \
        callable.csv.gz, rejects.csv.gz, report.json and report.html into the output folder, \
        which appears only when the run succeeds. Every column that holds phone numbers (found \
        by its name or its content) is washed or declared with --not-phone-column; a list with \
        one that is neither is refused. Exit codes: 0 success, 1 runtime failure (also: more \
        malformed rows than --max-malformed-share), 3 compliance refusal (no-call day, stale NIX \
        register), 64 usage error (also: a phone column neither washed nor declared).
        """
    )

    @OptionGroup var campaign: CampaignOptions
    @OptionGroup var csv: CSVReadingOptions

    @Option(name: [.customShort("o"), .customLong("out")], help: "Output folder (default: nixwash-CAMPAIGN-CALLDATE). Its parent folder must exist.")
    var outputFolder: String?

    @OptionGroup var folder: ReplaceOutputOption

    @Option(name: .customLong("phone-column"), help: "Phone column by header name (repeatable; 'telefon#2' for the second of two columns named telefon). Default: every column whose name or content is a phone column's. Another column that holds phone numbers refuses the run.")
    var phoneColumns: [String] = []

    @OptionGroup var workbook: SheetOption

    @Option(name: .customLong("not-phone-column"), help: "A column that holds no number to call (repeatable): not washed, not checked for phone numbers, recorded in the report.")
    var notPhoneColumns: [String] = []

    @Option(help: "Share of malformed rows (0-1) above which a lead list is refused (default 0.01, 1 %).")
    var maxMalformedShare: Double?

    @Option(help: "Address-source column by header name (default: found from the header, e.g. källa, source).")
    var sourceColumn: String?

    @Option(help: "Address source of lists without a source column (and of rows whose source is empty).")
    var source: String?

    @OptionGroup var writing: RunWritingOptions

    @OptionGroup var output: OutputOptions

    @Argument(help: "Lead lists: CSV (gzip or plain, UTF-8, Latin-1 or UTF-16), zip archives of them, xlsx workbooks, folders of them; '-' for standard input. Default: \"leads\" of the campaign file.")
    var leads: [String] = []

    func validate() throws {
        if let maxMalformedShare, !(0...1).contains(maxMalformedShare) {
            throw ValidationError("--max-malformed-share must be between 0 and 1, e.g. 0.01 for 1 %.")
        }
    }

    func run() throws {
        try runMappingErrors {
            let file = try campaign.loadCampaignFile()
            let leadFiles = leads.isEmpty ? (file.leads ?? []) : leads
            var config = try campaign.configuration(file: file, leadFiles: leadFiles, outputFolder: outputFolder,
                                                    leadFilesRequired: true)
            config.replaceOutput = folder.replace
            config.phoneColumns = phoneColumns.isEmpty ? (file.phoneColumns ?? []) : phoneColumns
            config.notPhoneColumns = notPhoneColumns.isEmpty ? (file.notPhoneColumns ?? []) : notPhoneColumns
            config.maxMalformedShare = maxMalformedShare ?? file.maxMalformedShare ?? 0.01
            config.sourceColumn = sourceColumn ?? file.sourceColumn
            config.source = source ?? file.source
            var options = csv.csvOptions
            if options.delimiter == nil, let name = file.delimiter {
                guard let delimiter = CSVDialect.delimiter(named: name) else {
                    throw NixWashError.invalidCampaignFile(path: campaign.campaignFile ?? "campaign file", reason: "key 'delimiter' must be ',' ';' '|' or 'tab'.")
                }
                options.delimiter = delimiter
            }
            config.csv = options
            config.sheet = workbook.sheet ?? file.sheet
            writing.apply(to: &config, file: file)

            let progress = ProgressDisplay(enabled: !output.quiet && isatty(2) != 0)
            let started = Date()
            let report = try Scrubber(configuration: config).run(progress: progress.update)
            progress.clear()
            let seconds = Date().timeIntervalSince(started)
            Console.summarize(ScrubSummary(report, folder: config.outputFolder, seconds: seconds))
            Console.result(Self.summary(report, folder: config.outputFolder, seconds: seconds))
        }
    }

    /// The `--json` summary: the run's context, its counts and where the outputs are.
    struct ScrubSummary: Encodable {
        var callDate: String
        var campaign: String
        var offer: String
        var contactCentre: String
        var outputFolder: String
        var outputs: [String]
        var report: String
        var totals: ScrubCounts
        var seconds: Double
        /// In a recheck's summary: the run folder whose callable rows were judged again.
        var recheckOf: String?

        init(_ r: ScrubReport, folder: String, seconds: Double) {
            callDate = r.callDate
            campaign = r.campaign
            offer = r.offer
            contactCentre = r.contactCentre
            outputFolder = folder
            outputs = r.outputs.map { folder + "/" + $0 }
            report = folder + "/report.json"
            totals = r.totals
            self.seconds = (seconds * 1000).rounded() / 1000
        }
    }

    static func summary(_ r: ScrubReport, folder: String, seconds: Double) -> String {
        let t = r.totals
        func pct(_ part: UInt64, _ whole: UInt64) -> String { whole == 0 ? "" : String(format: " (%.1f %%)", Double(part) * 100 / Double(whole)) }
        var lines = [
            "nixwash: washed \(t.rowsIn) rows for \(r.campaign) / \(r.offer) / \(r.contactCentre) on \(r.callDate) in \(String(format: "%.1f", seconds)) s",
            "  rows     \(t.rowsIn) in = \(t.rowsCallable) callable\(pct(t.rowsCallable, t.rowsIn)) + \(t.rowsNotCallable) with no callable number",
            "  numbers  \(t.numbersIn) in = \(t.numbersCallable) callable\(pct(t.numbersCallable, t.numbersIn)) + \(t.numbersRejected) rejected",
        ]
        let exemptions = (t.nixExemptions["customer"] ?? 0, t.nixExemptions["consent"] ?? 0)
        if exemptions.0 + exemptions.1 > 0 {
            lines.append("  callable through a NIX exemption: \(exemptions.0) customer, \(exemptions.1) consent")
        }
        if let h = r.historyCoverage {
            lines.append("  history  \(h.attempts) attempts, oldest \(h.oldestAttempt ?? "none"), newest \(h.newestAttempt ?? "none"); \(h.campaignAttempts) for this campaign, \(h.offerAttempts) for this offer, \(h.contactCentreAttempts) for this contact centre")
        } else {
            lines.append("  history  none given: the quota rules saw no earlier attempts")
        }
        lines.append("  rejected by reason")
        for reason in Reason.inPrecedenceOrder {
            let n = t.rejectedByReason[reason.rawValue] ?? 0
            if n > 0 { lines.append("    \(reason.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(n)") }
        }
        lines.append("  by source")
        for (name, c) in r.bySource.sorted(by: { $0.key < $1.key }) {
            lines.append("    \(name): \(c.numbersIn) numbers, \(c.numbersCallable) callable\(pct(c.numbersCallable, c.numbersIn)), \(c.numbersRejected) rejected")
        }
        lines.append("  outputs in \(folder)/: \(r.outputs.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on stderr, redrawn at most a few times a second, only on a terminal.
final class ProgressDisplay {
    private let enabled: Bool
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: ScrubProgress) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.25 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let mbps = Double(p.totalBytesRead) / elapsed / 1_000_000
        var line = "  \(p.rows) rows  \(String(format: "%.1f", mbps)) MB/s  file \(p.fileIndex + 1)/\(p.files)"
        if let total = p.totalSize, total > 0 {
            let fraction = min(1, Double(p.totalBytesRead) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            line = "  [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(String(format: "%3.0f", fraction * 100)) %" + line + String(format: "  ETA %.0f s", eta)
        }
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
        drawn = true
    }

    func clear() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
