/// Counts of rows and numbers, for the whole run or one address source.
public struct ScrubCounts: Codable, Equatable, Sendable {
    public var rowsIn: UInt64 = 0
    public var rowsCallable: UInt64 = 0
    /// Rows that keep no callable number (each has at least one line in the rejects).
    public var rowsNotCallable: UInt64 = 0
    public var numbersIn: UInt64 = 0
    public var numbersCallable: UInt64 = 0
    public var numbersRejected: UInt64 = 0
    /// Rejected numbers by their primary reason.
    public var rejectedByReason: [String: UInt64] = [:]
    /// Every reason that applied to a rejected number (a number may count under several).
    public var reasonsApplied: [String: UInt64] = [:]
    /// Callable numbers that are in NIX and stayed callable through an exemption.
    public var nixExemptions: [String: UInt64] = [:]
    /// Numbers by the Excel repair made before they were read (`ExcelRepair.name`), and
    /// `excel_digits_lost`: numbers rejected for digits lost in scientific notation. Absent in
    /// reports written before these were counted.
    public var excelArtefacts: [String: UInt64]?
    /// Phone fields that held more than one number (each number is counted in `numbersIn`).
    public var fieldsWithSeveralNumbers: UInt64?

    public init() {}

    /// Both counts together (one source's counts from two of its encodings).
    func adding(_ other: ScrubCounts) -> ScrubCounts {
        var sum = self
        sum.rowsIn += other.rowsIn
        sum.rowsCallable += other.rowsCallable
        sum.rowsNotCallable += other.rowsNotCallable
        sum.numbersIn += other.numbersIn
        sum.numbersCallable += other.numbersCallable
        sum.numbersRejected += other.numbersRejected
        sum.rejectedByReason.merge(other.rejectedByReason, uniquingKeysWith: +)
        sum.reasonsApplied.merge(other.reasonsApplied, uniquingKeysWith: +)
        sum.nixExemptions.merge(other.nixExemptions, uniquingKeysWith: +)
        if let artefacts = other.excelArtefacts { sum.excelArtefacts = (sum.excelArtefacts ?? [:]).merging(artefacts, uniquingKeysWith: +) }
        if let fields = other.fieldsWithSeveralNumbers { sum.fieldsWithSeveralNumbers = (sum.fieldsWithSeveralNumbers ?? 0) + fields }
        return sum
    }

    public var rowsBalance: Bool { rowsIn == rowsCallable + rowsNotCallable }
    public var numbersBalance: Bool { numbersIn == numbersCallable + numbersRejected }

    enum CodingKeys: String, CodingKey {
        case rowsIn = "rows_in", rowsCallable = "rows_callable", rowsNotCallable = "rows_not_callable"
        case numbersIn = "numbers_in", numbersCallable = "numbers_callable", numbersRejected = "numbers_rejected"
        case rejectedByReason = "rejected_by_reason", reasonsApplied = "reasons_applied", nixExemptions = "nix_exemptions"
        case excelArtefacts = "excel_artefacts", fieldsWithSeveralNumbers = "fields_with_several_numbers"
    }
}

/// `report.json`: what an auditor needs to reproduce and trust a run. Its keys are documented
/// in docs/report-json.md; a change of their meaning or type raises `schemaVersion`.
public struct ScrubReport: Codable, Sendable {
    /// Version of report.json's shape: raised when a key changes meaning or type or goes away
    /// (a new key does not raise it).
    public static let currentSchemaVersion = 1

    public struct Tool: Codable, Sendable {
        public var name = "nixwash"
        public var version = NixWashVersion.current
    }

    public struct InputFileReport: Codable, Sendable {
        // The optional fields are absent in reports written before they existed, which `recheck`
        // and `sources` still read.
        /// The input's name: the path, `archive.zip:member.csv` or `book.xlsx:Sheet1`.
        public var path: String
        /// The file given (the archive or workbook of a member or sheet).
        public var file: String?
        /// `none`, `zip` or `xlsx`.
        public var container: String?
        public var member: String?
        public var sheet: String?
        /// Size and SHA-256 of the file given.
        public var size: UInt64?
        public var sha256: String
        public var compression: String
        public var delimiter: String
        /// The input's text encoding as delivered (`utf-16le` and `utf-16be` are transcoded).
        public var encoding: String
        /// The encoding of this input's rows in the outputs: UTF-8 for UTF-16 and xlsx inputs.
        public var outputEncoding: String?
        /// Data rows whose trailing delimiter (an empty field past the header) was dropped.
        public var trailingDelimiterRows: UInt64?
        public var rows: UInt64
        /// The washed columns, by name (`telefon#2` for the second of two named `telefon`).
        public var phoneColumns: [String]
        /// Those of them found by their content, not their name.
        public var phoneColumnsByContent: [String]?
        /// Columns declared not to hold numbers to call: not washed, not checked.
        public var notPhoneColumns: [String]?
        public var sourceColumn: String?
        /// Rows that could not be read cleanly (`malformed_row` rejects).
        public var malformedRows: UInt64?
        /// The callable and rejects files this input's rows went to.
        public var outputs: [String]

        enum CodingKeys: String, CodingKey {
            case path, file, container, member, sheet, size, sha256, compression, delimiter, encoding, rows
            case outputEncoding = "output_encoding", trailingDelimiterRows = "trailing_delimiter_rows"
            case phoneColumns = "phone_columns", phoneColumnsByContent = "phone_columns_by_content"
            case notPhoneColumns = "not_phone_columns", sourceColumn = "source_column"
            case malformedRows = "malformed_rows", outputs
        }
    }

    public struct ListReport: Codable, Sendable {
        public var kind: String
        public var label: String
        public var path: String
        public var registerDate: String?
        public var entries: Int
        public var indexChecksum: String

        enum CodingKeys: String, CodingKey {
            case kind, label, path, entries
            case registerDate = "register_date", indexChecksum = "index_checksum"
        }
    }

    /// A customer or consent list the run read.
    public struct ExemptionListReport: Codable, Sendable {
        public var path: String
        public var numbers: Int
        /// Rows whose number reads two ways (`468123456`), which exempt neither reading.
        /// Absent in reports of versions before it.
        public var numbersReadBothWays: UInt64?

        enum CodingKeys: String, CodingKey {
            case path, numbers, numbersReadBothWays = "numbers_read_both_ways"
        }
    }

    /// The contact history the run read.
    public struct HistoryReport: Codable, Sendable {
        public var path: String
        /// How the run read it: the rules' ranges whole, or each number's attempts (a small
        /// run). Absent in reports of versions before it.
        public var lookup: HistoryLookup?
        /// Numbers of this run's campaign, offer or contact centre with attempts in the rules'
        /// windows: in the whole history (`ranges`), or among the run's numbers (`per_number`).
        public var numbersWithAttempts: Int

        enum CodingKeys: String, CodingKey {
            case path, lookup, numbersWithAttempts = "numbers_with_attempts"
        }
    }

    public struct Accounting: Codable, Sendable {
        public var rows: String
        public var numbers: String
        public var balanced: Bool
    }

    public var schemaVersion = ScrubReport.currentSchemaVersion
    public var tool = Tool()
    public var started: String
    public var finished: String
    public var callDate: String
    public var campaign: String
    public var offer: String
    public var contactCentre: String
    public var productCategory: String?
    public var ruleProfile: RuleProfile
    public var ruleProfilePath: String?
    public var callingWindow: [String: String]
    public var inputs: [InputFileReport]
    public var registers: [ListReport]
    public var customers: ExemptionListReport?
    public var consents: ExemptionListReport?
    public var history: HistoryReport?
    /// What the contact history covers for this run; nil when the run had no history.
    public var historyCoverage: HistoryCoverage?
    public var totals: ScrubCounts
    public var bySource: [String: ScrubCounts]
    public var accounting: Accounting
    /// The share of malformed rows above which a lead list is refused.
    public var maxMalformedShare: Double?
    public var outputs: [String]
    /// Size and SHA-256 of every output but report.json and its digest and signature
    /// (`audit verify`; see `AuditTrail`).
    public var outputFiles: [FileDigest]?
    /// The working directory of the run, against which relative input and index paths resolve.
    public var workingDirectory: String?
    /// Set in the report of a recheck: the run whose callable rows were judged again.
    public var recheckOf: RecheckOrigin?
    /// The country numbers without a country code were read as.
    public var defaultCountry: String?
    /// Each output file's encoding: `utf-8`, `latin-1` (for a Latin-1 input, nixwash's own
    /// values included), or `mixed` (an input that turned out Latin-1 only after its sample).
    public var outputEncodings: [String: String]?

    enum CodingKeys: String, CodingKey {
        case tool, started, finished, campaign, offer, inputs, registers, customers, consents, history, totals, accounting, outputs
        case outputFiles = "output_files", workingDirectory = "working_directory", recheckOf = "recheck_of"
        case defaultCountry = "default_country"
        case callDate = "call_date", contactCentre = "contact_centre", productCategory = "product_category"
        case ruleProfile = "rule_profile", ruleProfilePath = "rule_profile_path", callingWindow = "calling_window"
        case bySource = "by_source", schemaVersion = "schema_version", historyCoverage = "history_coverage"
        case maxMalformedShare = "max_malformed_share", outputEncodings = "output_encodings"
    }
}
