import ArgumentParser
import NixWashKit

/// How every CSV input is opened; shared by the subcommands that read lead lists.
struct CSVReadingOptions: ParsableArguments {
    @Option(help: "Field delimiter: ',' ';' '|' or 'tab' (detected from the header line when not given).")
    var delimiter: String?

    @Option(help: "Largest record accepted, in bytes (a quote that is never closed stops here).")
    var maxRecordSize: Int = 1 << 20

    func validate() throws {
        if let delimiter, CSVDialect.delimiter(named: delimiter) == nil {
            throw ValidationError("--delimiter must be ',' ';' '|' or 'tab', not '\(delimiter)'.")
        }
        guard maxRecordSize >= 1024 else { throw ValidationError("--max-record-size must be at least 1024 bytes.") }
    }

    var csvOptions: CSVOptions {
        CSVOptions(delimiter: delimiter.flatMap(CSVDialect.delimiter(named:)), maxRecordSize: maxRecordSize)
    }
}

/// `--replace`, the same on every subcommand that writes an output folder.
struct ReplaceOutputOption: ParsableArguments {
    @Flag(help: "Replace the output folder if it exists (atomically, once the new one is complete).")
    var replace = false
}

/// How a scrub or a recheck writes its folder: the gzip level and the report's signature.
struct RunWritingOptions: ParsableArguments {
    @Option(help: "Gzip level of the outputs, 1 (fast, the default) to 9 (small): 1-3 by Intel ISA-L, 4-9 by zlib.")
    var compressionLevel: Int?

    @Option(help: "Ed25519 private key (PEM) to sign report.json with, into report.json.sig (`nixwash audit verify --public-key` checks it).")
    var signKey: String?

    func validate() throws {
        if let compressionLevel, !(1...9).contains(compressionLevel) {
            throw ValidationError("--compression-level must be from 1 to 9.")
        }
    }

    /// Sets the level (this option, else the campaign file's, else 1) and the signing key.
    func apply(to config: inout ScrubConfiguration, file: CampaignFile) {
        config.compressionLevel = Int32(compressionLevel ?? file.compressionLevel ?? 1)
        config.signingKey = signKey
    }
}

/// `--sheet`, for the subcommands that read lead lists.
struct SheetOption: ParsableArguments {
    @Option(help: "The sheet of each xlsx workbook to read (default: every sheet with cells).")
    var sheet: String?
}

/// `--db` of the subcommands that read or change a contact history that exists.
struct HistoryDatabaseOption: ParsableArguments {
    @Option(help: "The history: a database file, or a postgres:// URL.")
    var db: String

    func validate() throws { try validateHistoryLocation(db, option: "--db") }
}

/// Refuses a PostgreSQL URL with a password in it: on a command line it shows in `ps` and in
/// the shell's history. libpq reads it from ~/.pgpass, PGPASSFILE or PGPASSWORD instead.
func validateHistoryLocation(_ text: String, option: String) throws {
    guard HistoryLocation(text).hasPassword else { return }
    throw ValidationError("\(option) \(HistoryLocation(text)): give the URL without its password (it would show in `ps`); put the password in ~/.pgpass or a file named by PGPASSFILE, or in PGPASSWORD.")
}
