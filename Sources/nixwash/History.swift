import ArgumentParser
import Foundation
import NixWashKit

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Import dialer attempt logs into the contact history, describe it, and purge old attempts.",
        discussion: """
            The contact history is an SQLite database file (open it with `sqlite3 FILE`; the view \
            attempt_log shows every attempt readably). A scrub reads it with --history.
            """,
        subcommands: [Import.self, Stats.self, Purge.self]
    )

    struct Import: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import dialer attempt logs (gzip or plain CSV) into the contact history, all files or none.",
            discussion: """
                Columns: number, attempted_at, campaign, offer, contact_centre and optionally outcome, \
                found by their usual Swedish and English names or mapped with --column. attempted_at is \
                ISO 8601 with an offset (2026-03-29T14:30:00+02:00, ...Z, +0200) or Europe/Stockholm \
                local time (2026-03-29 14:30:00). A local time in the hour skipped in March is a bad \
                row; one in the hour repeated in October is read as summer time (CEST) and counted. \
                Attempts already in the history (same number, time, campaign and contact centre) are \
                not added again. Bad rows are listed with their line and reason and skipped.
                """
        )

        @Option(help: "The history database (created when it does not exist).")
        var db: String

        @Option(name: .customLong("column"), help: "FIELD=HEADER: the header name of a log field (repeatable), e.g. number=Telefon. Fields: number, attempted_at, campaign, offer, contact_centre, outcome.")
        var columns: [String] = []

        @Option(help: "Refuse the whole import when a file has more bad rows than this (default: no limit).")
        var maxBadRows: Int?

        @Option(help: "How many bad rows to list per file.")
        var showBadRows = 20

        @OptionGroup var output: OutputOptions

        @OptionGroup var csv: CSVReadingOptions

        @Argument(help: "Attempt log files; '-' reads standard input.")
        var logs: [String]

        func validate() throws {
            guard !logs.isEmpty else { throw ValidationError("Give at least one attempt log file.") }
            for assignment in columns {
                var mapping = AttemptLogColumns()
                guard mapping.map(assignment) else {
                    throw ValidationError("--column takes FIELD=HEADER with FIELD one of \(AttemptLogColumns.Field.allCases.map(\.rawValue).joined(separator: ", ")); '\(assignment)' is not.")
                }
            }
            if let maxBadRows, maxBadRows < 0 { throw ValidationError("--max-bad-rows must be 0 or more.") }
        }

        func run() throws {
            try runMappingErrors {
                var mapping = AttemptLogColumns()
                for assignment in columns { _ = mapping.map(assignment) }
                let store = try HistoryStore(path: db, mode: .create)
                let summaries = try store.importLogs(logs, columns: mapping, csv: csv.csvOptions, maxBadRows: maxBadRows) { summary in
                    Console.message("\(summary.path): \(summary.rows) rows, \(summary.inserted) new attempts, \(summary.duplicates) already in the history, \(summary.bad) bad rows\(summary.ambiguousLocalTimes > 0 ? ", \(summary.ambiguousLocalTimes) local times in the repeated October hour read as CEST" : "")")
                    for bad in summary.badRows.prefix(showBadRows) {
                        Console.message("  \(summary.path):\(bad.line): \(bad.reason.rawValue): \(bad.detail)")
                    }
                    if summary.bad > min(showBadRows, summary.badRows.count) {
                        Console.message("  \(summary.path): ... and \(summary.bad - min(showBadRows, summary.badRows.count)) more bad rows")
                    }
                }
                let total = summaries.reduce(into: (rows: 0, inserted: 0, duplicates: 0, bad: 0)) { t, s in
                    t.rows += s.rows; t.inserted += s.inserted; t.duplicates += s.duplicates; t.bad += s.bad
                }
                Console.summarize(ImportReport(db: db, files: summaries, rows: total.rows, inserted: total.inserted,
                                               duplicates: total.duplicates, bad: total.bad))
                Console.result("\(db): imported \(total.inserted) new attempts from \(summaries.count) file\(summaries.count == 1 ? "" : "s") (\(total.rows) rows, \(total.duplicates) already in the history, \(total.bad) bad)")
            }
        }

        struct ImportReport: Encodable {
            var db: String
            var files: [HistoryFileSummary]
            var rows: Int
            var inserted: Int
            var duplicates: Int
            var bad: Int
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe the contact history: attempts, numbers, dates, and each campaign.")

        @Option(help: "The history database.")
        var db: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            try runMappingErrors(resultOnStandardOutput: true) {
                let stats = try HistoryStore(path: db, mode: .readOnly).stats()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    encoder.keyEncodingStrategy = .convertToSnakeCase
                    print(String(decoding: try encoder.encode(stats), as: UTF8.self))
                    return
                }
                var lines = ["\(db)",
                             "  attempts: \(stats.attempts) of \(stats.numbers) numbers, from \(stats.imports) imported files"]
                if let first = stats.firstDate, let last = stats.lastDate {
                    lines.append("  dates: \(first) to \(last) (Europe/Stockholm)")
                }
                if !stats.campaigns.isEmpty {
                    lines.append("  campaign\toffer\tattempts\tnumbers\tfirst\tlast")
                    for c in stats.campaigns {
                        lines.append("  \(c.campaign)\t\(c.offer)\t\(c.attempts)\t\(c.numbers)\t\(c.firstDate)\t\(c.lastDate)")
                    }
                }
                print(lines.joined(separator: "\n"))
            }
        }
    }

    struct Purge: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove old attempts: the history is personal data, and the rules read at most the last 365 days.",
            discussion: "Give --before DATE (attempts whose Europe/Stockholm date is before it go) or --keep-days N (today and the N-1 days before it stay).")

        @Option(help: "The history database.")
        var db: String

        @Option(help: "Remove attempts dated before this day (YYYY-MM-DD, Europe/Stockholm).")
        var before: String?

        @Option(help: "Keep this many days, today included, and remove older attempts.")
        var keepDays: Int?

        @Flag(help: "Rewrite the file afterwards so it shrinks on disk (takes a while on a large history).")
        var vacuum = false

        @OptionGroup var output: OutputOptions

        struct PurgeSummary: Encodable {
            var db: String
            var before: String
            var removed: Int
        }

        func validate() throws {
            guard (before == nil) != (keepDays == nil) else {
                throw ValidationError("Give exactly one of --before DATE and --keep-days N.")
            }
            if let before, LocalDate(before) == nil {
                throw ValidationError("--before must be a date written YYYY-MM-DD, not '\(before)'.")
            }
            if let keepDays, keepDays < 1 { throw ValidationError("--keep-days must be 1 or more.") }
        }

        func run() throws {
            try runMappingErrors {
                let today = StockholmTime.localDay(at: Int64(Date().timeIntervalSince1970))
                let cutoff = before.map { Int32(LocalDate($0)!.daysSinceEpoch) } ?? today - Int32(keepDays! - 1)
                let cutoffText = LocalDate(daysSinceEpoch: Int(cutoff)).description
                if cutoff > today - 364 {
                    Console.warning("\(db): warning: the offer rule reads attempts from \(LocalDate(daysSinceEpoch: Int(today - 364))) on; removing those before \(cutoffText) makes the rules under-count them.")
                }
                let store = try HistoryStore(path: db, mode: .readWrite)
                let removed = try store.purge(before: cutoff)
                if vacuum { try store.vacuum() }
                Console.summarize(PurgeSummary(db: db, before: cutoffText, removed: removed))
                Console.result("\(db): removed \(removed) attempts dated before \(cutoffText)")
            }
        }
    }
}
