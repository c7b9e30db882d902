import Foundation

/// How a failure maps onto the exit codes of SPEC section 4.
public enum FailureKind: Sendable {
    /// I/O, corrupt or truncated input, corrupt index: exit 1.
    case runtime
    /// Stale register, no-call day: exit 3.
    case compliance
    /// Usage or configuration error: exit 64.
    case usage
}

/// Every error the library reports. Each message names the file (and line and column where
/// they apply) and says what the user can do about it.
public enum NixWashError: LocalizedError, Equatable {
    // MARK: Files and streams
    case cannotOpen(path: String, reason: String)
    case notARegularFile(path: String)
    case readFailed(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    case corruptGzip(path: String, offset: UInt64, reason: String)
    case truncatedGzip(path: String, offset: UInt64)
    case trailingGarbage(path: String, offset: UInt64)
    case outputExists(path: String)
    /// An output file that is only ever written new (a rejects file) already exists.
    case outputFileExists(path: String)
    /// An output that would be written over an input of the run, or over another output.
    case outputIsInput(output: String, input: String)
    /// An output folder to replace that no run of this kind wrote (it lacks `marker`), or a file.
    case replacedNotAnOutputFolder(path: String, isFolder: Bool, marker: String)
    /// An output folder to replace that is, or holds, an input of the run.
    case replacedFolderHoldsInput(folder: String, input: String, isTheInput: Bool)
    /// The output folder's parent is not a folder that exists (nixwash does not create it, so
    /// that a mistyped path is an error rather than a new tree of folders).
    case outputParentMissing(path: String, parent: String)

    // MARK: CSV
    case emptyInput(path: String)
    case headerOnly(path: String)
    case binaryInput(path: String, offset: UInt64)
    case unterminatedQuote(path: String, line: UInt64)
    case recordTooLarge(path: String, line: UInt64, limit: Int)
    case missingColumn(path: String, column: String, header: [String])
    case noPhoneColumn(path: String, header: [String])
    /// A header field that is a phone number: the file most likely has no header line, and its
    /// first lead would be read as column names and written out unwashed.
    case headerHoldsPhoneNumber(path: String, column: Int, value: String)
    /// A column that holds phone numbers under an empty name or a piece of a number: the first
    /// line is most likely a lead whose number is missing or broken.
    case headerLooksLikeALead(path: String, column: Int, value: String)
    /// A lead column named like a column the wash appends for the dialer (`not_before`): the
    /// callable list would have two, and a dialer could read the lead's.
    case columnNamedLikeOutput(path: String, column: Int, name: String)
    /// A column declared not to hold numbers to call by a name the header has more than once:
    /// which of them the user meant cannot be told, and each one declared is left unwashed.
    case declaredColumnAmbiguous(path: String, name: String, columns: [String])
    /// Columns that hold phone numbers (by name or content) but are neither washed nor
    /// declared not to be called; `washed` are the phone columns the run has.
    case unwashedPhoneColumns(path: String, columns: [UnwashedColumn], washed: [String])
    /// More malformed rows than the run allows: a wrong dialect or encoding, a broken export.
    case tooManyMalformedRows(path: String, malformed: UInt64, rows: UInt64, maxShare: Double, firstLines: [UInt64],
                              causes: MalformedRowCauses)

    // MARK: Inputs (containers, encodings, lists of inputs)
    /// Text that is not valid in the encoding its byte order mark names.
    case invalidText(path: String, offset: UInt64, reason: String)
    /// A zip archive or workbook that cannot be read to its end.
    case damagedArchive(path: String, reason: String)
    /// A kind of file nixwash does not read (an .xls, an .ods, a zip on standard input).
    case unsupportedInput(path: String, reason: String)
    /// A sheet asked for by name that the workbook does not have.
    case noSuchSheet(path: String, sheet: String, sheets: [String])
    /// A folder with no lead lists in it, or a pattern that matches no file.
    case noInputFiles(pattern: String, reason: String)
    /// A name the run writes into the outputs of a list (`what`: the source, a label) that the
    /// outputs' encoding, the list's own, cannot hold.
    case textNotInOutputEncoding(path: String, encoding: String, what: String, text: String)
    /// The same file given twice (`how`: same device and inode, or same SHA-256).
    case sameInputTwice(first: String, second: String, how: String)

    // MARK: Configuration
    /// A campaign file that is not a JSON object, has an unknown key, or a value a key does not allow.
    case invalidCampaignFile(path: String, reason: String)
    /// Settings a scrub needs that neither an option nor the campaign file gave (`source`: where they were looked for).
    case missingSettings(source: String, missing: [String])
    /// Settings that contradict each other, or one that would be silently ignored.
    case conflictingSettings(source: String, reason: String)
    /// An attempt-log field read from a column and also given one value for the whole file
    /// (`headerColumn`: the column the log has for it by its usual name; nil when named by the user).
    case attemptLogFieldTwice(path: String, field: String, headerColumn: String?, value: String)
    /// Two or more columns of an attempt log have a usual name of the same field.
    case attemptLogFieldAmbiguous(path: String, field: String, headerColumns: [String])
    /// A register or list given on standard input: its checksum could not be recorded.
    case listFromStandardInput(path: String)
    /// An index label longer than the format holds.
    case indexLabelTooLong(path: String, limit: Int)
    /// More numbers or source files than the index format holds.
    case indexTooLarge(path: String, reason: String)
    /// A signing or verifying key that is not a PEM Ed25519 key.
    case invalidSigningKey(path: String, reason: String)
    /// libcrypto failed to sign with a key it had loaded.
    case signingFailed(path: String, reason: String)
    /// An index of the other kind where a NIX index (`wantedNix`) or a block-list index was asked for.
    case indexKindMismatch(path: String, wantedNix: Bool)
    /// An index whose national numbers were read as another country's than the run reads
    /// its numbers as: `0701234567` would be +47… in one and +46… in the other, never meeting.
    case indexCountryMismatch(path: String, index: PhoneCountry, reading: PhoneCountry)
    /// A NIX index built without a register date: its freshness cannot be checked.
    case registerDateMissing(path: String)
    /// More block lists than a run takes.
    case tooManyBlockLists(count: Int, limit: Int)
    /// `nix_mode: consent_only` without a consent list.
    case consentListMissing(profile: String)
    /// The bench tool's own arguments.
    case invalidSetting(source: String, reason: String)

    // MARK: Earlier runs (recheck, sources)
    /// A folder (or its report) that is not the output of a nixwash scrub; `reason` says why.
    case notAScrubRun(path: String, reason: String)
    /// A recheck for another campaign, offer or contact centre (`field`) than the run was washed for.
    case recheckContextDiffers(path: String, field: String, earlier: String, now: String)
    /// A callable list that does not end in the columns a scrub appends.
    case notACallableList(path: String, columns: [String])
    /// A callable list whose SHA-256 is not the one the run's report recorded.
    case callableListChanged(path: String, digest: String, recorded: String)
    /// A recheck asked to write into the folder of the run it rechecks.
    case outputIsRunFolder(path: String)
    /// A run folder given twice to one sources report.
    case runGivenTwice(path: String)

    // MARK: Rules
    /// A rule profile file that is not valid JSON (`key` nil), or whose `key` is unknown or
    /// has a value the rules do not allow.
    case invalidRuleProfile(path: String, key: String?, reason: String)
    /// The call date is a day on which no attempts may be made; `day` names it.
    case noCallDay(date: LocalDate, day: String)
    /// The call date is after the last day the NIX register `register` may be used.
    case staleRegister(register: String, registerName: String, registerDate: LocalDate, validThrough: LocalDate,
                       months: Int, callDate: LocalDate)
    /// A recheck for a call date after the earlier run's NIX register stopped being valid.
    case recheckNeedsFullWash(run: String, registerName: String, registerDate: LocalDate, validThrough: LocalDate, callDate: LocalDate)

    // MARK: Index
    case notAnIndex(path: String)
    case indexVersion(path: String, found: UInt32, supported: UInt32)
    case indexTruncated(path: String, size: UInt64, expected: UInt64)
    case indexCorrupt(path: String, reason: String)
    /// A line of a register, block list, customer or consent list that cannot be read, beyond
    /// the `allowed` unreadable lines a register read may let through.
    case unreadableListLine(path: String, line: UInt64, column: String, value: String, reason: String,
                            list: ListRole, allowed: UInt64)
    case noNumberColumn(path: String, header: [String], list: ListRole)
    /// A customer list without an agreement-end column, or a consent list without a date column.
    case noListDateColumn(path: String, header: [String], list: ListRole)

    // MARK: History
    case historyDatabase(path: String, reason: String)
    case historyNotFound(path: String)
    /// A history into which no log was ever imported (an import into a new file that failed or
    /// was stopped leaves one): taken as "no attempts", every quota would be full.
    case historyNeverImported(path: String)
    case historyBusy(path: String)
    case notAHistoryDatabase(path: String)
    case historySchemaTooNew(path: String, version: Int64, supported: Int64)
    /// A PostgreSQL history server that cannot be reached (refused, unknown host, no such database).
    case historyServerUnavailable(location: String, reason: String)
    /// A PostgreSQL history server that refused the user or password.
    case historyServerAuthentication(location: String, reason: String)
    /// The connection to the PostgreSQL history server broke during the run.
    case historyServerLost(location: String, reason: String)
    /// A log row that cannot be imported, beyond the bad rows the user lets through (none by default).
    case tooManyBadRows(path: String, bad: Int, limit: Int, first: HistoryBadRow)
    /// `history copy`: an attempt of the source that the target cannot store (`attempt`: its
    /// position in the source's order).
    case uncopyableAttempt(from: String, to: String, attempt: HistoryBadRow)
    /// A purge whose cut-off would remove attempts that a rule still reads, or lies in the future.
    case purgeRefused(path: String, reason: String)
    case noAttemptLogColumn(path: String, field: String, header: [String])
    /// The run's campaign, offer or contact centre (`field`) has no attempts in the history,
    /// but names that differ from it only in case, spaces or dashes do.
    case nearHistoryName(path: String, field: String, given: String, givenAttempts: Int, near: [String], attempts: [Int])
    /// The history's newest attempt (nil: it has none) is older than the run allows.
    case staleHistory(path: String, newestAttempt: String?, age: String?, maxAge: String)

    // MARK: Scrub
    /// A lead list with no address-source column, and no source given for the run.
    case noSource(path: String, header: [String])
    /// A row whose source column is empty, and no source given for such rows.
    case rowWithoutSource(path: String, line: UInt64, column: String)
    /// A member of a zip archive with no phone column: most likely not a lead list.
    case archiveMemberNotALeadList(path: String, header: [String])
    /// The counts do not add up: a bug, never a result to hand a dialer.
    case accountingBroken(detail: String)

    // MARK: Reliability
    /// Standard output, which holds a command's result (inspect, explain, stats), could not be
    /// written: a full disk behind a redirect, `/dev/full`.
    case standardOutputFailed(reason: String)

    public var kind: FailureKind {
        switch self {
        case .invalidCampaignFile, .missingSettings, .conflictingSettings, .attemptLogFieldTwice, .attemptLogFieldAmbiguous, .listFromStandardInput,
             .indexLabelTooLong, .indexTooLarge, .invalidSigningKey, .invalidSetting,
             .indexKindMismatch, .indexCountryMismatch, .registerDateMissing, .tooManyBlockLists, .consentListMissing,
             .notAScrubRun, .recheckContextDiffers, .notACallableList, .callableListChanged, .outputIsRunFolder, .runGivenTwice,
             .missingColumn, .noPhoneColumn, .headerHoldsPhoneNumber, .headerLooksLikeALead, .columnNamedLikeOutput, .declaredColumnAmbiguous, .textNotInOutputEncoding, .outputExists, .outputFileExists, .outputIsInput, .replacedNotAnOutputFolder, .replacedFolderHoldsInput, .outputParentMissing, .invalidRuleProfile, .noNumberColumn,
             .noListDateColumn, .historyNotFound, .historyNeverImported, .notAHistoryDatabase, .noAttemptLogColumn, .noSource, .rowWithoutSource, .archiveMemberNotALeadList,
             .unwashedPhoneColumns, .nearHistoryName, .purgeRefused, .unsupportedInput, .noSuchSheet, .noInputFiles, .sameInputTwice:
            return .usage
        case .noCallDay, .staleRegister, .recheckNeedsFullWash, .staleHistory:
            return .compliance
        case .cannotOpen, .notARegularFile, .readFailed, .writeFailed, .corruptGzip, .truncatedGzip, .trailingGarbage,
             .emptyInput, .headerOnly, .binaryInput, .unterminatedQuote, .recordTooLarge, .tooManyMalformedRows,
             .invalidText, .damagedArchive, .signingFailed,
             .notAnIndex, .indexVersion, .indexTruncated, .indexCorrupt, .unreadableListLine,
             .historyDatabase, .historyBusy, .historySchemaTooNew, .historyServerUnavailable, .historyServerAuthentication,
             .historyServerLost, .tooManyBadRows, .uncopyableAttempt, .accountingBroken, .standardOutputFailed:
            return .runtime
        }
    }

    /// Header names for a message: a binary file read as text has control characters (which
    /// would drive the terminal) and huge "names"; both are tamed so the message stays readable.
    static func listed(_ header: [String]) -> String {
        let maxNames = 30, maxLength = 40
        var names = header.prefix(maxNames).map { name -> String in
            var out = ""
            for scalar in name.unicodeScalars.prefix(maxLength) {
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            return name.unicodeScalars.count > maxLength ? out + "…" : out
        }
        if header.count > maxNames { names.append("… and \(header.count - maxNames) more") }
        return names.joined(separator: ", ")
    }

    /// A share as given and in percent: `0.01 (1 %)`.
    static func share(_ share: Double) -> String {
        String(format: "%g (%g %%)", share, share * 100)
    }

    public var errorDescription: String? { message(naming: \.description) }

    /// The message, with each setting it tells the user to change called by `name`: the CLI
    /// names its options, so that the library never spells a flag.
    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open: \(reason). Check the path and its permissions."
        case let .notARegularFile(path):
            return "\(path): is a directory or device, not a file. Give the path of a file."
        case let .readFailed(path, reason):
            return "\(path): read failed: \(reason). Check the disk and rerun."
        case let .writeFailed(path, reason):
            return "\(path): write failed: \(reason). Free disk space or fix permissions and rerun; no output was left in place."
        case let .corruptGzip(path, offset, reason):
            return "\(path): corrupt gzip data at byte \(offset) of the file (\(reason)). Ask the sender for a new copy; `gzip -t` confirms the damage."
        case let .truncatedGzip(path, offset):
            return "\(path): gzip stream ends early at byte \(offset) of the file: the file is truncated. Ask the sender for a complete copy."
        case let .trailingGarbage(path, offset):
            return "\(path): data that is not gzip follows the last gzip member at byte \(offset) of the file. Ask the sender for a clean copy."
        case let .textNotInOutputEncoding(path, encoding, what, text):
            let foreign = String(text.unicodeScalars.filter { $0.value >= 0x100 }.map(Character.init))
            return "\(path): the list is \(encoding), so its outputs are written in \(encoding) too, but \(what) '\(text)' has characters \(encoding) cannot hold ('\(foreign)'); they would be written as '?'. Write it in \(encoding) characters, or save the list as UTF-8 (its outputs are then UTF-8)."
        case let .outputIsInput(output, input):
            let also = output == input ? "it is also" : "it is the same file as \(input),"
            return "\(output): given as an output, but \(also) an input or another output of this run; writing it would destroy that file. Give the output another path."
        case let .replacedNotAnOutputFolder(path, isFolder, marker):
            let what = isFolder ? "a folder that holds no \(marker), so no nixwash run of this kind wrote it" : "a file, not an output folder"
            return "\(path): is \(what); replacing it would remove it. Choose another output folder."
        case let .replacedFolderHoldsInput(folder, input, isTheInput):
            return "\(folder): the output folder to replace \(isTheInput ? "is" : "holds") \(input), an input of this run; replacing it would remove that input. Choose another output folder."
        case let .outputFileExists(path):
            return "\(path): already exists, and this file is only ever written new. Give another path or remove it first."
        case let .outputExists(path):
            return "\(path): already exists. Choose another output folder or remove it first."
        case let .outputParentMissing(path, parent):
            return "\(path): the output folder's parent folder '\(parent)' does not exist. Create it first (mkdir -p '\(parent)') or choose another output folder."
        case let .emptyInput(path):
            return "\(path): the file is empty: there is no header and no data. Check that the delivery is complete."
        case let .headerOnly(path):
            return "\(path): the file has a header line but no data rows. Check that the delivery is complete."
        case let .binaryInput(path, offset):
            return "\(path): byte \(offset) is a NUL byte: this is binary data, not a CSV text file. Check that you gave the right file."
        case let .unterminatedQuote(path, line):
            return "\(path):\(line): a quoted field opened on line \(line) is never closed. Fix the quote on that line (or quote the field properly) and rerun."
        case let .recordTooLarge(path, line, limit):
            return "\(path):\(line): the record starting on line \(line) is larger than \(limit) bytes, most likely a quote that is never closed. Fix that line, or raise the limit with \(name(.maxRecordSize))."
        case let .missingColumn(path, column, header):
            // Names are matched exactly: say which one differs only in case or surrounding spaces.
            func folded(_ name: String) -> String { name.trimmingCharacters(in: .whitespaces).lowercased() }
            let near = header.filter { folded($0) == folded(column) }
            let hint = near.isEmpty ? "" : " Did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))? Give the name exactly as the header writes it."
            return "\(path): no column named '\(column)'. The header has: \(Self.listed(header)).\(hint)"
        case let .noPhoneColumn(path, header):
            let oneColumn = header.count == 1 ? " The header is a single column: the file seems delimited by something other than , ; tab or |, which nixwash reads; export it with one of those, or give it with \(name(.delimiter)) if the wrong one was detected." : ""
            return "\(path): no column looks like a phone number column. The header has: \(Self.listed(header)). Name the column with \(name(.phoneColumn)).\(oneColumn)"
        case let .headerHoldsPhoneNumber(path, column, value):
            return "\(path): line 1, column \(column) is the phone number '\(Self.listed([value]))', so the file seems to have no header line. Its first lead would be read as column names and reach the outputs unwashed. Add a header line that names the columns (for example telefon) and rerun."
        case let .headerLooksLikeALead(path, column, value):
            return "\(path): column \(column) holds phone numbers, but its name on line 1 is \(value.isEmpty ? "empty" : "'\(Self.listed([value]))', a piece of a number"), so the file seems to have no header line: its first lead would be read as column names and reach the outputs unwashed. Add a header line that names the columns (for example telefon) and rerun."
        case let .columnNamedLikeOutput(path, column, header):
            return "\(path): column \(column) is named '\(Self.listed([header]))', like a column that the wash appends to every callable row for the dialer. The callable list would have two of them, and a dialer could read the old one (this looks like the output of an earlier wash). Remove or rename the column and rerun."
        case let .declaredColumnAmbiguous(path, declared, columns):
            return "\(path): \(name(.notPhoneColumn)) '\(declared)' names \(columns.count) columns (\(columns.map { "'\($0)'" }.joined(separator: ", "))), and a declared column is not washed. Declare each one you mean by its place, as \(columns.map { "\(name(.notPhoneColumn)) '\($0)'" }.joined(separator: " "))."
        case let .unwashedPhoneColumns(path, columns, washed):
            let found = columns.map { column -> String in
                switch column.foundBy {
                case .name: return "'\(column.name)' (its name is a phone column name)"
                case .content: return "'\(column.name)' (most of its first rows are phone numbers)"
                case let .numbers(count, firstLine): return "'\(column.name)' (\(count == 1 ? "1 of its fields is a phone number, on" : "\(count) of its fields are phone numbers, the first on") line \(firstLine))"
                case let .numbersInText(count, firstLine): return "'\(column.name)' (\(count) of its fields have a phone number inside their text, the first on line \(firstLine))"
                }
            }
            let inText = columns.contains { if case .numbersInText = $0.foundBy { return true } else { return false } }
            let all = (washed + columns.map(\.name)).map { "\(name(.phoneColumn)) '\($0)'" }.joined(separator: " ")
            let declare = columns.map { "\(name(.notPhoneColumn)) '\($0.name)'" }.joined(separator: " ")
            return "\(path): \(columns.count == 1 ? "column" : "columns") \(found.joined(separator: ", ")) \(columns.count == 1 ? "holds" : "hold") phone numbers but \(columns.count == 1 ? "is" : "are") not washed; nothing was published. Wash \(columns.count == 1 ? "it" : "them") by naming every phone column (\(all); campaign file key phone_columns), or declare that \(columns.count == 1 ? "it holds" : "they hold") no number to call (\(declare); campaign file key not_phone_columns).\(inText ? " Named as a phone column, a text that is not one phone number is rejected (invalid_number) and emptied in the callable row; or take the numbers out of the texts." : "")"
        case let .tooManyMalformedRows(path, malformed, rows, maxShare, firstLines, causes):
            let share = rows == 0 ? 0 : Double(malformed) * 100 / Double(rows)
            let lines = firstLines.map(String.init).joined(separator: ", ")
            return "\(path): \(malformed) of \(rows) rows (\(String(format: "%.2f", share)) %) are malformed, more than \(name(.maxMalformedShare)) \(Self.share(maxShare)) allows (the first on lines \(lines)); nothing was published. Likely cause: \(causes.text(naming: name)). Fix the delivery or the reading options and rerun, or raise \(name(.maxMalformedShare)) to wash the readable rows."
        case let .rowWithoutSource(path, line, column):
            return "\(path): line \(line): the source column '\(column)' is empty, and no source is given for such rows. Every callable number must carry its source, so that an agent can tell the consumer where the number came from (the file name is no answer). Fill in the row's source, or give the source of rows without one with \(name(.source))."
        case let .noSource(path, header):
            return "\(path): no address-source column (e.g. källa, source) in the header (\(Self.listed(header))). Every callable number must carry its source: name the column with \(name(.sourceColumn)) or give the source of the whole file with \(name(.source))."
        case let .accountingBroken(detail):
            return "the accounting does not balance (\(detail)); no output was written. This is a bug in nixwash: please report it with the inputs."
        case let .invalidText(path, offset, reason):
            return "\(path): byte \(offset) of the text: \(reason). Ask the sender for a new copy, or export the list again."
        case let .damagedArchive(path, reason):
            return "\(path): \(reason). Ask the sender for a new copy; `unzip -t` shows the damage."
        case let .unsupportedInput(path, reason):
            return "\(path): \(reason)"
        case let .noSuchSheet(path, sheet, sheets):
            let near = sheets.first { $0.lowercased() == sheet.lowercased() }.map { " Did you mean '\($0)'? Sheet names are compared exactly." } ?? ""
            return "\(path): the workbook has no sheet named '\(sheet)'. Its sheets: \(Self.listed(sheets)).\(near)"
        case let .noInputFiles(pattern, reason):
            return "\(pattern): \(reason). Check the path, or give the lead lists by name."
        case let .sameInputTwice(first, second, how):
            return "\(second): is the same file as \(first) (\(how)); washed twice, its leads would be counted twice. Give each lead list once."
        case let .invalidSetting(source, reason), let .invalidCampaignFile(source, reason), let .conflictingSettings(source, reason),
             let .indexTooLarge(source, reason), let .invalidSigningKey(source, reason), let .signingFailed(source, reason),
             let .notAScrubRun(source, reason):
            return "\(source): \(reason)"
        case let .indexCountryMismatch(path, index, reading):
            func called(_ country: PhoneCountry) -> String { "\(country.englishName) (+\(country.callingCode))" }
            return "\(path): the index read numbers written without a country code as numbers of \(called(index)), and this run reads them as numbers of \(called(reading)): the same number written 070… in both would never match, and a listed number would be called. Give \(name(.defaultCountry)) \(index.rawValue) if the lists and leads are of \(index.englishName), or build the index again from its files, read as numbers of \(reading.englishName)."
        case let .indexKindMismatch(path, wantedNix):
            return wantedNix
                ? "\(path): is a block-list index, not a NIX register index. Give the NIX index with \(name(.nixIndex)) and block lists with \(name(.blockIndexes))."
                : "\(path): is a NIX register index, not a block-list index. Give it with \(name(.nixIndex))."
        case let .registerDateMissing(path):
            return "\(path): the NIX index has no register date, so its freshness cannot be checked. Build it again with the register's date (`nixwash index build`, whose help names the option)."
        case let .tooManyBlockLists(count, limit):
            return "\(name(.blockIndexes)): at most \(limit) block lists per run (\(count) given)."
        case let .consentListMissing(profile):
            return "\(profile): nix_mode is consent_only, so only numbers with a consent may be called, but no consent list was given. Give the consent list (number, consent date) with \(name(.consentList)) and rerun."
        case let .missingSettings(source, missing):
            return "\(source): \(missing.count) required setting\(missing.count == 1 ? " is" : "s are") missing:\n"
                + missing.map { "  - " + $0 }.joined(separator: "\n")
                + "\nGive each as an option, or set its key in the campaign file."
        case let .attemptLogFieldTwice(path, field, headerColumn, value):
            let column = name(.attemptLogColumn), fixed = name(.attemptLogValue)
            guard let headerColumn else {
                return "\(path): the field \(field) is given both a column (\(column)) and one value (\(fixed)); give one of them."
            }
            return "\(path): the log has a column '\(headerColumn)' for \(field), and \(fixed) \(field)=\(value) gives one value for the whole file; which is right cannot be told. Drop \(fixed) \(field), or import this log without it."
        case let .attemptLogFieldAmbiguous(path, field, headerColumns):
            return "\(path): the columns \(headerColumns.map { "'\($0)'" }.joined(separator: " and ")) could each be the attempt log field \(field); which one is cannot be told. Name the right one, as written here, with \(name(.attemptLogColumn)) \(field)=COLUMN."
        case let .listFromStandardInput(path):
            return "\(path): a register or list must be a file, not standard input, so that its checksum can be recorded. Save it to a file first."
        case let .indexLabelTooLong(path, limit):
            return "\(path): the label is longer than \(limit) bytes. Give a shorter \(name(.indexLabel))."
        case let .recheckContextDiffers(path, field, earlier, now):
            return "\(path): was washed for the \(field) '\(earlier)', this recheck is for '\(now)'. Recheck with the run's own campaign, offer and contact centre."
        case let .notACallableList(path, columns):
            return "\(path): does not end in the columns a scrub appends (\(columns.joined(separator: ", "))): it is not a callable list as nixwash wrote it."
        case let .callableListChanged(path, digest, recorded):
            return "\(path): has changed since the scrub wrote it (SHA-256 \(digest), report.json records \(recorded)), so it is not the list the dialer got from that run. Wash the list again with a scrub (`nixwash audit verify` shows what changed)."
        case let .outputIsRunFolder(path):
            return "\(path): is the folder of the run being rechecked; a recheck writes into a new folder. Choose another output folder."
        case let .runGivenTwice(path):
            return "\(path): is given twice; each run counts once. Name each run folder once."
        case let .archiveMemberNotALeadList(path, header):
            return "\(path): this member of the archive has no column that is named or filled like a phone column (the header has: \(Self.listed(header))), so it seems not to be a lead list. Take it out of the archive and rerun, or, if it is one, name its phone column with \(name(.phoneColumn))."
        case let .invalidRuleProfile(path, key, reason):
            let subject = key.map { "\(path): key '\($0)'" } ?? path
            return "\(subject): \(reason). Fix the rule profile (its keys are described in docs/rule-profile.md) and rerun."
        case let .noCallDay(date, day):
            return "\(date) is \(day): no telephone sales calls may be made that day. Choose another call date."
        case let .staleRegister(register, registerName, registerDate, validThrough, months, callDate):
            return "\(register): the register \(registerName) is dated \(registerDate) and may be used for \(months) month\(months == 1 ? "" : "s"), through \(validThrough); the call date \(callDate) is later. Get the current register, rebuild its index and rerun."
        case let .recheckNeedsFullWash(run, registerName, registerDate, validThrough, callDate):
            return "\(run): this run was washed against the register \(registerName) of \(registerDate), valid through \(validThrough); a recheck for \(callDate) cannot extend that. A full wash is needed: scrub the lead lists again with the current register."
        case let .notAnIndex(path):
            return "\(path): not a nixwash index (wrong magic bytes at the start of the file). Give a file written by `nixwash index build`."
        case let .indexVersion(path, found, supported):
            return "\(path): index format version \(found), but this nixwash reads version \(supported). Rebuild the index from the register with this version's `nixwash index build`."
        case let .indexTruncated(path, size, expected):
            return "\(path): the index is truncated: the file has \(size) bytes, its header says \(expected). Rebuild it with `nixwash index build` or restore it from a backup."
        case let .indexCorrupt(path, reason):
            return "\(path): the index is corrupt: \(reason). Rebuild it with `nixwash index build` or restore it from a backup."
        case let .unreadableListLine(path, line, column, value, reason, list, allowed):
            let what = value.isEmpty ? reason : "'\(value)' is not a phone number (\(reason))"
            let limit = allowed == 0 ? "" : " This is one more unreadable line than the \(allowed) that \(name(.maxInvalidLines)) lets through."
            switch list {
            case .register:
                return "\(path):\(line): column '\(column)': \(what); nothing was written.\(limit) Fix or remove the line, or name the number column with \(name(.registerNumberColumn)); to build anyway, let such lines through with \(name(.maxInvalidLines)) N \(name(.invalidLinesFile)) FILE (they are written to FILE and counted in `nixwash index info`)."
            case .customers:
                return "\(path):\(line): column '\(column)': \(what). Fix the line in the customer list, or name its columns with \(name(.customerNumberColumn)), \(name(.agreementEndColumn)) and \(name(.categoryColumn)) (campaign file: customer_number_column, agreement_end_column, category_column), and rerun."
            case .consents:
                return "\(path):\(line): column '\(column)': \(what). Fix the line in the consent list, or name its columns with \(name(.consentNumberColumn)) and \(name(.consentDateColumn)) (campaign file: consent_number_column, consent_date_column), and rerun."
            }
        case let .noNumberColumn(path, header, list):
            let option: String
            switch list {
            case .register: option = "\(name(.registerNumberColumn))"
            case .customers: option = "\(name(.customerNumberColumn)) (campaign file: customer_number_column)"
            case .consents: option = "\(name(.consentNumberColumn)) (campaign file: consent_number_column)"
            }
            return "\(path): the first line is not a phone number and no column has a number name (number, nummer, telefon, phone, tel, mobil, ...). The header has: \(Self.listed(header)). Name the column with \(option)."
        case let .noListDateColumn(path, header, list):
            let (what, names, option) = list == .consents
                ? ("consent date", "consent_date, samtycke, datum, ...", "\(name(.consentDateColumn)) (campaign file: consent_date_column)")
                : ("agreement end", "agreement_end, avtalsslut, slutdatum, ...", "\(name(.agreementEndColumn)) (campaign file: agreement_end_column)")
            return "\(path): no \(what) column (\(names)). The header has: \(Self.listed(header)). Name the column with \(option)."
        case let .historyDatabase(path, reason):
            return "\(path): contact history database error: \(reason). Check the disk and the file's permissions and rerun; an import that failed was rolled back and changed nothing."
        case let .historyServerUnavailable(location, reason):
            return "\(location): cannot connect to the PostgreSQL contact history: \(reason). Check that the server runs and that the host, port and database in the URL are right, then rerun. Nothing was changed."
        case let .historyServerAuthentication(location, reason):
            return "\(location): the PostgreSQL server refused the login: \(reason). Check the user in the URL and the password in ~/.pgpass (or PGPASSFILE, PGPASSWORD), then rerun. Nothing was changed."
        case let .historyServerLost(location, reason):
            return "\(location): the connection to the PostgreSQL contact history was lost: \(reason). Nothing of this run was kept (an import is rolled back whole); rerun when the server is back."
        case let .historyBusy(path):
            return "\(path): another nixwash is writing to this contact history (an import or a purge) and did not finish within 10 seconds. Rerun when it is done."
        case let .historyNeverImported(path):
            return "\(path): no dialer log was ever imported into this contact history (an import into it failed or was stopped), so it says nothing about the attempts made. Import the dialer logs into it, or give the history that holds them."
        case let .historyNotFound(path):
            return "\(path): no contact history database here. Create one with `nixwash history import \(name(.historyImportDatabase)) \(path) LOG...`, or correct the path."
        case let .notAHistoryDatabase(path):
            return "\(path): not a nixwash contact history (it has no attempts table). Give the path of a history database, or a new path to create one."
        case let .historySchemaTooNew(path, version, supported):
            return "\(path): the contact history was written by a newer nixwash (schema version \(version); this one reads up to \(supported)). Use a newer nixwash."
        case let .uncopyableAttempt(from, to, attempt):
            var value = ""
            if let column = attempt.column { value += " (\(column)" + (attempt.value.map { " '\($0)'" } ?? "") + ")" }
            return "\(from): attempt \(attempt.line) in its order\(value) cannot be stored in \(to): \(attempt.reason.rawValue): \(attempt.detail). Nothing was copied: a copy takes every attempt or none. Correct or purge that attempt in \(from), then copy again."
        case let .tooManyBadRows(path, bad, limit, first):
            var place = "line \(first.line)"
            if let column = first.column { place += ", column '\(column)'" }
            if let value = first.value { place += ", value '\(value)'" }
            let fault = "\(place): \(first.reason.rawValue): \(first.detail)"
            if limit == 0 {
                return "\(path): \(fault). Nothing was imported: an import takes every row of its logs or none. Fix the row, or let bad rows through with \(name(.maxBadRows)) N and \(name(.badRowsFile)) FILE (they are written there and counted in `history stats`)."
            }
            return "\(path): \(bad) bad rows, more than \(name(.maxBadRows)) \(limit) allows (the first on \(fault)); nothing was imported. Fix the log, or raise \(name(.maxBadRows))."
        case let .purgeRefused(path, reason):
            return "\(path): purge refused: \(reason)"
        case let .standardOutputFailed(reason):
            return "standard output: write failed: \(reason). Free disk space or fix the redirect and rerun."
        case let .nearHistoryName(path, field, given, givenAttempts, near, attempts):
            let option = field == "campaign" ? "\(name(.campaign)) (campaign file: campaign)"
                : field == "offer" ? "\(name(.offer)) (campaign file: offer)" : "\(name(.contactCentre)) (campaign file: contact_centre)"
            let listed = zip(near, attempts).map { "'\($0)' (\($1) attempts)" }.joined(separator: ", ")
            if givenAttempts > 0 {
                return "\(path): the contact history has attempts for the \(field) '\(given)' (\(givenAttempts)) and for \(listed), spellings that differ only in case, spacing or dashes. If they are one \(field), its attempts are split and each spelling's quotas count short; which is meant cannot be told. Import the dialer logs again, each name written one way, into a new history, and run against that."
            }
            return "\(path): the contact history has no attempts for the \(field) '\(given)', but it has some for \(listed). Did you mean '\(near[0])'? Names are matched exactly, so under '\(given)' those attempts would count for no quota. Give the \(field) exactly as the history writes it with \(option) and rerun."
        case let .staleHistory(path, newestAttempt, age, maxAge):
            let newest = newestAttempt.map { "its newest attempt is from \($0), \(age ?? "?") ago" } ?? "it holds no attempts at all"
            return "\(path): the contact history is not current: \(newest), and the run allows at most \(maxAge) (\(name(.historyMaxAge)), campaign file: history_max_age). Import the latest dialer log with `nixwash history import` and rerun."
        case let .noAttemptLogColumn(path, field, header):
            let settable = AttemptLogColumns.Field(rawValue: field).map(AttemptLogColumns.settableFields.contains) ?? false
            return "\(path): no column for the attempt log field '\(field)'. The header has: \(Self.listed(header)). Name it with \(name(.attemptLogColumn)) \(field)=HEADER\(settable ? ", or give one value for the whole file with \(name(.attemptLogValue)) \(field)=VALUE" : "")."
        }
    }
}

/// A setting that an error message tells the user to change. The library says which setting;
/// the CLI spells it as its option in one place (`OptionNames`), other callers use `description`.
public enum Setting: String, Sendable, CaseIterable, CustomStringConvertible {
    case phoneColumn
    case notPhoneColumn
    case sourceColumn
    case source
    case maxRecordSize
    case maxMalformedShare
    case campaign
    case offer
    case contactCentre
    case historyMaxAge
    case indexLabel
    case registerNumberColumn
    case maxInvalidLines
    case invalidLinesFile
    case customerNumberColumn
    case agreementEndColumn
    case categoryColumn
    case consentNumberColumn
    case consentDateColumn
    case historyImportDatabase
    case attemptLogColumn
    case attemptLogValue
    case maxBadRows
    case badRowsFile
    case nixIndex
    case blockIndexes
    case consentList
    case attemptTimeFormat
    case attemptDateOrder
    case attemptTimeZone
    case delimiter
    case defaultCountry

    public var description: String {
        switch self {
        case .phoneColumn: return "the phone column setting"
        case .notPhoneColumn: return "the not-a-phone-column setting"
        case .sourceColumn: return "the source column setting"
        case .source: return "the source setting"
        case .maxRecordSize: return "the largest record setting"
        case .maxMalformedShare: return "the malformed share setting"
        case .campaign: return "the campaign setting"
        case .offer: return "the offer setting"
        case .contactCentre: return "the contact centre setting"
        case .historyMaxAge: return "the history age setting"
        case .indexLabel: return "the label setting"
        case .registerNumberColumn: return "the register's number column setting"
        case .maxInvalidLines: return "the unreadable lines setting"
        case .invalidLinesFile: return "the file for unreadable lines"
        case .customerNumberColumn: return "the customer list's number column setting"
        case .agreementEndColumn: return "the agreement end column setting"
        case .categoryColumn: return "the category column setting"
        case .consentNumberColumn: return "the consent list's number column setting"
        case .consentDateColumn: return "the consent date column setting"
        case .historyImportDatabase: return "the import's history database"
        case .attemptLogColumn: return "the field's column mapping"
        case .attemptLogValue: return "the field's one value"
        case .maxBadRows: return "the bad rows setting"
        case .badRowsFile: return "the file for bad rows"
        case .nixIndex: return "the NIX index setting"
        case .blockIndexes: return "the block list setting"
        case .consentList: return "the consent list setting"
        case .attemptTimeFormat: return "the time format setting"
        case .attemptDateOrder: return "the date order setting"
        case .attemptTimeZone: return "the log's time zone setting"
        case .delimiter: return "the delimiter setting"
        case .defaultCountry: return "the default country setting"
        }
    }
}
