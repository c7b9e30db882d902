/// Which exemption kept a NIX-registered number callable.
public enum NixExemption: String, Sendable, Codable {
    case customer
    case consent
}

/// The full verdict on one phone field: every reason that applies (the primary one is the
/// first in precedence), the number when it parsed, and for a callable number the exemption
/// it used and the quota figures the dialer needs.
public struct NumberVerdict: Equatable, Sendable {
    public var reasons: ReasonSet
    public var number: NormalizedNumber?
    public var rejection: PhoneRejection?
    public var exemption: NixExemption?
    /// Block lists (by position in the run's list) the number is on, as bits.
    public var blockLists: UInt64
    public var quota: QuotaVerdict
    public var history: NumberHistory

    public var isCallable: Bool { reasons.isEmpty }
}

/// Everything a verdict consults, loaded once before the first row: the NIX and block
/// indexes (mapped), the customer and consent lists, the history snapshot, the rule profile.
/// `judge` touches no database and allocates nothing.
public final class NumberJudge {
    public let configuration: ScrubConfiguration
    public let nix: BlockIndex
    public let blockLists: [BlockIndex]
    public let customers: CustomerList?
    public let consents: ConsentList?
    public let history: HistorySnapshot?
    public let quotaJudge: QuotaJudge

    let normalizer: PhoneNormalizer
    /// How a lead's phone field is read: Excel's artefacts, lists of numbers.
    let leadFields: LeadPhoneFields
    private let seen = KeySet()
    private let calledTypes: UInt32
    private let calledCountries: UInt32
    private let customerCategory: CustomerList.CategoryFilter?
    private let callDay: Int32
    /// `nix_mode: consent_only`: every number needs a valid consent.
    private let consentOnly: Bool

    /// Opens and checks every list, and refuses (exit 3) a run whose call date is a no-call
    /// day or whose NIX register is too old for it.
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
        blockLists = try c.blockIndexes.map { path in
            let index = try BlockIndex(path: path, checkBody: indexChecks)
            guard index.header.kind == .block else {
                throw NixWashError.indexKindMismatch(path: path, wantedNix: false)
            }
            return index
        }
        guard blockLists.count <= 64 else {
            throw NixWashError.tooManyBlockLists(count: blockLists.count, limit: 64)
        }
        let listOptions = ListReadingOptions(csv: CSVOptions(maxRecordSize: c.csv.maxRecordSize),
                                             normalizer: PhoneNormalizer(defaultCountry: c.defaultCountry))
        customers = try c.customers.map { try ListReading.readCustomers(path: $0, options: listOptions, columns: c.customerColumns).0 }
        consents = try c.consents.map { try ListReading.readConsents(path: $0, options: listOptions, columns: c.consentColumns).0 }
        consentOnly = profile.nixMode == .consentOnly
        if consentOnly, consents == nil {
            throw NixWashError.consentListMissing(profile: c.profilePath ?? "rule profile")
        }
        customerCategory = customers?.category(c.productCategory)
        callDay = Int32(c.callDate.daysSinceEpoch)
        if let path = c.historyDatabase {
            let store = try ContactHistory.open(path, mode: .readOnly)
            try store.checkCoverage(campaign: c.campaign, offer: c.offer, contactCentre: c.contactCentre, maxAge: c.historyMaxAge)
            history = try store.snapshot(callDate: callDay, campaign: c.campaign, offer: c.offer,
                                         contactCentre: c.contactCentre,
                                         campaignWindowDays: profile.campaignWindowDays,
                                         offerWindowDays: profile.offerWindowDays,
                                         keepingOtherCampaignsFrom: everyHistoryCount ? 1 : profile.offerCampaignLimit,
                                         lookup: historyLookup)
        } else {
            history = nil
        }
        quotaJudge = QuotaJudge(profile: profile, callDate: c.callDate)
        normalizer = PhoneNormalizer(defaultCountry: c.defaultCountry)
        leadFields = LeadPhoneFields(defaultCountry: c.defaultCountry)
        calledTypes = profile.calledNumberTypes.reduce(0) { bits, name in
            bits | (NumberType(rawValue: name).map { 1 << Self.bit(of: $0) } ?? 0)
        }
        calledCountries = profile.calledCountries.reduce(0) { bits, code in
            bits | (PhoneCountry(rawValue: code).map { 1 << Self.bit(of: $0) } ?? 0)
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

    private static func bit(of type: NumberType) -> UInt32 { UInt32(NumberType.allCases.firstIndex(of: type)!) }
    private static func bit(of country: PhoneCountry) -> UInt32 { UInt32(PhoneCountry.allCases.firstIndex(of: country)!) }

    private func isCalled(_ type: NumberType) -> Bool {
        switch type {
        case .unknown:
            return true  // a number of a country without a plan: foreign_number says it all
        case .fixedLineOrMobile:
            return calledTypes & (1 << Self.bit(of: .mobile) | 1 << Self.bit(of: .fixedLine)) != 0
        default:
            return calledTypes & (1 << Self.bit(of: type)) != 0
        }
    }

    private func isCalled(_ country: PhoneCountry?) -> Bool {
        guard let country else { return false }
        return calledCountries & (1 << Self.bit(of: country)) != 0
    }

    /// Judges one phone field. Numbers are remembered for the duplicate rule, so call it once
    /// per field in input order.
    public func judge(_ field: UnsafeRawBufferPointer) -> NumberVerdict {
        let parsed = normalizer.normalize(field)
        if case let .valid(number) = parsed {
            return judge(parsed, duplicate: !firstSighting(number.key))
        }
        return judge(parsed, duplicate: false)
    }

    /// Judges one phone field on its own, outside a run (`explain`): nothing is remembered and
    /// the duplicate rule, which needs a whole run, is not applied.
    public func judgeAlone(_ field: UnsafeRawBufferPointer) -> NumberVerdict {
        // Read as a scrub reads a lead's field outside an Excel export's column: Excel's marks
        // undone, and digits without their trunk 0 not taken for a number.
        var more: [FieldNumber] = []
        let number = LeadPhoneFields(defaultCountry: normalizer.defaultCountry).read(field, restoringLeadingZero: false, more: &more)
        return judge(number.parsed, duplicate: false)
    }

    public func judge(_ number: NormalizedNumber) -> NumberVerdict {
        judge(.valid(number), duplicate: !firstSighting(number.key))
    }

    /// Remembers a number for the duplicate rule; true the first time. The scrub calls it
    /// from its reading thread, in input order, and passes the answer to
    /// `judge(_:duplicate:)` on the judging thread.
    func firstSighting(_ key: PhoneKey) -> Bool { seen.insert(key.rawValue) }

    /// Reads ahead where `firstSighting(key)` will look (see `KeySet.peek`).
    func peekSighting(_ key: PhoneKey) -> UInt64 { seen.peek(key.rawValue) }

    /// What the lists hold about a number: the lookups of a verdict, apart so that the scrub
    /// can look up a whole batch in one tight loop whose cache misses overlap.
    struct ListHits {
        var inNix: Bool
        /// For a number in NIX, the exemption that lifts it (customer and consent lists).
        var exemption: NixExemption?
        var blockLists: UInt64
        var history: NumberHistory
        /// In consent-only mode, whether a consent valid on the call date exists.
        var consented = false
        static let none = ListHits(inNix: false, exemption: nil, blockLists: 0, history: .none)
    }

    /// The two steps that read the lookups' memory ahead (`KeyLookup.prefetchBucket`,
    /// `prefetchKeys`) for the NIX index, the block lists, the history and the customer list
    /// (read only for numbers in NIX, which is not known yet; the consent list is rarely large).
    @inline(__always)
    func prefetchBuckets(_ key: PhoneKey) {
        nix.lookup.prefetchBucket(key.rawValue)
        for list in blockLists { list.lookup.prefetchBucket(key.rawValue) }
        history?.prefetchBucket(key)
        customers?.rows.prefetchBucket(key)
        if consentOnly { consents?.rows.prefetchBucket(key) }
    }

    @inline(__always)
    func prefetchKeys(_ key: PhoneKey) {
        nix.lookup.prefetchKeys(key.rawValue)
        for list in blockLists { list.lookup.prefetchKeys(key.rawValue) }
        history?.prefetchKeys(key)
        customers?.rows.prefetchKeys(key)
        if consentOnly { consents?.rows.prefetchKeys(key) }
    }

    @inline(__always)
    func listHits(_ key: PhoneKey) -> ListHits {
        var blocked: UInt64 = 0
        for (i, list) in blockLists.enumerated() where list.contains(key: key) { blocked |= 1 << UInt64(i) }
        let inNix = nix.contains(key: key)
        return ListHits(inNix: inNix, exemption: inNix ? nixExemption(for: key) : nil, blockLists: blocked,
                        history: history?.history(for: key) ?? .none,
                        consented: consentOnly && hasValidConsent(key))
    }

    /// Consent-only mode: a consent for this principal valid on the call date.
    private func hasValidConsent(_ key: PhoneKey) -> Bool {
        guard let consents, let day = consents.latestConsent(for: key, onOrBefore: callDay) else { return false }
        return configuration.profile.consentValid(consentDate: LocalDate(daysSinceEpoch: Int(day)), callDate: configuration.callDate)
    }

    /// Judges a field already normalized, whose duplicate status is known; touches nothing
    /// shared, so it may run beside `firstSighting` on another thread. `hits` are the
    /// number's `listHits` when already looked up.
    func judge(_ parsed: PhoneParseResult, duplicate: Bool, hits known: ListHits? = nil) -> NumberVerdict {
        let number: NormalizedNumber
        switch parsed {
        case let .invalid(rejection):
            return NumberVerdict(reasons: ReasonSet(.invalidNumber), number: nil, rejection: rejection, exemption: nil,
                                 blockLists: 0, quota: QuotaVerdict(reasons: [], attemptsLeftToday: 0, notBefore: 0),
                                 history: .none)
        case let .valid(valid):
            number = valid
        }
        var reasons = ReasonSet()
        let key = number.key
        if !isCalled(number.type) { reasons.insert(.numberType) }
        if !isCalled(number.country) { reasons.insert(.foreignNumber) }
        if duplicate { reasons.insert(.duplicate) }
        let hits = known ?? listHits(key)
        let blocked = hits.blockLists
        if blocked != 0 { reasons.insert(.companyBlock) }
        var exemption: NixExemption?
        if hits.inNix {
            exemption = hits.exemption
            if exemption == nil { reasons.insert(.nix) }
        }
        if consentOnly, !hits.consented { reasons.insert(.noConsent) }
        let history = hits.history
        let quota = quotaJudge.judge(history)
        reasons.formUnion(quota.reasons)
        return NumberVerdict(reasons: reasons, number: number, rejection: nil, exemption: exemption,
                             blockLists: blocked, quota: quota, history: history)
    }

    /// The exemption that lifts NIX for this number on the call date, customer first.
    private func nixExemption(for key: PhoneKey) -> NixExemption? {
        let profile = configuration.profile
        if let customers, let category = customerCategory, profile.customerExemption,
           let end = customers.agreementEnd(for: key, category: category) {
            let endDate: LocalDate?
            switch end {
            case .active: endDate = nil
            case let .ended(day): endDate = LocalDate(daysSinceEpoch: Int(day))
            }
            // The category was matched by the lookup; pass none so it is not compared twice.
            if profile.customerExempts(agreementEnd: endDate, customerCategory: nil, campaignCategory: nil,
                                       callDate: configuration.callDate) {
                return .customer
            }
        }
        if let consents, profile.consentExemption,
           let day = consents.latestConsent(for: key, onOrBefore: callDay),
           profile.consentExempts(consentDate: LocalDate(daysSinceEpoch: Int(day)), callDate: configuration.callDate) {
            return .consent
        }
        return nil
    }

    /// Exactly what `details(of:)` reads of a verdict, so verdicts with equal keys get equal
    /// words and the scrub can write the words of a repeated case without building them.
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

    /// Words for the rejects file and `explain`: why each reason applies.
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
                out.append((reason, "last attempt \(last) plus \(p.minGapMinutes) minutes is at or after the calling window closes at \(StockholmTime.iso8601(quotaJudge.window.close))"))
            }
        }
        return out
    }
}
