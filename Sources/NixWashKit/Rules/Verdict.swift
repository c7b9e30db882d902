/// Which exemption kept a NIX-registered number callable.
public enum NixExemption: String, Sendable, Codable {
    case customer
    case consent
}

/// What the lists hold about one number, looked up before it is judged (`Prepare`): the facts
/// a verdict needs besides the number itself and whether it was seen before in the run.
public struct NumberFacts: Equatable, Sendable {
    public var inNix: Bool
    /// For a number in NIX, the exemption that lifts it on the call date (customer first).
    public var exemption: NixExemption?
    /// Block lists (by position in the run's list) the number is on, as bits.
    public var blockLists: UInt64
    public var history: NumberHistory
    /// In consent-only mode, whether a consent valid on the call date exists.
    public var consented: Bool

    public init(inNix: Bool = false, exemption: NixExemption? = nil, blockLists: UInt64 = 0,
                history: NumberHistory = .none, consented: Bool = false) {
        self.inNix = inNix
        self.exemption = exemption
        self.blockLists = blockLists
        self.history = history
        self.consented = consented
    }

    public static let none = NumberFacts()
}

/// The full verdict on one number: every reason that applies (the primary one is the first
/// in precedence), the number when it parsed, and for a callable number the exemption it used
/// and the quota figures the dialer needs.
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

/// The rules of one run (SPEC section 3), as a pure function: a number as read, whether it
/// was seen earlier in the run and what the lists hold about it, to a verdict with all its
/// reasons. It reads no list, no database and no clock, so it may run on any thread.
public struct VerdictRules: Sendable {
    public let quota: QuotaJudge
    private let calledTypes: UInt32
    private let calledCountries: UInt32
    /// `nix_mode: consent_only`: every number needs a valid consent.
    private let consentOnly: Bool

    public init(profile: RuleProfile, callDate: LocalDate) {
        quota = QuotaJudge(profile: profile, callDate: callDate)
        consentOnly = profile.nixMode == .consentOnly
        calledTypes = profile.calledNumberTypes.reduce(0) { bits, name in
            bits | (NumberType(rawValue: name).map { 1 << Self.bit(of: $0) } ?? 0)
        }
        calledCountries = profile.calledCountries.reduce(0) { bits, code in
            bits | (PhoneCountry(rawValue: code).map { 1 << Self.bit(of: $0) } ?? 0)
        }
    }

    public func verdict(_ parsed: PhoneParseResult, duplicate: Bool, facts: NumberFacts) -> NumberVerdict {
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
        if !isCalled(number.type) { reasons.insert(.numberType) }
        if !isCalled(number.country) { reasons.insert(.foreignNumber) }
        if duplicate { reasons.insert(.duplicate) }
        if facts.blockLists != 0 { reasons.insert(.companyBlock) }
        var exemption: NixExemption?
        if facts.inNix {
            exemption = facts.exemption
            if exemption == nil { reasons.insert(.nix) }
        }
        if consentOnly, !facts.consented { reasons.insert(.noConsent) }
        let quota = quota.judge(facts.history)
        reasons.formUnion(quota.reasons)
        return NumberVerdict(reasons: reasons, number: number, rejection: nil, exemption: exemption,
                             blockLists: facts.blockLists, quota: quota, history: facts.history)
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
}
