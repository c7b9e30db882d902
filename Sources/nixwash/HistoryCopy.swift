import ArgumentParser
import Foundation
import NixWashKit

extension HistoryCommand {
    struct Copy: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every attempt of one contact history into another: a SQLite file into PostgreSQL, or back.",
            discussion: """
                The copy is one import into --to (created when it does not exist): all attempts or \
                none, and attempts --to already has are not added again, so it can be repeated. \
                --from is only read. The imports' and purges' records stay in --from.
                """)

        @Option(help: "The history to read: a database file, or a postgres:// URL.")
        var from: String

        @Option(help: "The history to add the attempts to: a database file, or a postgres:// URL.")
        var to: String

        @OptionGroup var output: OutputOptions

        struct CopySummary: Encodable {
            var from: String
            var to: String
            /// Attempts read from --from.
            var attempts: Int
            /// Of them, new to --to.
            var inserted: Int
            var duplicates: Int
        }

        func validate() throws {
            try validateHistoryLocation(from, option: "--from")
            try validateHistoryLocation(to, option: "--to")
            guard HistoryLocation(from) != HistoryLocation(to) else {
                throw ValidationError("--from and --to are the same history.")
            }
        }

        func run() throws {
            try runMappingErrors {
                let source = try ContactHistory.open(from, mode: .readOnly)
                var told = false
                let target = try ContactHistory.open(to, mode: .create) {
                    guard !told else { return }
                    told = true
                    Console.warning("\(HistoryLocation(to)): another nixwash is writing to this contact history; waiting for it to finish, then this copy runs.")
                }
                let summary = try target.copyAttempts(from: source)
                Console.summarize(CopySummary(from: HistoryLocation(from).description, to: HistoryLocation(to).description,
                                              attempts: summary.rows, inserted: summary.inserted, duplicates: summary.duplicates))
                Console.result("\(HistoryLocation(to)): copied \(summary.rows) attempts from \(HistoryLocation(from)): \(summary.inserted) new, \(summary.duplicates) already present")
            }
        }
    }
}
