import ArgumentParser
import Foundation
import NixWashKit

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Import dialer attempt logs into the contact history, describe it, and purge old attempts.",
        discussion: """
            The contact history is an SQLite database file (open it with `sqlite3 FILE`; the view \
            attempt_log shows every attempt readably), or a PostgreSQL database given as a \
            postgres:// URL (password in ~/.pgpass or PGPASSWORD, never in the URL). A scrub reads \
            it with --history.
            """,
        subcommands: [Import.self, Stats.self, Purge.self, Copy.self]
    )

    struct Import: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import dialer attempt logs (gzip or plain CSV) into the contact history: every row of every file, or nothing.",
            discussion: """
                Columns: number, attempted_at, campaign, offer, contact_centre and optionally outcome, \
                found by their usual Swedish and English names, mapped with --column, or given one \
                value for the whole file with --set. attempted_at: ISO 8601 with or without seconds, \
                fractions, T or a space, an offset or Z (2026-03-29T14:30:00+02:00, 2026-03-29 14:30); \
                DD.MM.YYYY HH:MM[:SS]; YYYYMMDDHHMMSS; epoch seconds or milliseconds (detected when the \
                whole column is integers of that size, or --time-format); slash dates only with \
                --date-order. Times without an offset are in --timezone (Europe/Stockholm): one in the \
                hour skipped in March is refused, one in the hour repeated in October is read as its \
                later occurrence (standard time) and counted, a second row of it in one log as the earlier \
                one. A row whose outcome means the dial never \
                reached the phone is no attempt: it is counted and left out. Attempts already in the \
                history (same number, time, campaign, contact centre and offer) are not added again. Any row \
                that cannot be read fails the whole import (exit 1) unless --max-bad-rows lets it \
                through into --rejects.
                """
        )

        @Option(help: "The history: a database file, or a postgres:// URL (created when it does not exist).")
        var db: String

        @Option(name: .customLong("column"), help: "FIELD=HEADER: the header name of a log field (repeatable), e.g. number=Telefon. Fields: number, attempted_at, campaign, offer, contact_centre, outcome.")
        var columns: [String] = []

        @Option(name: .customLong("set"), help: "FIELD=VALUE: one value for every row of the logs (repeatable), for a field the logs have no column for, e.g. offer=elavtal-fast. Fields: campaign, offer, contact_centre, outcome.")
        var fixedValues: [String] = []

        @Option(help: "Zone of the times written without an offset: an IANA name (UTC, Europe/Helsinki) or a fixed offset (+02:00, UTC+2).")
        var timezone = "Europe/Stockholm"

        @Option(help: "How slash dates are read: dmy (23/11/2026) or mdy (11/23/2026). Without it a slash date is a bad row: nixwash never guesses.")
        var dateOrder: String?

        @Option(help: "auto (dates and times, or epoch integers detected), epoch-s or epoch-ms.")
        var timeFormat = "auto"

        @Option(help: "Comma-separated outcomes that mean the dial never reached the phone, so the row is no attempt (case, blanks and punctuation ignored; '' for none). Replaces the default: \(AttemptLogColumns.defaultNotAttemptOutcomeNames.joined(separator: ", ")).")
        var notAttemptOutcomes: String?

        @Option(help: "Rows per file that may be rejected while the rest is imported (0: any bad row fails the whole import). They go to --rejects.")
        var maxBadRows = 0

        @Option(help: "CSV file for the rows let through by --max-bad-rows (file, line, column, value, reason, detail, row); written only when the import succeeds, never overwritten.")
        var rejects: String?

        @Option(help: "How many bad rows to list per file.")
        var showBadRows = 20

        @OptionGroup var output: OutputOptions

        @OptionGroup var csv: CSVReadingOptions

        @Argument(help: "Attempt log files; '-' reads standard input.")
        var logs: [String]

        func validate() throws {
            try validateHistoryLocation(db, option: "--db")
            guard !logs.isEmpty else { throw ValidationError("Give at least one attempt log file.") }
            for assignment in columns {
                var mapping = AttemptLogColumns()
                guard mapping.map(assignment) else {
                    throw ValidationError("--column takes FIELD=HEADER with FIELD one of \(AttemptLogColumns.Field.allCases.map(\.rawValue).joined(separator: ", ")); '\(assignment)' is not.")
                }
            }
            for assignment in fixedValues {
                var mapping = AttemptLogColumns()
                guard mapping.set(assignment) else {
                    throw ValidationError("--set takes FIELD=VALUE with FIELD one of \(AttemptLogColumns.settableFields.map(\.rawValue).joined(separator: ", ")) and a value that is not empty; '\(assignment)' is not.")
                }
            }
            guard AttemptTimeZone(timezone) != nil else {
                throw ValidationError("--timezone must be an IANA zone name (Europe/Stockholm, UTC, Europe/Helsinki) or an offset (+02:00, UTC+2), not '\(timezone)'.")
            }
            if let dateOrder, DateOrder(rawValue: dateOrder) == nil {
                throw ValidationError("--date-order must be dmy or mdy, not '\(dateOrder)'.")
            }
            guard timeFormatValue != nil else {
                throw ValidationError("--time-format must be auto, epoch-s or epoch-ms, not '\(timeFormat)'.")
            }
            // `ADC;DC` would be one outcome that no row has: every ADC and DC row would count.
            if let notAttemptOutcomes, let separator = notAttemptOutcomes.first(where: { ";|\t".contains($0) }) {
                throw ValidationError("--not-attempt-outcomes takes outcomes separated by commas ('ADC,DC'); '\(notAttemptOutcomes)' has '\(separator == "\t" ? "tab" : String(separator))' in it.")
            }
            guard maxBadRows >= 0 else { throw ValidationError("--max-bad-rows must be 0 or more.") }
            if maxBadRows > 0, rejects == nil {
                throw ValidationError("--max-bad-rows \(maxBadRows) lets rows through: give --rejects FILE to keep them.")
            }
        }

        private var timeFormatValue: AttemptTimeFormat? {
            switch timeFormat {
            case "auto": return .automatic
            case "epoch-s": return .epoch(.seconds)
            case "epoch-ms": return .epoch(.milliseconds)
            default: return nil
            }
        }

        func run() throws {
            try runMappingErrors {
                var options = AttemptLogOptions()
                for assignment in columns { _ = options.columns.map(assignment) }
                for assignment in fixedValues { _ = options.columns.set(assignment) }
                options.time = AttemptTimeReading(zone: AttemptTimeZone(timezone)!, dateOrder: dateOrder.flatMap(DateOrder.init),
                                                  format: timeFormatValue!)
                if let notAttemptOutcomes {
                    options.notAttemptOutcomes = notAttemptOutcomes.split(separator: ",").map(String.init)
                        .filter { !AttemptLogColumns.foldOutcome($0).isEmpty }
                }
                options.csv = csv.csvOptions
                options.naming = { OptionNames.flag($0) }
                var told = false
                let waiting = {
                    guard !told else { return }
                    told = true
                    Console.warning("\(HistoryLocation(db)): another nixwash is writing to this contact history (an import or a purge); waiting for it to finish, then this import runs.")
                }
                let store = try ContactHistory.open(db, mode: .create, waiting: waiting)
                let rejectsFile = try rejects.map { try HistoryRejectsFile(path: $0) }
                let summaries = try store.importLogs(logs, options: options, maxBadRows: maxBadRows, rejects: rejectsFile,
                                                     waiting: waiting) { summary in
                    var line = "\(summary.path): \(summary.rows) rows: \(summary.inserted) imported, \(summary.duplicates) already present, \(summary.bad) rejected, \(summary.notAttempts) not an attempt; times without an offset read as \(summary.timeZone)"
                    if summary.ambiguousLocalTimes > 0 {
                        line += ", \(summary.ambiguousLocalTimes) in the repeated autumn hour read as standard time (the later of the two)"
                    }
                    if summary.numbersReadBothWays > 0 {
                        line += ", \(summary.numbersReadBothWays) numbers that read two ways (468123456: 046-812 34 56 or 08-123 456) stored under both"
                    }
                    Console.message(line)
                    for bad in summary.badRows.prefix(showBadRows) {
                        Console.message("  \(summary.path):\(bad.line): \(bad.column.map { "column '\($0)': " } ?? "")\(bad.value.map { "'\($0)': " } ?? "")\(bad.reason.rawValue): \(bad.detail)")
                    }
                    if summary.bad > min(showBadRows, summary.badRows.count) {
                        Console.message("  \(summary.path): ... and \(summary.bad - min(showBadRows, summary.badRows.count)) more rejected rows, all in \(rejects ?? "the rejects file")")
                    }
                }
                let total = summaries.reduce(into: ImportReport(db: HistoryLocation(db).description, timeZone: options.time.zone.description, files: summaries)) { t, s in
                    t.rows += s.rows; t.inserted += s.inserted; t.duplicates += s.duplicates; t.bad += s.bad
                    t.notAttempts += s.notAttempts
                }
                Console.summarize(total)
                Console.result("\(HistoryLocation(db)): imported \(total.inserted) new attempts from \(summaries.count) file\(summaries.count == 1 ? "" : "s") (\(total.rows) rows: \(total.duplicates) already present, \(total.bad) rejected, \(total.notAttempts) not an attempt; times without an offset in \(total.timeZone))\(rejects.map { total.bad > 0 ? "; rejected rows in \($0)" : "" } ?? "")")
            }
        }

        struct ImportReport: Encodable {
            var db: String
            var timeZone: String
            var files: [HistoryFileSummary]
            var rows = 0
            var inserted = 0
            var duplicates = 0
            var bad = 0
            var notAttempts = 0
        }
    }

    struct Stats: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe the contact history: attempts per campaign, offer and contact centre, dates, rejected rows and purges.")

        @OptionGroup var history: HistoryDatabaseOption

        @OptionGroup var output: OutputOptions

        func run() throws {
            try runMappingErrors(resultOnStandardOutput: true) {
                let stats = try ContactHistory.open(history.db, mode: .readOnly).stats()
                Console.summarize(stats)
                var lines = ["\(HistoryLocation(history.db))",
                             "  attempts: \(stats.attempts) of \(stats.numbers) numbers, from \(stats.imports) imported files",
                             "  rows left out by imports: \(stats.rejectedRows) rejected (in their rejects files), \(stats.notAttemptRows) not an attempt"]
                if let first = stats.firstDate, let last = stats.lastDate, let firstUTC = stats.firstAttemptUTC,
                   let lastUTC = stats.lastAttemptUTC {
                    lines.append("  dates: \(first) to \(last) (Europe/Stockholm); oldest attempt \(firstUTC), newest \(lastUTC)")
                }
                if !stats.campaigns.isEmpty {
                    lines.append("  campaign\toffer\tcontact centre\tattempts\tnumbers\tfirst\tlast")
                    for c in stats.campaigns {
                        lines.append("  \(c.campaign)\t\(c.offer)\t\(c.contactCentre)\t\(c.attempts)\t\(c.numbers)\t\(c.firstDate)\t\(c.lastDate)")
                    }
                }
                if stats.purges.isEmpty {
                    lines.append("  purges: none")
                } else {
                    lines.append("  purges: (when, attempts dated before, removed)")
                    for p in stats.purges {
                        lines.append("  \(p.purgedAt)\t\(p.cutoffDate)\t\(p.removed)\(p.forced ? "\tforced past the rules' window" : "")")
                    }
                }
                Console.result(lines.joined(separator: "\n"))
            }
        }
    }

    struct Purge: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove old attempts: the history is personal data, and the rules read at most the last 365 days.",
            discussion: """
                Give --before DATE (attempts whose Europe/Stockholm date is before it go) or --keep-days N \
                (today and the N-1 days before it stay). A cut-off that would remove attempts the rules \
                still read (fewer days kept than the longest window of the rule profile, 365 by default) \
                is refused unless --force; one in the future always is. Every purge is recorded in the \
                database (history stats shows them).
                """)

        @OptionGroup var history: HistoryDatabaseOption

        @Option(help: "Remove attempts dated before this day (YYYY-MM-DD, Europe/Stockholm).")
        var before: String?

        @Option(help: "Keep this many days, today included, and remove older attempts.")
        var keepDays: Int?

        @Option(help: "Rule profile JSON whose windows the purge must keep (SPEC's defaults, 30 and 365 days, when not given).")
        var ruleProfile: String?

        @Flag(help: "Print what would be removed (count, first and last date) and remove nothing.")
        var dryRun = false

        @Flag(help: "Purge even attempts that the rules' longest window still reads (they then under-count).")
        var force = false

        @Flag(help: "Rewrite the file afterwards so it shrinks on disk (takes a while on a large history).")
        var vacuum = false

        @OptionGroup var output: OutputOptions

        struct PurgeSummary: Encodable {
            var db: String
            var before: String
            var dryRun: Bool
            /// Attempts removed (0 in a dry run).
            var removed: Int
            /// In a dry run: the attempts a purge would remove.
            var wouldRemove: Int?
            /// The first and last day of the attempts removed (or that would be).
            var firstDate: String?
            var lastDate: String?
            /// The cut-off was inside the rules' longest window (`--force`).
            var forced: Bool
        }

        func validate() throws {
            guard (before == nil) != (keepDays == nil) else {
                throw ValidationError("Give exactly one of --before DATE and --keep-days N.")
            }
            if let before, LocalDate(before) == nil {
                throw ValidationError("--before must be a date written YYYY-MM-DD, not '\(before)'.")
            }
            // Beyond 100 years no attempt can be older (imports refuse years before 1996).
            if let keepDays, !(1...36_500).contains(keepDays) { throw ValidationError("--keep-days must be from 1 to 36500.") }
        }

        func run() throws {
            try runMappingErrors {
                let profile = try ruleProfile.map { try RuleProfile.load(path: $0) } ?? .default
                let today = StockholmTime.localDay(at: Int64(Date().timeIntervalSince1970))
                let cutoff = before.map { Int32(LocalDate($0)!.daysSinceEpoch) } ?? today - Int32(keepDays! - 1)
                let cutoffDate = LocalDate(daysSinceEpoch: Int(cutoff)), todayDate = LocalDate(daysSinceEpoch: Int(today))
                if cutoff > today {
                    throw NixWashError.purgeRefused(path: HistoryLocation(history.db).description, reason: "the cut-off \(cutoffDate) is in the future (today is \(todayDate)); attempts not yet made cannot be old. Give a date up to today.")
                }
                let window = max(profile.offerWindowDays, profile.campaignWindowDays)
                let earliestKept = today - Int32(window - 1)
                if cutoff > earliestKept, !force {
                    let rule = profile.offerWindowDays >= profile.campaignWindowDays ? "offer rule (offer_window_days)" : "campaign quota (campaign_window_days)"
                    throw NixWashError.purgeRefused(path: HistoryLocation(history.db).description, reason: "the cut-off \(cutoffDate) keeps \(today - cutoff + 1) days, but the \(rule) reads the \(window) days to the call date, from \(LocalDate(daysSinceEpoch: Int(earliestKept))) for a call today. Give --before \(LocalDate(daysSinceEpoch: Int(earliestKept))) or earlier (or --keep-days \(window)), or --force to remove them anyway; the rules then under-count these numbers.")
                }
                var told = false
                let store = try ContactHistory.open(history.db, mode: dryRun ? .readOnly : .readWrite)
                if dryRun {
                    let extent = try store.purgeExtent(before: cutoff)
                    Console.summarize(PurgeSummary(db: HistoryLocation(history.db).description, before: cutoffDate.description, dryRun: true, removed: 0,
                                                   wouldRemove: extent.attempts, firstDate: extent.firstDate?.description,
                                                   lastDate: extent.lastDate?.description, forced: cutoff > earliestKept))
                    Console.result("\(HistoryLocation(history.db)): would remove \(extent.attempts) attempts dated before \(cutoffDate)\(Self.range(extent)) (dry run: nothing removed)")
                    return
                }
                let extent = try store.purge(before: cutoff, forced: cutoff > earliestKept) {
                    guard !told else { return }
                    told = true
                    Console.warning("\(HistoryLocation(history.db)): another nixwash is writing to this contact history; waiting for it to finish, then this purge runs.")
                }
                if vacuum { try store.vacuum() }
                Console.summarize(PurgeSummary(db: HistoryLocation(history.db).description, before: cutoffDate.description, dryRun: false, removed: extent.attempts,
                                               firstDate: extent.firstDate?.description, lastDate: extent.lastDate?.description,
                                               forced: cutoff > earliestKept))
                Console.result("\(HistoryLocation(history.db)): removed \(extent.attempts) attempts dated before \(cutoffDate)\(Self.range(extent))")
            }
        }

        private static func range(_ extent: HistoryStore.PurgeExtent) -> String {
            guard let first = extent.firstDate, let last = extent.lastDate else { return "" }
            return " (\(first) to \(last))"
        }
    }
}
