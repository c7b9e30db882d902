import ArgumentParser
import Foundation
import NixWashKit

struct Inspect: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe lead-list files: compression, dialect, encoding, columns, rows and malformed rows.",
        discussion: "Streams each file once in flat memory. Exit 1 if a file cannot be read to its end."
    )

    @OptionGroup var csv: CSVReadingOptions

    @OptionGroup var output: OutputOptions

    @Argument(help: "Lead-list files (gzip or plain CSV); '-' reads standard input.")
    var files: [String]

    func run() throws {
        try runMappingErrors(resultOnStandardOutput: true) {
            var reports: [LeadFileInspection] = []
            for file in files {
                let report = try LeadFileInspection.inspect(path: file, options: csv.csvOptions)
                reports.append(report)
                Console.summarize(["files": reports])
                Console.result(Self.text(report))
            }
        }
    }

    static func text(_ r: LeadFileInspection) -> String {
        var lines: [String] = []
        let size = r.fileBytes.map { " (\(humanBytes($0)))" } ?? ""
        lines.append("\(r.path)\(size)")
        lines.append("  compression  \(r.compression)")
        lines.append("  dialect      delimiter '\(r.delimiter)', line ending \(r.lineEnding)\(r.byteOrderMark ? ", UTF-8 BOM" : "")")
        lines.append("  encoding     \(r.encoding)")
        lines.append("  content      \(humanBytes(r.contentBytes)) uncompressed")
        lines.append("  rows         \(r.rows) data rows, \(r.blankLines) blank lines skipped")
        lines.append("  columns")
        for column in r.columns {
            let sample = column.sampledValues > 0 ? "  \(column.validNumbers)/\(column.sampledValues) sampled values are valid numbers" : ""
            lines.append("    \(column.index + 1). \(column.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(column.role.padding(toLength: 6, withPad: " ", startingAt: 0))\(sample)")
        }
        if r.rows == 0 {
            lines.append("  note         the file has a header but no data rows: a scrub refuses it (exit 1)")
        }
        if r.headerLooksLikeData {
            lines.append("  note         the first line holds a phone number: the file seems to have no header")
        }
        if !r.columns.contains(where: { $0.role == "phone" }) {
            lines.append("  note         no column is named like a phone column: give one with --phone-column when scrubbing")
        }
        for column in r.unnamedPhoneLikeColumns {
            lines.append("  note         column '\(column.name)' holds phone numbers but is not named like a phone column")
        }
        if !r.columns.contains(where: { $0.role == "source" }) {
            lines.append("  note         no address-source column: give the source with --source when scrubbing")
        }
        lines.append("  malformed    \(r.malformedRows) rows")
        for row in r.firstMalformedRows {
            let position = row.column.map { "\(row.line):\($0)" } ?? "\(row.line)"
            lines.append("    line \(position): \(row.problem)")
        }
        if r.malformedRows > UInt64(r.firstMalformedRows.count) {
            lines.append("    ... and \(r.malformedRows - UInt64(r.firstMalformedRows.count)) more (--json lists the first \(LeadFileInspection.malformedRowsShown))")
        }
        return lines.joined(separator: "\n")
    }
}

func humanBytes(_ bytes: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}
