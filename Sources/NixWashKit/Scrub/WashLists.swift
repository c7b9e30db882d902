/// Everything a run's verdicts consult, loaded once before the first row: the NIX and block
/// indexes (mapped), the customer and consent lists, and the history snapshot for this
/// campaign, offer and contact centre. Loading refuses (exit 3) a run whose call date is a
/// no-call day or whose NIX register is too old for it.
public final class WashLists {
    public let configuration: ScrubConfiguration
    public let nix: BlockIndex
    public let blockLists: [BlockIndex]
    public let customers: CustomerList?
    public let consents: ConsentList?
    public let history: HistorySnapshot?
    /// Numbers of the customer and consent lists that read two ways, and so exempt neither reading.
    let customerNumbersReadBothWays: UInt64
    let consentNumbersReadBothWays: UInt64

    /// A block list is one bit of `NumberFacts.blockLists`.
    public static let maxBlockLists = 64

    /// - Parameter everyHistoryCount: keep the history counts of every number (`explain` shows
    ///   them); a scrub keeps only those that can change a verdict.
    /// - Parameter historyLookup: `.perNumber` for a run that judges a few thousand numbers.
    /// - Parameter indexChecks: `.inBackground` lets the run start while the indexes' bodies are
    ///   checksummed; it must then call `confirm()` before it publishes anything.
    public init(configuration c: ScrubConfiguration, everyHistoryCount: Bool = false,
                historyLookup: HistoryLookup = .ranges, indexChecks: BlockIndex.BodyCheck = .beforeUse) throws {
        configuration = c
        let profile = c.profile
        nix = try BlockIndex(path: c.nixIndex, checkBody: indexChecks)
        guard nix.header.kind == .nix else {
            throw NixWashError.indexKindMismatch(path: c.nixIndex, wantedNix: true)
        }
        guard let registerDay = nix.header.registerDate else {
            throw NixWashError.registerDateMissing(path: c.nixIndex)
        }
        let registerDate = LocalDate(daysSinceEpoch: Int(registerDay))
        if let refusal = profile.refusal(callDate: c.callDate, registerDate: registerDate, register: c.nixIndex) {
            throw refusal
        }
        try Self.checkCountry(of: nix, path: c.nixIndex, reading: c.defaultCountry)
        blockLists = try c.blockIndexes.map { path in
            let index = try BlockIndex(path: path, checkBody: indexChecks)
            guard index.header.kind == .block else {
                throw NixWashError.indexKindMismatch(path: path, wantedNix: false)
            }
            try Self.checkCountry(of: index, path: path, reading: c.defaultCountry)
            return index
        }
        guard blockLists.count <= Self.maxBlockLists else {
            throw NixWashError.tooManyBlockLists(count: blockLists.count, limit: Self.maxBlockLists)
        }
        let listOptions = ListReadingOptions(csv: CSVOptions(maxRecordSize: c.csv.maxRecordSize),
                                             normalizer: PhoneNormalizer(defaultCountry: c.defaultCountry))
        let customerList = try c.customers.map { try ListReading.readCustomers(path: $0, options: listOptions, columns: c.customerColumns) }
        let consentList = try c.consents.map { try ListReading.readConsents(path: $0, options: listOptions, columns: c.consentColumns) }
        customers = customerList?.0
        consents = consentList?.0
        customerNumbersReadBothWays = customerList?.1.numbersReadBothWays ?? 0
        consentNumbersReadBothWays = consentList?.1.numbersReadBothWays ?? 0
        if profile.nixMode == .consentOnly, consents == nil {
            throw NixWashError.consentListMissing(profile: c.profilePath ?? "rule profile")
        }
        if let path = c.historyDatabase {
            let store = try ContactHistory.open(path, mode: .readOnly)
            try store.checkCoverage(campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre, maxAge: c.historyMaxAge)
            history = try store.snapshot(callDate: Int32(c.callDate.daysSinceEpoch), campaign: c.campaign, offer: c.offer,
                                         contactCentre: c.contactCentre,
                                         campaignWindowDays: profile.campaignWindowDays,
                                         offerWindowDays: profile.offerWindowDays,
                                         keeping: everyHistoryCount ? .everyNumber : .changingVerdicts(profile: profile, callDate: c.callDate),
                                         lookup: historyLookup)
        } else {
            history = nil
        }
    }

    /// An index built before its country was recorded is trusted as before.
    private static func checkCountry(of index: BlockIndex, path: String, reading: PhoneCountry) throws {
        if let country = index.header.numberCountry, country != reading {
            throw NixWashError.indexCountryMismatch(path: path, index: country, reading: reading)
        }
    }

    /// Throws what made verdicts untrustworthy after they were given: an index whose body
    /// checksum (checked in the background) is wrong, a history read that failed (whose
    /// numbers were judged not callable). Called before anything is published.
    public func confirm() throws {
        try nix.confirmBody()
        for list in blockLists { try list.confirmBody() }
        if let failure = history?.failure { throw failure }
    }

    // What the report says the run judged with, the same in a scrub and a recheck.

    var registerReports: [ScrubReport.ListReport] {
        ([nix] + blockLists).map { index in
            let h = index.header
            return ScrubReport.ListReport(
                kind: h.kind.name, label: h.label, path: index.path,
                registerDate: h.registerDate.map { LocalDate(daysSinceEpoch: Int($0)).description },
                entries: h.entryCount, indexChecksum: hex16(h.bodyChecksum))
        }
    }

    var customerReport: ScrubReport.ExemptionListReport? {
        customers.map { .init(path: configuration.customers ?? "", numbers: $0.table.count,
                              numbersReadBothWays: customerNumbersReadBothWays) }
    }

    var consentReport: ScrubReport.ExemptionListReport? {
        consents.map { .init(path: configuration.consents ?? "", numbers: $0.table.count,
                             numbersReadBothWays: consentNumbersReadBothWays) }
    }

    /// The history as the report names it: a PostgreSQL URL without its password.
    var historyReport: ScrubReport.HistoryReport? {
        history.map {
            .init(path: configuration.historyDatabase.map { HistoryLocation($0).description } ?? "",
                  lookup: $0.lookup, numbersWithAttempts: $0.count)
        }
    }
}

/// A checksum as 16 hex digits, as `nixwash index info` shows it.
func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
