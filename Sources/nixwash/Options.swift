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

/// Refuses a PostgreSQL URL with a password in it: on a command line it shows in `ps` and in
/// the shell's history. libpq reads it from ~/.pgpass, PGPASSFILE or PGPASSWORD instead.
func validateHistoryLocation(_ text: String, option: String) throws {
    guard HistoryLocation(text).hasPassword else { return }
    throw ValidationError("\(option) \(HistoryLocation(text)): give the URL without its password (it would show in `ps`); put the password in ~/.pgpass or a file named by PGPASSFILE, or in PGPASSWORD.")
}
