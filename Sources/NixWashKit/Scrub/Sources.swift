#if canImport(Glibc)
import Glibc
#endif

/// One lead input as the scrub and `inspect` read it: a file, a CSV member of a zip archive,
/// or a sheet of a workbook, opened by what its content is (never by its name) and turned into
/// the text the CSV reader takes.
public struct LeadInput {
    /// The input's name in errors, rejects and the report: the path, `archive.zip:member.csv`
    /// or `book.xlsx:Sheet1`.
    public let name: String
    /// The file it came from, as given.
    public let file: String
    /// `none`, `zip` or `xlsx`.
    public let container: String
    /// The zip member, or the workbook sheet, the input is.
    public let member: String?
    public let sheet: String?
    /// The file's compression: `gzip` or `none`.
    public let compression: String
    /// The text encoding when nixwash transcodes it to UTF-8 (`utf-16le`, `utf-16be`, or
    /// `utf-8` for a workbook's XML); nil when the bytes are read as they are.
    public let transcodedFrom: String?
    public let content: ContentSource
    /// The delimiter of the text when nixwash writes it (a sheet: `,`), whatever was set.
    public let delimiter: UInt8?
    /// Size of the file given.
    public let fileSize: UInt64?
    fileprivate let digest: Digest

    fileprivate enum Digest {
        case whileReading(InputFingerprint)
        case known(String)
    }

    /// The SHA-256 of the file given (for a plain or gzip file: call once it was read to its end).
    public func sha256() -> String {
        switch digest {
        case let .whileReading(fingerprint): return fingerprint.digest()
        case let .known(text): return text
        }
    }

    /// The encoding the outputs of this input have: UTF-8 when nixwash transcoded it, else
    /// that of the input's bytes (`guess`).
    public func outputEncoding(guess: EncodingGuess) -> String { transcodedFrom == nil ? guess.name : "utf-8" }

    /// The encoding of the input as delivered.
    public func inputEncoding(guess: EncodingGuess) -> String { transcodedFrom ?? guess.name }
}

/// Turns the lead lists named on the command line or in a campaign file into inputs: folders
/// and patterns into files, files into their members and sheets.
public enum LeadSources {
    /// Every file the arguments name, in order: a folder is every regular file in it (sorted by
    /// name, hidden files skipped, not recursive); a pattern with `*`, `?` or `[` that is not
    /// itself a file is expanded (sorted) the same way; `-` is standard input. Refuses a file
    /// named twice (the same device and inode, whatever the path) unless `refusingRepeats` is
    /// false (`inspect` only describes files: one given twice harms nothing).
    public static func files(_ arguments: [String], refusingRepeats: Bool = true) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            if argument == "-" {
                files.append(argument)
            } else if isDirectory(argument) {
                let found = try regularFiles(in: argument)
                guard !found.isEmpty else {
                    throw NixWashError.noInputFiles(pattern: argument, reason: "the folder holds no lead lists (no regular file that is not hidden)")
                }
                files += found
            } else if !FileSystem.exists(argument), argument.contains(where: { "*?[".contains($0) }) {
                let matched = try expand(pattern: argument)
                guard !matched.isEmpty else {
                    throw NixWashError.noInputFiles(pattern: argument, reason: "the pattern matches no file")
                }
                files += matched
            } else {
                files.append(argument)
            }
        }
        if refusingRepeats { try refuseRepeats(files) }
        return files
    }

    /// A sheet asked for when no input (of `containers`) is a workbook: the request would be
    /// silently ignored.
    public static func checkSheet(_ sheet: String?, containers: [String], arguments: [String]) throws {
        if let sheet, !containers.contains("xlsx") {
            throw NixWashError.conflictingSettings(source: arguments.joined(separator: ", "), reason: "a sheet ('\(sheet)') was asked for, but no lead list is an xlsx workbook.")
        }
    }

    /// Every input of the lead lists named (`files`, then `open` of each). A sheet asked for
    /// when no input is a workbook is an error: the request would be silently ignored.
    public static func inputs(_ arguments: [String], sheet: String?) throws -> [LeadInput] {
        let inputs = try files(arguments).flatMap { try open($0, sheet: sheet) }
        try checkSheet(sheet, containers: inputs.map(\.container), arguments: arguments)
        return inputs
    }

    /// Opens one file by its content: gzip or plain text; UTF-16 with a byte order mark; a zip
    /// archive (every file member, each its own input; hidden members and macOS's
    /// `__MACOSX/` skipped); an xlsx workbook (every sheet with cells, or only `sheet`).
    public static func open(_ path: String, sheet: String? = nil) throws -> [LeadInput] {
        let fingerprint = InputFingerprint()
        let file = try InputFile(path: path, observer: fingerprint)
        let head = try file.peek(4)
        let compression = file.isGzip ? "gzip" : "none"
        func plain(_ content: ContentSource, transcodedFrom: String?) -> LeadInput {
            LeadInput(name: path, file: path, container: "none", member: nil, sheet: nil, compression: compression,
                      transcodedFrom: transcodedFrom, content: content, delimiter: nil, fileSize: file.compressedSize,
                      digest: .whileReading(fingerprint))
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            guard !file.isGzip, path != "-" else {
                throw NixWashError.unsupportedInput(path: path, reason: "a zip archive \(file.isGzip ? "inside gzip" : "on standard input") cannot be read: give the archive itself by its path.")
            }
            return try openArchive(path, sheet: sheet)
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw NixWashError.unsupportedInput(path: path, reason: "an Excel 97-2003 workbook (.xls), which nixwash does not read. Save it as .xlsx (Excel Workbook) or CSV and rerun.")
        }
        if let utf16 = UTF16Text.transcoding(file, head: head) { return [plain(utf16.content, transcodedFrom: utf16.from)] }
        return [plain(file, transcodedFrom: nil)]
    }

    private static func openArchive(_ path: String, sheet: String?) throws -> [LeadInput] {
        let digest = try SHA256.ofFile(path)
        let archive = try ZipArchive(path: path)
        let size = try SystemFile.openForReading(path).size()
        if Workbook.isWorkbook(archive) {
            let book = try Workbook(archive: archive)
            var sheets = book.sheets
            if let sheet {
                sheets = sheets.filter { $0.name == sheet }
                guard !sheets.isEmpty else { throw NixWashError.noSuchSheet(path: path, sheet: sheet, sheets: book.sheets.map(\.name)) }
            }
            var inputs: [LeadInput] = []
            for s in sheets {
                let name = "\(path):\(s.name)"
                let text = try SheetText(workbook: book, sheet: s, name: name)
                // A sheet without a single value (Excel's empty Sheet2) holds nothing to wash.
                guard try text.prime() || sheet != nil else { continue }
                inputs.append(LeadInput(name: name, file: path, container: "xlsx", member: nil, sheet: s.name, compression: "none",
                                        transcodedFrom: "utf-8", content: text, delimiter: UInt8(ascii: ","), fileSize: size,
                                        digest: .known(digest)))
            }
            guard !inputs.isEmpty else { throw NixWashError.emptyInput(path: path) }
            return inputs
        }
        if archive.members.contains(where: { $0.name == "mimetype" }) && archive.members.contains(where: { $0.name == "content.xml" }) {
            throw NixWashError.unsupportedInput(path: path, reason: "an OpenDocument file (.ods), which nixwash does not read. Save it as .xlsx or CSV and rerun.")
        }
        let members = archive.members.filter { member in
            let base = member.name.split(separator: "/").last.map(String.init) ?? member.name
            return !member.name.hasPrefix("__MACOSX/") && !base.hasPrefix(".")
        }
        guard !members.isEmpty else {
            throw NixWashError.noInputFiles(pattern: path, reason: "the zip archive holds no files")
        }
        return try members.map { member in
            let name = "\(path):\(member.name)"
            let stream = ZipMemberStream(archivePath: path, member: member, name: name)
            let head = try stream.peek(4)
            if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x1F, 0x8B]) {
                throw NixWashError.unsupportedInput(path: name, reason: "an archive, workbook or gzip file inside a zip archive, which nixwash does not open. Unzip the archive and give the files in it.")
            }
            let utf16 = UTF16Text.transcoding(stream, head: head)
            return LeadInput(name: name, file: path, container: "zip", member: member.name, sheet: nil, compression: "none",
                             transcodedFrom: utf16?.from, content: utf16?.content ?? stream, delimiter: nil, fileSize: size, digest: .known(digest))
        }
    }

    /// Refuses inputs that are the same file given twice (found by device and inode before any
    /// is read; `repeatedContent` finds copies by their SHA-256 once they were read).
    static func refuseRepeats(_ files: [String]) throws {
        var seen: [FileSystem.Identity: String] = [:]
        for file in files where file != "-" {
            guard let identity = FileSystem.identity(file) else { continue }  // opening it names the problem
            if let first = seen[identity] {
                throw NixWashError.sameInputTwice(first: first, second: file, how: "the same file: same device and inode")
            }
            seen[identity] = file
        }
    }

    /// The first two inputs from different files with the same SHA-256: copies of one file.
    public static func repeatedContent(_ inputs: [(file: String, sha256: String)]) -> (first: String, second: String)? {
        var seen: [String: String] = [:]
        for input in inputs {
            if let first = seen[input.sha256], first != input.file { return (first, input.file) }
            seen[input.sha256] = input.file
        }
        return nil
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The folder's regular files (links to regular files included), hidden ones skipped,
    /// sorted by name byte for byte.
    private static func regularFiles(in folder: String) throws -> [String] {
        guard let directory = opendir(folder) else {
            throw NixWashError.cannotOpen(path: folder, reason: errnoText())
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard !name.hasPrefix(".") else { continue }
            names.append(name)
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { prefix + $0 }
            .filter(isRegularFile)
    }

    /// A pattern's matches: regular files as they are, folders as their files.
    private static func expand(pattern: String) throws -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        let status = glob(pattern, 0, nil, &matches)
        guard status == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(matches.gl_pathc) {
            guard let p = matches.gl_pathv[i] else { continue }
            paths.append(String(cString: p))
        }
        var files: [String] = []
        for path in paths.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            if isDirectory(path) { files += try regularFiles(in: path) } else if isRegularFile(path) { files.append(path) }
        }
        return files
    }
}

/// One lead list, opened and checked before any output exists: its reader, its first rows
/// (the sample, which becomes the first batch) and the columns chosen from its header and
/// the sample's content.
struct LeadList {
    var reader: CSVReader
    var sample: RecordBatches.Batch
    var roles: ColumnRoles
    var input: LeadInput
    /// The columns whose content is checked on every row: neither washed nor declared.
    var checkedColumns: [Int]
    /// Per phone column: most of its sampled values lost their leading 0 (an Excel export).
    var restoresLeadingZero: [Bool]
    /// The outputs' encoding, as the header and the sample show the input's.
    var outputEncoding: OutputTextEncoding

    /// Rows read from each lead list before its phone columns are chosen: their content finds
    /// phone columns whose names do not say so, and their bytes the encoding of the outputs.
    static let sampleRows = 1000

    /// Opens a lead list, reads its sample (and up to `aheadRows` rows and `aheadBytes` bytes
    /// more, to learn whether the list is that small) and chooses its columns: every phone
    /// column found is washed unless declared; one that is neither washed nor declared refuses
    /// the run.
    init(_ input: LeadInput, configuration c: ScrubConfiguration, content: PhoneContent, leadFields: LeadPhoneFields,
         aheadRows: Int, aheadBytes: Int) throws {
        let path = input.name
        var options = c.csv
        if let delimiter = input.delimiter { options.delimiter = delimiter }
        let reader = try CSVReader(input: input.content, options: options)
        let header = reader.header
        for (column, field) in reader.headerFields.enumerated() {
            switch field.withUnsafeBytes({ content.kind(of: $0) }) {
            case .phoneNumber, .phoneOrIdentityNumber, .phoneNumberInText:
                throw NixWashError.headerHoldsPhoneNumber(path: path, column: column + 1, value: header[column])
            case .other, .identityNumber:
                break
            }
        }
        let steeringNames = Set(OutputColumns.steeringDialer.map(ColumnRoles.canonicalName))
        if let column = header.firstIndex(where: { steeringNames.contains(ColumnRoles.canonicalName($0)) }) {
            throw NixWashError.columnNamedLikeOutput(path: path, column: column + 1, name: header[column])
        }
        let sample = try RecordBatches.readSample(from: reader, rows: Self.sampleRows, aheadRows: aheadRows, aheadBytes: aheadBytes)
        let (counts, nonEmpty) = Self.sampleContent(sample, columns: header.count, content: content)
        let byContent = Self.phoneColumnsByContent(header: header, counts: counts, nonEmpty: nonEmpty)
        // A column of phone numbers whose "name" is empty or a piece of a number: the first line
        // is a lead whose number is missing or broken, not a header.
        for column in byContent {
            let name = reader.headerFields[column]
            if ListReading.isNumberFragment(name) || name.withUnsafeBytes(Blanks.isBlank) {
                throw NixWashError.headerLooksLikeALead(path: path, column: column + 1, value: header[column])
            }
        }
        let roles: ColumnRoles
        do {
            roles = try ColumnRoles.resolve(header: header, path: path, phoneColumns: c.phoneColumns,
                                            notPhoneColumns: c.notPhoneColumns, sourceColumn: c.sourceColumn,
                                            byContent: byContent)
        } catch NixWashError.noPhoneColumn(_, let header) where input.container == "zip" {
            // A README or a price list beside the lead lists: say what to do with the archive.
            throw NixWashError.archiveMemberNotALeadList(path: path, header: header)
        }
        let checked = header.indices.filter { !roles.phoneColumns.contains($0) && !roles.declaredNotPhone.contains($0) }
        let unwashed = checked.filter { counts.holdsPhoneNumbers($0) }
        if !unwashed.isEmpty {
            throw Self.unwashed(unwashed, counts: counts, path: path, header: header, roles: roles)
        }
        if roles.sourceColumn == nil, c.source == nil {
            throw NixWashError.noSource(path: path, header: header)
        }
        var encoding = EncodingGuess()
        for field in reader.headerFields { field.withUnsafeBytes { encoding.observe($0) } }
        for index in 0..<sample.sampledCount {
            let record = sample.record(index)
            for i in 0..<record.count { encoding.observe(record.field(i)) }
        }
        self.reader = reader
        self.sample = sample
        self.roles = roles
        self.input = input
        checkedColumns = checked
        restoresLeadingZero = roles.phoneColumns.map { column in
            leadFields.restoresLeadingZero(sample.fields(column: column, columns: header.count))
        }
        outputEncoding = OutputTextEncoding(input: encoding)
    }

    /// After the whole list was read: refuses it if a checked column turned out to hold phone
    /// numbers after the sample.
    func checkContent(_ counts: ColumnContentCounts) throws {
        let unwashed = checkedColumns.filter { counts.holdsPhoneNumbers($0) }
        if !unwashed.isEmpty {
            throw Self.unwashed(unwashed, counts: counts, path: reader.path, header: reader.header, roles: roles)
        }
    }

    /// What a file's first rows hold, column by column.
    private static func sampleContent(_ sample: RecordBatches.Batch, columns: Int,
                                      content: PhoneContent) -> (counts: ColumnContentCounts, nonEmpty: [UInt64]) {
        var counts = ColumnContentCounts(columns: columns)
        var nonEmpty = [UInt64](repeating: 0, count: columns)
        for index in 0..<sample.sampledCount {
            let record = sample.record(index)
            guard record.problem == nil, record.count == columns else { continue }
            for column in 0..<columns {
                let field = record.field(column)
                guard !Blanks.isBlank(field) else { continue }
                nonEmpty[column] += 1
                counts.count(content.kind(of: field), column: column, line: record.line)
            }
        }
        return (counts, nonEmpty)
    }

    /// The columns whose sampled values are mostly whole phone numbers, their names not
    /// saying so (`inspect` shows the same).
    static func phoneColumnsByContent(header: [String], counts: ColumnContentCounts, nonEmpty: [UInt64]) -> [Int] {
        header.indices.filter { column in
            !ColumnRoles.isPhoneName(header[column]) && counts.holdsPhoneNumbers(column)
                && counts.phoneNumbers[column] * 2 > nonEmpty[column]
        }
    }

    private static func unwashed(_ columns: [Int], counts: ColumnContentCounts, path: String, header: [String],
                                 roles: ColumnRoles) -> NixWashError {
        .unwashedPhoneColumns(
            path: path,
            columns: columns.map { column in
                let whole = counts.wholePhoneNumbers(column)
                return UnwashedColumn(name: ColumnRoles.displayName(of: column, header: header),
                                      foundBy: whole.count > 0 ? .numbers(count: whole.count, firstLine: whole.firstLine)
                                          : .numbersInText(count: counts.numbersInText[column], firstLine: counts.firstTextLine[column]))
            },
            washed: roles.phoneColumns.map { ColumnRoles.displayName(of: $0, header: header) })
    }
}
