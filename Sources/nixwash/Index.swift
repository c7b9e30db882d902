import ArgumentParser
import Foundation
import NixWashKit

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build, update, describe and check the NIX register and block-list indexes.",
        discussion: "A scrub maps these index files instead of reading the registers. The layout is described in docs/index-format.md.",
        subcommands: [Build.self, Update.self, Info.self, Verify.self]
    )
}

/// Options shared by the subcommands that read register and block-list files.
struct ListFileOptions: ParsableArguments {
    @Option(name: [.customLong("number-column"), .customLong("column")],
            help: "Header name of a number column (repeatable; a name the header has twice names both, 'nummer#2' the second of them). Default: every column named like a phone number (number, nummer, telefon, phone, tel, mobil, ...), or, when the first line holds a number, the fields of that line written as phone numbers (a date or id beside them is not read).")
    var columns: [String] = []

    @Option(help: "How many unreadable lines (no number, letters, broken CSV) all files together may have; they go to --rejects. Default 0: the first one fails the build.")
    var maxInvalidLines: UInt64 = 0

    @Option(help: "CSV file for the unreadable lines let through by --max-invalid-lines (file, line, column, value, reason). Written when the build succeeds.")
    var rejects: String?

    @Option(help: "Country of numbers written without a country code: SE, NO, FI or DK (NO for Reservasjonsregisteret). Default: SE for index build; for index update, the country the index records.")
    var defaultCountry: String?

    @OptionGroup var csv: CSVReadingOptions

    func validate() throws {
        if let defaultCountry, PhoneCountry(rawValue: defaultCountry) == nil {
            throw ValidationError("--default-country must be SE, NO, FI or DK, not '\(defaultCountry)'.")
        }
        if maxInvalidLines > 0 && rejects == nil {
            throw ValidationError("--max-invalid-lines needs --rejects FILE: the lines let through are written there, never dropped.")
        }
    }

    /// The country given, else `fallback`.
    func country(else fallback: PhoneCountry) -> PhoneCountry {
        defaultCountry.flatMap(PhoneCountry.init(rawValue:)) ?? fallback
    }

    func readingOptions(country: PhoneCountry) -> ListReadingOptions {
        ListReadingOptions(numberColumns: columns, maxInvalidLines: maxInvalidLines, csv: csv.csvOptions,
                           normalizer: PhoneNormalizer(defaultCountry: country))
    }
}

/// The index files that `index info` and `index verify` read.
struct IndexFilesArgument: ParsableArguments {
    @Argument(help: "Index files.")
    var files: [String]
}

/// The lines of every file read that were let through unread.
struct ListRejects {
    var lines: [(path: String, line: InvalidLine)] = []

    /// Writes the rejects CSV (replacing any file there), header included even when empty, so
    /// a nightly job always finds the file of its last build.
    func write(to path: String) throws {
        func quoted(_ field: String) -> String {
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        var text = "file,line,column,value,reason\n"
        for (file, line) in lines {
            text += [file, String(line.line), line.column, line.value, line.reason].map(quoted).joined(separator: ",") + "\n"
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NixWashError.writeFailed(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}

func parseDateOption(_ text: String, _ option: String) throws -> Int32 {
    guard let day = DayNumber.parse(text) else {
        throw ValidationError("\(option) must be a date written YYYY-MM-DD, not '\(text)'.")
    }
    return day
}

func secondsNow() -> Int64 { Int64(Date().timeIntervalSince1970) }

/// A register's update date is the day it was published: a later one would stretch the two
/// months a NIX check is valid for past the register's real age.
func parseRegisterDate(_ text: String) throws -> Int32 {
    let day = try parseDateOption(text, "--register-date")
    let today = StockholmTime.localDay(at: secondsNow())
    guard day <= today else {
        throw ValidationError("--register-date \(text) is after today (\(DayNumber.format(today))): a register's update date is the day it was published, and a later one would make the index look valid for longer than it is. Give the date the register file says.")
    }
    return day
}

/// Reads every file, printing what each held to standard error. The unreadable lines that
/// `--max-invalid-lines` lets through are counted over all the files and collected in `rejects`.
func readListFiles(_ paths: [String], role: IndexSource.Role, options: ListReadingOptions,
                   into keys: inout [UInt64], rejects: inout ListRejects) throws -> [IndexSource] {
    var sources: [IndexSource] = []
    for path in paths {
        var fileOptions = options
        fileOptions.maxInvalidLines = options.maxInvalidLines - UInt64(rejects.lines.count)
        let summary: ListFileSummary
        do {
            summary = try ListReading.readNumbers(path: path, role: role, options: fileOptions, into: &keys)
        } catch let NixWashError.unreadableListLine(path, line, column, value, reason, list, _) {
            // The allowance is for all the files: say how large it was, not what was left of it.
            throw NixWashError.unreadableListLine(path: path, line: line, column: column, value: value, reason: reason,
                                                  list: list, allowed: options.maxInvalidLines)
        }
        let s = summary.source
        // A register or block list without a single number is an incomplete delivery, not an
        // empty list; a delta file may well be empty.
        if role == .register && s.numbers == 0 { throw NixWashError.headerOnly(path: path) }
        var line = "\(path): \(s.lines) lines, \(s.numbers) numbers from \(summary.headerless ? "\(summary.numberColumns.joined(separator: ", ")) (no header)" : "column \(summary.numberColumns.map { "'\($0)'" }.joined(separator: ", "))")"
        if summary.numbersByContent > 0 {
            line += ", \(summary.numbersByContent) of them in \(summary.contentColumns.map { "'\($0)'" }.joined(separator: ", ")) (phone numbers outside the number column)"
        }
        if summary.unplacedNumbers > 0 {
            line += ", \(summary.unplacedNumbers) of them kept under their written digits (no numbering plan nixwash knows places them)"
        }
        if summary.numbersReadBothWays > 0 {
            line += role == .removed
                ? ", \(summary.numbersReadBothWays) of them not removed: they read two ways (468123456 is 046-812 34 56 or +46 8 123 456) and which one left the list cannot be told"
                : ", \(summary.numbersReadBothWays) of them read two ways (468123456 is 046-812 34 56 or +46 8 123 456) and indexed both ways"
        }
        if s.invalidLines > 0 { line += ", \(s.invalidLines) unreadable lines let through to the rejects" }
        Console.message(line)
        rejects.lines += summary.invalidLines.map { (path, $0) }
        sources.append(s)
    }
    return sources
}

extension IndexCommand {
    struct Build: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build an index from register or block-list files (gzip or plain; one number a line, a number followed by other fields, or CSV with a number column).",
            discussion: "Numbers are normalized to E.164, sorted and deduplicated. An existing --out file is replaced atomically: a scrub that has the old index open keeps reading the old one."
        )

        @Option(help: "nix (the NIX-Telefon register) or block (a company block list).")
        var kind: String

        @Option(help: "Name of the list, shown in reports (e.g. 'NIX-Telefon' or 'Kundspärr Acme').")
        var label: String

        @Option(help: "Update date of this register version, YYYY-MM-DD. Required for --kind nix: a NIX check is valid for two months from it.")
        var registerDate: String?

        @Option(help: "The index file to write.")
        var out: String

        @OptionGroup var list: ListFileOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "Register or block-list files.")
        var inputs: [String]

        func validate() throws {
            guard let kind = IndexKind(name: kind) else { throw ValidationError("--kind must be nix or block, not '\(kind)'.") }
            if kind == .nix && registerDate == nil {
                throw ValidationError("--register-date is required for --kind nix: the two-month validity of a NIX check counts from it.")
            }
            if let registerDate { _ = try parseRegisterDate(registerDate) }
            guard !label.isEmpty else { throw ValidationError("--label must not be empty.") }
        }

        func run() throws {
            try runMappingErrors {
                let started = Date()
                try OutputTargets.refuseOverwriting(inputs: inputs, outputs: [out] + (list.rejects.map { [$0] } ?? []))
                var keys: [UInt64] = []
                var rejects = ListRejects()
                let country = list.country(else: .sweden)
                let sources = try readListFiles(inputs, role: .register, options: list.readingOptions(country: country), into: &keys,
                                                rejects: &rejects)
                try list.rejects.map(rejects.write)
                let numbersRead = keys.count
                IndexWriter.sortAndRemoveDuplicates(&keys)
                // Compare with the index being replaced, if it is one, so the nightly log shows the change.
                let previous = try? BlockIndex(path: out)
                let change = previous.map { old in
                    old.keys.withMemoryRebound(to: UInt64.self) { oldKeys in
                        keys.withUnsafeBufferPointer { countChanges(from: oldKeys, to: $0) }
                    }
                }
                let metadata = IndexWriter.Metadata(
                    kind: IndexKind(name: kind)!, label: label, registerDate: registerDate.flatMap(DayNumber.parse),
                    buildTime: secondsNow(), sources: sources, numberCountry: country)
                let header = try IndexWriter.write(keys: keys, metadata: metadata, to: out)
                Console.summarize(IndexWriteSummary(index: out, header: header, numbersRead: numbersRead, change: change))
                Console.result("\(out): \(header.entryCount) numbers (\(numbersRead - header.entryCount) repeats removed) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
                if let change {
                    Console.result("  compared with the index it replaces: \(change.added) added, \(change.removed) removed")
                }
            }
        }
    }

    struct Update: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add and remove numbers (delta files) in an existing index, replacing it atomically.",
            discussion: "Delta files have the same formats as registers. A number both added and removed ends up removed. The header keeps the earlier sources and records the delta files."
        )

        @Argument(help: "The index file to update.")
        var index: String

        @Option(help: "A file of numbers to add (repeatable).")
        var add: [String] = []

        @Option(help: "A file of numbers to remove (repeatable).")
        var remove: [String] = []

        @Option(help: "New update date of the register, YYYY-MM-DD (default: keep the index's date).")
        var registerDate: String?

        @Option(help: "Write the result here instead of replacing the index.")
        var out: String?

        @OptionGroup var list: ListFileOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !add.isEmpty || !remove.isEmpty else { throw ValidationError("Give at least one --add or --remove file.") }
            if let registerDate { _ = try parseRegisterDate(registerDate) }
        }

        func run() throws {
            try runMappingErrors {
                try OutputTargets.refuseOverwriting(inputs: add + remove + (out == nil ? [] : [index]),
                                                    outputs: [out ?? index] + (list.rejects.map { [$0] } ?? []))
                let base = try BlockIndex(path: index)
                // Deltas are read as the index's own numbers were, unless told otherwise; told
                // otherwise, they would be written another way and never meet them.
                let country = list.country(else: base.header.numberCountry ?? .sweden)
                if let recorded = base.header.numberCountry, recorded != country {
                    throw NixWashError.indexCountryMismatch(path: index, index: recorded, reading: country)
                }
                let options = list.readingOptions(country: country)
                var added: [UInt64] = [], removed: [UInt64] = []
                var sources = base.header.sources
                var rejects = ListRejects()
                sources += try readListFiles(add, role: .added, options: options, into: &added, rejects: &rejects)
                sources += try readListFiles(remove, role: .removed, options: options, into: &removed,
                                             rejects: &rejects)
                try list.rejects.map(rejects.write)
                IndexWriter.sortAndRemoveDuplicates(&added)
                IndexWriter.sortAndRemoveDuplicates(&removed)
                let keys = base.keys.withMemoryRebound(to: UInt64.self) {
                    IndexWriter.merge(base: $0, added: added, removed: removed)
                }
                let change = base.keys.withMemoryRebound(to: UInt64.self) { old in
                    keys.withUnsafeBufferPointer { countChanges(from: old, to: $0) }
                }
                let metadata = IndexWriter.Metadata(
                    kind: base.header.kind, label: base.header.label,
                    registerDate: registerDate.flatMap(DayNumber.parse) ?? base.header.registerDate,
                    // An index of an older nixwash is stamped only with a country the user gave.
                    buildTime: secondsNow(), sources: sources,
                    numberCountry: base.header.numberCountry ?? list.defaultCountry.flatMap(PhoneCountry.init(rawValue:)))
                let target = out ?? index
                let header = try IndexWriter.write(keys: keys, metadata: metadata, to: target)
                Console.summarize(IndexWriteSummary(index: target, header: header,
                                                    numbersRead: added.count + removed.count, change: change))
                Console.result("\(target): \(header.entryCount) numbers: \(change.added) added, \(change.removed) removed")
            }
        }
    }

    struct Info: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an index's header: kind, label, register date and age, counts, checksums, sources.",
            discussion: "Reads the header only (fast on any size); `nixwash index verify` checks the whole file."
        )

        @OptionGroup var output: OutputOptions

        @OptionGroup var indexes: IndexFilesArgument

        func run() throws {
            try runMappingErrors(resultOnStandardOutput: true) {
                let today = DayNumber.utcDay(ofSecondsSinceEpoch: secondsNow())
                var reports: [IndexInfo] = []
                for file in indexes.files {
                    let index = try BlockIndex(path: file, checkBody: .skipped)
                    let info = IndexInfo(path: file, header: index.header, today: today)
                    reports.append(info)
                    Console.summarize(["indexes": reports])
                    Console.result(info.text)
                }
            }
        }
    }

    struct Verify: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check index files completely: header, body checksum, key order and lookup tables.",
            discussion: "Checks every file given. Exit 0 when all are sound, 1 (with each problem on standard error) when one is not."
        )

        @OptionGroup var output: OutputOptions

        @OptionGroup var indexes: IndexFilesArgument

        struct Checked: Encodable {
            var path: String
            var sound: Bool
            var entries: Int?
            var bodyChecksum: String?
            var error: String?
        }

        func run() throws {
            var failed = false
            try runMappingErrors(resultOnStandardOutput: true) {
                // Every file is checked and reported, so one bad file does not hide another.
                var checked: [Checked] = []
                for file in indexes.files {
                    do {
                        let index = try BlockIndex(path: file)
                        try index.verify()
                        checked.append(Checked(path: file, sound: true, entries: index.header.entryCount,
                                               bodyChecksum: hex(index.header.bodyChecksum)))
                        Console.result("\(file): OK, \(index.header.entryCount) numbers, body checksum \(hex(index.header.bodyChecksum))")
                    } catch let error as NixWashError {
                        let message = error.message(naming: OptionNames.flag)
                        Console.error(message)
                        checked.append(Checked(path: file, sound: false, error: message))
                        failed = true
                    }
                    Console.summarize(["indexes": checked])
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// The `--json` summary of `index build` and `index update`.
struct IndexWriteSummary: Encodable {
    var index: String
    var kind: String
    var label: String
    var registerDate: String?
    var entries: Int
    var numbersRead: Int
    var added: Int?
    var removed: Int?
    var bodyChecksum: String
    var sources: [IndexInfo.Source]

    init(index: String, header: IndexHeader, numbersRead: Int, change: (added: Int, removed: Int)?) {
        self.index = index
        kind = header.kind.name
        label = header.label
        registerDate = header.registerDate.map(DayNumber.format)
        entries = header.entryCount
        self.numbersRead = numbersRead
        added = change?.added
        removed = change?.removed
        bodyChecksum = hex(header.bodyChecksum)
        sources = header.sources.map(IndexInfo.Source.init)
    }
}

func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

/// Numbers in `new` but not in `old`, and in `old` but not in `new` (both sorted, distinct).
func countChanges(from old: UnsafeBufferPointer<UInt64>, to new: UnsafeBufferPointer<UInt64>) -> (added: Int, removed: Int) {
    var i = 0, j = 0, common = 0
    while i < old.count && j < new.count {
        if old[i] < new[j] { i += 1 } else if new[j] < old[i] { j += 1 } else { common += 1; i += 1; j += 1 }
    }
    return (new.count - common, old.count - common)
}

/// What `index info` reports about one file.
struct IndexInfo: Encodable {
    struct Source: Encodable {
        var name: String
        var role: String
        var checksum: String
        var bytes: UInt64
        var lines: UInt64
        var numbers: UInt64
        var invalidLines: UInt64

        init(_ source: IndexSource) {
            name = source.name
            role = source.role.name
            checksum = hex(source.checksum)
            bytes = source.fileLength
            lines = source.lines
            numbers = source.numbers
            invalidLines = source.invalidLines
        }
    }

    var path: String
    var formatVersion: UInt32
    var kind: String
    var label: String
    var registerDate: String?
    var registerAgeDays: Int?
    /// Last call date a NIX check with this register is valid for (register date + 2 months).
    var validUntil: String?
    var builtAt: String
    /// The country whose national numbers the lists were read as; absent for an index built
    /// before it was recorded.
    var numberCountry: String?
    var entries: Int
    var firstNumber: String?
    var lastNumber: String?
    var fileBytes: Int
    var bodyChecksum: String
    var headerChecksum: String
    var sources: [Source]

    init(path: String, header: IndexHeader, today: Int32) {
        self.path = path
        formatVersion = header.formatVersion
        kind = header.kind.name
        label = header.label
        registerDate = header.registerDate.map(DayNumber.format)
        registerAgeDays = header.registerDate.map { Int(today - $0) }
        validUntil = header.kind == .nix ? header.registerDate.map { DayNumber.format(DayNumber.adding(months: 2, to: $0)) } : nil
        builtAt = StockholmTime.iso8601(header.buildTime)
        numberCountry = header.numberCountry?.rawValue
        entries = header.entryCount
        firstNumber = header.entryCount > 0 ? PhoneKey(rawValue: header.minKey).e164 : nil
        lastNumber = header.entryCount > 0 ? PhoneKey(rawValue: header.maxKey).e164 : nil
        fileBytes = header.fileLength
        bodyChecksum = hex(header.bodyChecksum)
        headerChecksum = hex(header.headerChecksum)
        sources = header.sources.map(Source.init)
    }

    var text: String {
        var lines = ["\(path)"]
        lines.append("  kind           \(kind) (format version \(formatVersion))")
        lines.append("  label          \(label)")
        if let registerDate, let registerAgeDays {
            lines.append("  register date  \(registerDate), \(registerAgeDays) days old")
        } else {
            lines.append("  register date  none given")
        }
        if let validUntil { lines.append("  valid until    \(validUntil) (calls after this date need a newer register)") }
        lines.append("  built          \(builtAt)")
        if let country = numberCountry.flatMap(PhoneCountry.init(rawValue:)) {
            lines.append("  read as        \(country.englishName) (+\(country.callingCode)): numbers written without a country code")
        } else {
            lines.append("  read as        not recorded (built by an older nixwash)")
        }
        lines.append("  numbers        \(entries)\(firstNumber.map { " (\($0) ... \(lastNumber ?? ""))" } ?? "")")
        lines.append("  file           \(humanBytes(UInt64(fileBytes)))")
        lines.append("  checksums      body \(bodyChecksum), header \(headerChecksum) (XXH64)")
        lines.append("  sources")
        for s in sources {
            lines.append("    \(s.role.padding(toLength: 8, withPad: " ", startingAt: 0)) \(s.name): \(s.lines) lines, \(s.numbers) numbers, \(s.invalidLines) unreadable lines let through, \(humanBytes(s.bytes)), XXH64 \(s.checksum)")
        }
        return lines.joined(separator: "\n")
    }
}
