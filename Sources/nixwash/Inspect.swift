import ArgumentParser
import Foundation
import NixWashKit

struct Inspect: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe lead-list files: container, compression, dialect, encoding, columns, rows and malformed rows.",
        discussion: "Streams each file once in flat memory. Exit 1 if a file cannot be read to its end."
    )

    @OptionGroup var csv: CSVReadingOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var workbook: SheetOption

    @Argument(help: "Lead lists: CSV (gzip or plain, UTF-8, Latin-1 or UTF-16), zip archives, xlsx workbooks, folders; '-' reads standard input.")
    var files: [String]

    func run() throws {
        try runMappingErrors(resultOnStandardOutput: true) {
            var reports: [InspectedInput] = []
            for file in try LeadSources.files(files, refusingRepeats: false) {
                for report in try LeadFileInspection.inspect(path: file, options: csv.csvOptions, sheet: workbook.sheet) {
                    reports.append(InspectedInput(inspection: report))
                    Console.summarize(["files": reports])
                    Console.result(Self.text(report))
                }
            }
            try LeadSources.checkSheet(workbook.sheet, containers: reports.map(\.inspection.container), arguments: files)
        }
    }

    /// The options to give `nixwash scrub` for the list, shell-quoted.
    static func suggestedOptions(_ r: LeadFileInspection) -> [String] {
        r.suggestedScrubSettings.map { $0.spelled(naming: OptionNames.flag) }
    }

    /// One inspected input as `--json` shows it: the inspection and the suggested options.
    struct InspectedInput: Encodable {
        var inspection: LeadFileInspection

        enum CodingKeys: CodingKey {
            case suggestedScrubOptions
        }

        func encode(to encoder: Encoder) throws {
            try inspection.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(Inspect.suggestedOptions(inspection), forKey: .suggestedScrubOptions)
        }
    }

    static func text(_ r: LeadFileInspection) -> String {
        var lines: [String] = []
        let size = r.fileBytes.map { " (\(humanBytes($0)))" } ?? ""
        lines.append("\(r.path)\(size)")
        switch r.container {
        case "zip": lines.append("  container    zip archive \(r.file), member \(r.path.dropFirst(r.file.count + 1))")
        case "xlsx": lines.append("  container    xlsx workbook \(r.file), sheet \(r.path.dropFirst(r.file.count + 1)) (read as comma-separated UTF-8)")
        default: lines.append("  container    none (a text file)")
        }
        lines.append("  compression  \(r.compression)")
        lines.append("  dialect      delimiter '\(r.delimiter)', line ending \(r.lineEnding)\(r.byteOrderMark ? ", byte order mark" : "")")
        let transcoded = r.encoding.hasPrefix("utf-16") ? " (read as UTF-8; the outputs are UTF-8)" : ""
        lines.append("  encoding     \(r.encoding)\(transcoded)")
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
        func listed(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
        lines.append("  phone        by name: \(listed(r.phoneColumnsByName)); by content: \(listed(r.phoneColumnsByContent))")
        if !r.columns.contains(where: { $0.role == "phone" }) {
            lines.append("  note         no column is named like a phone column or mostly holds phone numbers: give one with --phone-column when scrubbing")
        }
        if !r.unwashedPhoneColumns.isEmpty {
            lines.append("  note         \(listed(r.unwashedPhoneColumns)) hold\(r.unwashedPhoneColumns.count == 1 ? "s" : "") phone numbers in some rows: a scrub refuses the list unless they are washed too (--phone-column) or declared (--not-phone-column)")
        }
        let repairs = r.excelArtefacts.filter { $0.value > 0 && $0.key != excelDigitsLostName }.sorted { $0.key < $1.key }
        var repairLines = repairs.map { "\($0.value) \($0.key)" }
        if !r.leadingZeroColumns.isEmpty {
            repairLines.append("leading 0 restored in \(listed(r.leadingZeroColumns)) (most values lost it)")
        }
        if r.fieldsWithSeveralNumbers > 0 { repairLines.append("\(r.fieldsWithSeveralNumbers) fields with several numbers, each judged") }
        lines.append("  repairs      " + (repairLines.isEmpty ? "none" : repairLines.joined(separator: "; ")))
        if let lost = r.excelArtefacts[excelDigitsLostName], lost > 0 {
            lines.append("  note         \(lost) numbers lost digits in scientific notation (Excel): rejected as invalid_number; ask for an export with the numbers as text")
        }
        if r.numbersWithoutTrunkZero > 0 {
            lines.append("  note         \(r.numbersWithoutTrunkZero) numbers are written without their leading 0 in a column where most are not: rejected as invalid_number")
        }
        if !r.columns.contains(where: { $0.role == "source" }) {
            lines.append("  note         no address-source column: give the source with --source when scrubbing")
        }
        if r.trailingDelimiterRows > 0 {
            lines.append("  note         \(r.trailingDelimiterRows) rows end in a trailing delimiter: read without it, not as malformed")
        }
        let share = String(format: "%.2f %%", r.malformedShare * 100)
        let verdict = r.malformedShare > r.maxMalformedShare
            ? "above \(String(format: "%g", r.maxMalformedShare * 100)) %: a scrub refuses the list (--max-malformed-share)"
            : "a scrub rejects them as malformed_row"
        lines.append("  malformed    \(r.malformedRows) rows (\(share); \(verdict))")
        for row in r.firstMalformedRows {
            let position = row.column.map { "\(row.line):\($0)" } ?? "\(row.line)"
            lines.append("    line \(position): \(row.problem)")
        }
        if r.malformedRows > UInt64(r.firstMalformedRows.count) {
            lines.append("    ... and \(r.malformedRows - UInt64(r.firstMalformedRows.count)) more (--json lists the first \(LeadFileInspection.malformedRowsShown))")
        }
        lines.append("  scrub with   " + (r.suggestedScrubSettings.isEmpty ? "no options for this list" : suggestedOptions(r).joined(separator: " ")))
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
