/// The columns a wash appends to the rows it writes (SPEC section 4): the same in a scrub's
/// `callable`/`rejects` files and a recheck's `still-callable`/`pull` files.
public enum OutputColumns {
    /// Appended to a callable row; `detail` names the repairs made to its numbers.
    public static let callable = ["e164", "source", "attempts_left_today", "not_before", "nix_exemption", "detail"]
    /// The callable columns that steer the dialer: a lead column of the same name (in any case
    /// or punctuation) is refused, because a dialer that reads the first column of a name
    /// would read the lead's.
    static let steeringDialer: Set<String> = ["attempts_left_today", "not_before", "nix_exemption"]
    public static let rejects = ["file", "line", "phone_column", "raw_number", "e164", "reason", "reasons", "detail", "source"]

    /// The columns a scrub appended to the callable list with this header: those of this
    /// version, or those of a version before `detail` (read by recheck and sources), or nil.
    public static func appendedToCallable(in header: [String]) -> [String]? {
        for appended in [callable, Array(callable.dropLast())]
        where header.count > appended.count && Array(header.suffix(appended.count)) == appended {
            return appended
        }
        return nil
    }
}

/// The words of a verdict, for the rejects file and `explain`: why each reason applies.
public struct RejectWording {
    private let configuration: ScrubConfiguration
    private let nix: BlockIndex
    private let blockLists: [BlockIndex]
    private let windowClose: Int64

    public init(lists: WashLists, rules: VerdictRules) {
        configuration = lists.configuration
        nix = lists.nix
        blockLists = lists.blockLists
        windowClose = rules.quota.window.close
    }

    /// The run's own names that details may write, with what each is.
    var namesWritten: [(what: String, text: String)] {
        [("the label of the NIX index \(nix.path)", nix.header.label)]
            + blockLists.map { ("the label of the block index \($0.path)", $0.header.label) }
            + [("the campaign", configuration.campaign), ("the offer", configuration.offer)]
    }

    /// Exactly what `details(of:)` reads of a verdict, so verdicts with equal keys get equal
    /// words and a writer can write the words of a repeated case without building them.
    struct DetailKey: Hashable {
        var reasons: UInt16
        var rejection: PhoneRejection?
        var type: NumberType?
        var country: PhoneCountry?
        var blockLists: UInt64 = 0
        var otherCampaigns = 0
        var campaignAttempts = 0
        var centreAttempts = 0
        var lastCentreAttempt: Int64?
    }

    func detailKey(of verdict: NumberVerdict) -> DetailKey {
        let reasons = verdict.reasons
        var key = DetailKey(reasons: reasons.rawValue)
        if reasons.contains(.invalidNumber) { key.rejection = verdict.rejection }
        if reasons.contains(.numberType) { key.type = verdict.number?.type }
        if reasons.contains(.foreignNumber) { key.country = verdict.number?.country }
        if reasons.contains(.companyBlock) { key.blockLists = verdict.blockLists }
        if reasons.contains(.offerQuota) { key.otherCampaigns = verdict.history.otherCampaignsWithSameOffer }
        if reasons.contains(.quota30d) { key.campaignAttempts = verdict.history.campaignAttemptsInWindow }
        if reasons.contains(.quotaDaily) { key.centreAttempts = verdict.history.centreAttemptsOnCallDate }
        if reasons.contains(.minGap) { key.lastCentreAttempt = verdict.history.lastCentreAttemptOnCallDate }
        return key
    }

    /// Reasons whose words are the same for every number of a run.
    static let fixedWordReasons = ReasonSet(rawValue: ReasonSet(.duplicate).rawValue | ReasonSet(.nix).rawValue)

    public func details(of verdict: NumberVerdict) -> [(Reason, String)] {
        let c = configuration
        let p = c.profile
        var out: [(Reason, String)] = []
        for reason in verdict.reasons.reasons {
            switch reason {
            case .malformedRow:
                continue
            case .invalidNumber:
                out.append((reason, verdict.rejection?.detail ?? "not a valid number"))
            case .numberType:
                out.append((reason, "a \(verdict.number?.type.rawValue ?? "?") number; the campaign calls \(p.calledNumberTypes.joined(separator: ", "))"))
            case .foreignNumber:
                let country = verdict.number?.country?.rawValue ?? "another country"
                out.append((reason, "a number of \(country); the campaign calls \(p.calledCountries.joined(separator: ", "))"))
            case .duplicate:
                out.append((reason, "the number already appeared earlier in this run"))
            case .companyBlock:
                let labels = blockLists.indices.filter { verdict.blockLists & (1 << UInt64($0)) != 0 }.map { blockLists[$0].header.label }
                out.append((reason, "on the block list \(labels.joined(separator: ", "))"))
            case .nix:
                let registerDate = nix.header.registerDate.map { LocalDate(daysSinceEpoch: Int($0)).description } ?? "?"
                out.append((reason, "in the register \(nix.header.label) of \(registerDate), no exemption applies"))
            case .noConsent:
                out.append((reason, "no consent from this number to the principal that is valid on \(c.callDate) (nix_mode consent_only: a consent is valid for \(p.consentValidityMonths) months from its date)"))
            case .offerQuota:
                out.append((reason, "\(verdict.history.otherCampaignsWithSameOffer) other campaigns with the offer \(c.offer) attempted it in the \(p.offerWindowDays) days to \(c.callDate) (limit \(p.offerCampaignLimit))"))
            case .quota30d:
                out.append((reason, "\(verdict.history.campaignAttemptsInWindow) attempts in the campaign \(c.campaign) in the \(p.campaignWindowDays) days to \(c.callDate) (limit \(p.campaignLimit))"))
            case .quotaDaily:
                out.append((reason, "\(verdict.history.centreAttemptsOnCallDate) attempts by \(c.contactCentre) on \(c.callDate) (limit \(p.dailyLimit))"))
            case .minGap:
                let last = verdict.history.lastCentreAttemptOnCallDate.map { StockholmTime.iso8601($0) } ?? "?"
                out.append((reason, "last attempt \(last) plus \(p.minGapMinutes) minutes is at or after the calling window closes at \(StockholmTime.iso8601(windowClose))"))
            }
        }
        return out
    }

    /// The details as one field: `reason: words; reason: words`.
    func detailText(of verdict: NumberVerdict) -> String {
        details(of: verdict).map { "\($0.0.rawValue): \($0.1)" }.joined(separator: "; ")
    }
}

/// One callable file and one rejects file of a shape of input (a scrub's `callable`/`rejects`,
/// a recheck's `still-callable`/`pull`), their header rows written.
final class OutputPair {
    let callableName: String
    let rejectsName: String
    let callable: CSVWriter
    let rejects: CSVWriter
    let encoding: OutputTextEncoding
    var callableRows: UInt64 = 0
    var rejectRows: UInt64 = 0
    /// An input of this pair turned out to be Latin-1 after a UTF-8 sample.
    var mixedEncoding = false

    /// `names`: the files of the first pair; a later one gets `-2`, `-3`, … before `.csv.gz`.
    init(index: Int, names: (callable: String, rejects: String), dialect: CSVDialect, header: some Sequence<[UInt8]>,
         encoding: OutputTextEncoding, folder: OutputFolder, workers: CompressionWorkers) throws {
        let suffix = index == 0 ? "" : "-\(index + 1)"
        callableName = "\(names.callable)\(suffix).csv.gz"
        rejectsName = "\(names.rejects)\(suffix).csv.gz"
        self.encoding = encoding
        callable = CSVWriter(sink: try BlockGzipFileSink(path: folder.path(for: callableName), workers: workers),
                             dialect: dialect, textEncoding: encoding)
        rejects = CSVWriter(sink: try BlockGzipFileSink(path: folder.path(for: rejectsName), workers: workers),
                            dialect: dialect, textEncoding: encoding)
        for field in header {
            try callable.writeField(field)
            try rejects.writeField(field)
        }
        for name in OutputColumns.callable { try callable.writeField(name) }
        try callable.endRow()
        for name in OutputColumns.rejects { try rejects.writeField(name) }
        try rejects.endRow()
    }

    var names: [String] { [callableName, rejectsName] }

    func finish() throws {
        try callable.finish()
        try rejects.finish()
    }
}

/// Writes one input file's rows into its output pair: a reject row for each number that is
/// not callable (and each row that is malformed or has no number), a callable row with the
/// appended columns for a row with a callable number. Words that repeat from row to row are
/// encoded once; the hot path allocates nothing.
final class RowWriter {
    /// The lead list, as its errors name it.
    let path: String
    private let pair: OutputPair
    private let wording: RejectWording
    /// The input's columns written before the appended ones.
    private let width: Int
    private let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    private let encodedFile: [UInt8]
    private let encodedColumnNames: [[UInt8]]
    private var encodedSources: [[UInt8]?] = []
    /// "nix|duplicate" by reason set; the words of each distinct case.
    private var reasonLists = [[UInt8]?](repeating: nil, count: 1 << Reason.allCases.count)
    private var fixedDetails = [[UInt8]?](repeating: nil, count: 1 << Reason.allCases.count)
    private var details: [RejectWording.DetailKey: [UInt8]] = [:]
    /// `not_before` is the window's opening for nearly every number: formatted once per value.
    private var notBefore: Int64 = .min
    private var notBeforeText: [UInt8] = []
    /// The row being written: phone fields whose numbers were all rejected (written empty),
    /// and fields of several numbers some of which were rejected (the callable ones' text).
    private var rejected: [Bool]
    private var keptText: [[UInt8]?]

    /// `columnNames`: the input's columns as the rejects' `phone_column` names them.
    init(pair: OutputPair, wording: RejectWording, path: String, columnNames: [String]) {
        self.path = path
        self.pair = pair
        self.wording = wording
        width = columnNames.count
        encodedFile = pair.rejects.encoded(path)
        encodedColumnNames = columnNames.map { pair.rejects.encoded($0) }
        rejected = [Bool](repeating: false, count: width)
        keptText = [[UInt8]?](repeating: nil, count: width)
    }

    /// A field's text in the rejects' encoding, quoted where it must be.
    func encoded(_ text: String) -> [UInt8] { pair.rejects.encoded(text) }

    /// The `detail` of a rejected number; `note` (a repaired or listed number) is rare and
    /// its words are not kept.
    func detail(of verdict: NumberVerdict, note: String? = nil) -> [UInt8] {
        if let note { return encoded(wording.detailText(of: verdict) + "; " + note) }
        let bits = Int(verdict.reasons.rawValue)
        let fixedWords = verdict.reasons.rawValue & ~RejectWording.fixedWordReasons.rawValue == 0
        if fixedWords, let known = fixedDetails[bits] { return known }  // the common case (nix, duplicate), without hashing
        let key = wording.detailKey(of: verdict)
        let detail: [UInt8]
        if let known = details[key] {
            detail = known
        } else {
            detail = encoded(wording.detailText(of: verdict))
            if details.count < 65_536 { details[key] = detail }
        }
        if fixedWords { fixedDetails[bits] = detail }
        return detail
    }

    /// One reject row: the input row, then where the number was, why it is rejected and the
    /// row's source (`sourceBytes`, in the file's encoding, asked for once per source).
    func writeReject(_ record: CSVRecord, column: Int?, raw: UnsafeRawBufferPointer?, number: PhoneKey?, reasons: ReasonSet,
                     detail: [UInt8], source: Int, sourceBytes: @autoclosure () -> [UInt8]) throws {
        let rejects = pair.rejects
        for i in 0..<width { try rejects.writeField(i < record.count ? record.field(i) : empty) }
        rejects.writeEncodedField(encodedFile)
        try rejects.writeField(record.line)
        rejects.writeEncodedField(column.map { encodedColumnNames[$0] } ?? [])
        try rejects.writeField(raw ?? empty)
        if let number { try rejects.writeField(number.rawValue, prefix: UInt8(ascii: "+")) } else { try rejects.writeField(empty) }
        let bits = Int(reasons.rawValue)
        rejects.writeEncodedField(Self.reasonNames[reasons.rawValue.trailingZeroBitCount])
        if let text = reasonLists[bits] {
            rejects.writeEncodedField(text)
        } else {
            let text = rejects.encoded(reasons.reasons.map(\.rawValue).joined(separator: "|"))
            reasonLists[bits] = text
            rejects.writeEncodedField(text)
        }
        rejects.writeEncodedField(detail)
        while encodedSources.count <= source { encodedSources.append(nil) }
        if let name = encodedSources[source] {
            rejects.writeEncodedField(name)
        } else {
            let name = rejects.encoded(bytes: sourceBytes())
            encodedSources[source] = name
            rejects.writeEncodedField(name)
        }
        try rejects.endRow()
        pair.rejectRows += 1
    }

    /// In the callable row being built: the phone field `column` had no callable number.
    func dropField(_ column: Int) { rejected[column] = true }

    /// In the callable row being built: the phone field `column` keeps only `text`.
    func keepOnly(_ text: [UInt8], inField column: Int) { keptText[column] = text }

    /// Ends the row: writes the callable row when `verdict` (its first callable number) is
    /// given, with the fields `dropField` and `keepOnly` changed, and forgets those changes.
    func endRow(_ record: CSVRecord, callable verdict: NumberVerdict?, phoneColumns: [Int], source: [UInt8],
                detail: UnsafeRawBufferPointer) throws {
        defer {
            for column in phoneColumns {
                rejected[column] = false
                keptText[column] = nil
            }
        }
        guard let verdict else { return }
        let callable = pair.callable
        for i in 0..<width {
            if let text = keptText[i] { try callable.writeField(text) } else { try callable.writeField(rejected[i] ? empty : record.field(i)) }
        }
        try callable.writeField(verdict.number!.key.rawValue, prefix: UInt8(ascii: "+"))
        try callable.writeField(source)
        try callable.writeField(UInt64(verdict.quota.attemptsLeftToday))
        if verdict.quota.notBefore != notBefore {
            notBefore = verdict.quota.notBefore
            notBeforeText.removeAll(keepingCapacity: true)
            StockholmTime.appendISO8601(notBefore, to: &notBeforeText)
        }
        try callable.writeField(notBeforeText)
        switch verdict.exemption {
        case nil: try callable.writeField(empty)
        case .customer?: try callable.writeField(Self.customerExemption)
        case .consent?: try callable.writeField(Self.consentExemption)
        }
        try callable.writeField(detail)
        try callable.endRow()
        pair.callableRows += 1
    }

    /// Reason names by precedence (a set's primary reason is its lowest bit).
    private static let reasonNames: [[UInt8]] = (0..<Reason.allCases.count).map { precedence in
        Array(Reason.allCases.first { $0.precedence == precedence }!.rawValue.utf8)
    }
    private static let customerExemption = Array(NixExemption.customer.rawValue.utf8)
    private static let consentExemption = Array(NixExemption.consent.rawValue.utf8)
}
