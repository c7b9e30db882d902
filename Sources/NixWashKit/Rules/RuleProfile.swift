import Foundation

/// Every limit of the rules (SPEC section 1), as a JSON file. Keys missing from a file keep the
/// default (SPEC's value); a key the profile does not know is an error that names it, so a
/// misspelt limit never silently falls back to its default. `docs/rule-profile.md` has the
/// same list with examples.
///
/// | key | type | default | meaning |
/// | --- | --- | --- | --- |
/// | `daily_limit` | integer ≥ 1 | 2 | attempts per contact centre, campaign and number on one day (`quota_daily`) |
/// | `min_gap_minutes` | integer 0...1440 | 240 | minutes from one attempt by a contact centre to its next on the same day (`min_gap`) |
/// | `campaign_limit` | integer ≥ 1 | 20 | attempts per campaign and number, all contact centres, in the campaign window (`quota_30d`) |
/// | `campaign_window_days` | integer ≥ 1 | 30 | length of the campaign window: the call date and the days before it |
/// | `offer_campaign_limit` | integer ≥ 1 | 2 | campaigns with the same offer that may attempt a number in the offer window; the next one gets `offer_quota` |
/// | `offer_window_days` | integer ≥ 1 | 365 | length of the offer window: the call date and the days before it |
/// | `weekday_hours` | `{"open": "HH:MM", "close": "HH:MM"}` | 08:00–21:00 | calling hours Monday–Friday, open inclusive, close exclusive |
/// | `weekend_hours` | same | 10:00–18:00 | calling hours Saturday–Sunday |
/// | `no_call_days` | array of `NoCallDay` names (the Swedish eves, the Norwegian public holidays) | the three eves | days a run is refused |
/// | `extra_no_call_dates` | array of `YYYY-MM-DD` or `MM-DD` | empty | further days a run is refused (`MM-DD`: every year) |
/// | `called_number_types` | array of number types | mobile, fixed | number types that are called (others: `number_type`) |
/// | `called_countries` | array of SE, NO, FI, DK | SE | countries that are called (others: `foreign_number`) |
/// | `customer_exemption` | boolean | true | whether a customer relationship exempts a number from NIX |
/// | `customer_exemption_months` | integer ≥ 0 | 12 | months after the agreement end that the customer exemption lasts |
/// | `consent_exemption` | boolean | true | whether a consent exempts a number from NIX |
/// | `consent_exemption_months` | integer ≥ 0 | 3 | months after the consent date that the consent exemption lasts |
/// | `register_validity_months` | integer ≥ 1 | 2 | months after the NIX register date that a run may call |
/// | `nix_mode` | `nix` or `consent_only` | `nix` | `consent_only`: callable only with a valid consent (`no_consent`) |
/// | `consent_validity_months` | integer ≥ 0 | 3 | in `consent_only` mode, months after the consent date that it is valid |
/// | `no_call_weekdays` | array of `monday` … `sunday` | empty | days of the week a run is refused |
/// | `country` | SE, NO, FI, DK | SE | the country the profile is for: numbers without a country code are read as its |
/// | `register_name` | string | NIX-Telefon | the do-not-call register the NIX index holds, for messages |
///
/// Number types: the phone normalizer's names (`NumberType` raw values but `unknown`): mobile,
/// fixed, fixed_or_mobile, freephone, premium, shared_cost, personal, m2m, paging, voip, uan,
/// voicemail.
public struct RuleProfile: Equatable, Sendable, Codable {
    public var dailyLimit: Int
    public var minGapMinutes: Int
    public var campaignLimit: Int
    public var campaignWindowDays: Int
    public var offerCampaignLimit: Int
    public var offerWindowDays: Int
    public var weekdayHours: CallingHours
    public var weekendHours: CallingHours
    public var noCallDays: [NoCallDay]
    public var extraNoCallDates: [ExtraNoCallDate]
    public var calledNumberTypes: [String]
    public var calledCountries: [String]
    public var customerExemption: Bool
    public var customerExemptionMonths: Int
    public var consentExemption: Bool
    public var consentExemptionMonths: Int
    public var registerValidityMonths: Int
    /// Whether the register decides (`nix`, today's Swedish rules) or only a consent makes a
    /// number callable (`consent_only`, for an opt-in regime).
    public var nixMode: NixMode = .nix
    /// In `consent_only` mode: a consent is valid from its date until this many months after.
    public var consentValidityMonths = 3
    /// Days of the week with no attempts at all (Norway: Saturday and Sunday).
    public var noCallWeekdays: [Weekday] = []
    /// The country the profile is for; numbers written without a country code are read as
    /// its numbers unless the campaign says otherwise.
    public var country = "SE"
    /// The do-not-call register the NIX index is built from, for messages.
    public var registerName = "NIX-Telefon"

    /// SPEC section 1's defaults.
    public static let `default` = RuleProfile(
        dailyLimit: 2, minGapMinutes: 240, campaignLimit: 20, campaignWindowDays: 30,
        offerCampaignLimit: 2, offerWindowDays: 365,
        weekdayHours: CallingHours(open: 8 * 60, close: 21 * 60),
        weekendHours: CallingHours(open: 10 * 60, close: 18 * 60),
        noCallDays: NoCallDay.swedishGuidelines, extraNoCallDates: [],
        calledNumberTypes: ["mobile", "fixed"], calledCountries: ["SE"],
        customerExemption: true, customerExemptionMonths: 12,
        consentExemption: true, consentExemptionMonths: 3,
        registerValidityMonths: 2)

    /// Number types the phone normalizer knows (`called_number_types`).
    public static let knownNumberTypes = NumberType.allCases.filter { $0 != .unknown }.map(\.rawValue)
    /// Countries the phone normalizer knows (`called_countries`).
    public static let knownCountries = PhoneCountry.allCases.map(\.rawValue)

    public init(dailyLimit: Int, minGapMinutes: Int, campaignLimit: Int, campaignWindowDays: Int,
                offerCampaignLimit: Int, offerWindowDays: Int,
                weekdayHours: CallingHours, weekendHours: CallingHours,
                noCallDays: [NoCallDay], extraNoCallDates: [ExtraNoCallDate],
                calledNumberTypes: [String], calledCountries: [String],
                customerExemption: Bool, customerExemptionMonths: Int,
                consentExemption: Bool, consentExemptionMonths: Int,
                registerValidityMonths: Int) {
        self.dailyLimit = dailyLimit
        self.minGapMinutes = minGapMinutes
        self.campaignLimit = campaignLimit
        self.campaignWindowDays = campaignWindowDays
        self.offerCampaignLimit = offerCampaignLimit
        self.offerWindowDays = offerWindowDays
        self.weekdayHours = weekdayHours
        self.weekendHours = weekendHours
        self.noCallDays = noCallDays
        self.extraNoCallDates = extraNoCallDates
        self.calledNumberTypes = calledNumberTypes
        self.calledCountries = calledCountries
        self.customerExemption = customerExemption
        self.customerExemptionMonths = customerExemptionMonths
        self.consentExemption = consentExemption
        self.consentExemptionMonths = consentExemptionMonths
        self.registerValidityMonths = registerValidityMonths
    }

    /// Reads a profile file. Errors (kind `.usage`) name the file and the offending key.
    public static func load(path: String, base: RuleProfile = .default) throws -> RuleProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NixWashError.cannotOpen(path: path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, path: path, base: base)
    }

    static let baseProfileKey = CodingUserInfoKey(rawValue: "nixwash.baseProfile")!

    /// Decodes profile JSON; `path` names the source in errors. Keys the file does not set keep
    /// `base`'s values (SPEC's defaults, or a shipped profile such as Norway's).
    public static func decode(_ data: Data, path: String, base: RuleProfile = .default) throws -> RuleProfile {
        do {
            // JSONSerialization says where a syntax error is; JSONDecoder does not.
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw NixWashError.invalidRuleProfile(path: path, key: nil, reason: "not valid JSON (\(detail))")
        }
        if let duplicate = JSONDuplicateKeys.first(in: data) {
            throw NixWashError.invalidRuleProfile(path: path, key: duplicate.key, reason: "given twice (the second on line \(duplicate.line)), and only one of them would count; write each limit once")
        }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[baseProfileKey] = base
            return try decoder.decode(RuleProfile.self, from: data)
        } catch let problem as ProfileProblem {
            throw NixWashError.invalidRuleProfile(path: path, key: problem.key, reason: problem.reason)
        } catch let error as DecodingError {
            throw describe(error, path: path)
        }
    }

    // MARK: Windows

    /// The first day of a window of `days` days ending on (and including) `callDate`:
    /// `callDate` and the `days - 1` days before it. 30 days ending 2026-03-30 start 2026-03-01.
    public static func windowStart(callDate: LocalDate, days: Int) -> LocalDate {
        callDate.adding(days: -(days - 1))
    }

    /// The instants of a window of `days` days ending on `callDate`: from local midnight
    /// starting `windowStart(callDate:days:)` up to, not including, local midnight ending
    /// `callDate`. An attempt counts in the window when its instant is in this range.
    public static func windowInstants(callDate: LocalDate, days: Int) -> Range<Int64> {
        StockholmTime.startOfDay(windowStart(callDate: callDate, days: days))
            ..< StockholmTime.startOfDay(callDate.adding(days: 1))
    }

    /// First day of the campaign window (`quota_30d`) for `callDate`.
    public func campaignWindowStart(callDate: LocalDate) -> LocalDate {
        RuleProfile.windowStart(callDate: callDate, days: campaignWindowDays)
    }

    /// First day of the offer window (`offer_quota`) for `callDate`.
    public func offerWindowStart(callDate: LocalDate) -> LocalDate {
        RuleProfile.windowStart(callDate: callDate, days: offerWindowDays)
    }

    /// The instants of the campaign window (`quota_30d`) for `callDate`.
    public func campaignWindowInstants(callDate: LocalDate) -> Range<Int64> {
        RuleProfile.windowInstants(callDate: callDate, days: campaignWindowDays)
    }

    /// The instants of the offer window (`offer_quota`) for `callDate`.
    public func offerWindowInstants(callDate: LocalDate) -> Range<Int64> {
        RuleProfile.windowInstants(callDate: callDate, days: offerWindowDays)
    }

    /// The calling hours of `date` (weekday or weekend), whatever the no-call days say.
    public func callingWindow(on date: LocalDate) -> CallingWindow {
        CallingWindow(date: date, hours: date.isWeekend ? weekendHours : weekdayHours)
    }

    // MARK: JSON

    enum Key: String, CaseIterable, CodingKey {
        case dailyLimit = "daily_limit"
        case minGapMinutes = "min_gap_minutes"
        case campaignLimit = "campaign_limit"
        case campaignWindowDays = "campaign_window_days"
        case offerCampaignLimit = "offer_campaign_limit"
        case offerWindowDays = "offer_window_days"
        case weekdayHours = "weekday_hours"
        case weekendHours = "weekend_hours"
        case noCallDays = "no_call_days"
        case extraNoCallDates = "extra_no_call_dates"
        case calledNumberTypes = "called_number_types"
        case calledCountries = "called_countries"
        case customerExemption = "customer_exemption"
        case customerExemptionMonths = "customer_exemption_months"
        case consentExemption = "consent_exemption"
        case consentExemptionMonths = "consent_exemption_months"
        case registerValidityMonths = "register_validity_months"
        case nixMode = "nix_mode"
        case consentValidityMonths = "consent_validity_months"
        case noCallWeekdays = "no_call_weekdays"
        case country
        case registerName = "register_name"
    }

    /// The profile file's keys, in the order they are written.
    public static var jsonKeys: [String] { Key.allCases.map(\.rawValue) }

    public init(from decoder: Decoder) throws {
        try rejectUnknownKeys(decoder, known: RuleProfile.jsonKeys, prefix: "")
        let c = try decoder.container(keyedBy: Key.self)
        var p = decoder.userInfo[RuleProfile.baseProfileKey] as? RuleProfile ?? .default
        // Present keys are decoded strictly: null is an error, not "use the default".
        func value<T: Decodable>(_ key: Key, _ target: inout T) throws {
            if c.contains(key) { target = try c.decode(T.self, forKey: key) }
        }
        func int(_ key: Key, _ range: ClosedRange<Int>, _ target: inout Int) throws {
            guard c.contains(key) else { return }
            // Read as a double: the JSON decoder reports 2.5 for an Int as "not valid JSON".
            let number = try c.decode(Double.self, forKey: key)
            guard let v = Int(exactly: number), range.contains(v) else {
                let bounds = range.upperBound == .max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
                let found = Int(exactly: number).map(String.init) ?? String(number)
                throw ProfileProblem(key: key.rawValue, reason: "must be a whole number \(bounds), found \(found)")
            }
            target = v
        }
        try int(.dailyLimit, 1...Int.max, &p.dailyLimit)
        try int(.minGapMinutes, 0...1440, &p.minGapMinutes)
        try int(.campaignLimit, 1...Int.max, &p.campaignLimit)
        try int(.campaignWindowDays, 1...3660, &p.campaignWindowDays)
        try int(.offerCampaignLimit, 1...Int.max, &p.offerCampaignLimit)
        try int(.offerWindowDays, 1...3660, &p.offerWindowDays)
        try int(.customerExemptionMonths, 0...1200, &p.customerExemptionMonths)
        try int(.consentExemptionMonths, 0...1200, &p.consentExemptionMonths)
        try int(.registerValidityMonths, 1...1200, &p.registerValidityMonths)
        try int(.consentValidityMonths, 0...1200, &p.consentValidityMonths)
        if c.contains(.nixMode) {
            let text = try c.decode(String.self, forKey: .nixMode)
            guard let mode = NixMode(rawValue: text) else {
                throw ProfileProblem(key: Key.nixMode.rawValue, reason: "'\(text)' is not one of \(NixMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            p.nixMode = mode
        }
        try value(.noCallWeekdays, &p.noCallWeekdays)
        if c.contains(.country) {
            let code = try c.decode(String.self, forKey: .country)
            guard RuleProfile.knownCountries.contains(code) else {
                throw ProfileProblem(key: Key.country.rawValue, reason: "'\(code)' is not one of \(RuleProfile.knownCountries.joined(separator: ", "))")
            }
            p.country = code
        }
        try value(.registerName, &p.registerName)
        if p.registerName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ProfileProblem(key: Key.registerName.rawValue, reason: "must name the register")
        }
        try value(.weekdayHours, &p.weekdayHours)
        try value(.weekendHours, &p.weekendHours)
        try value(.noCallDays, &p.noCallDays)
        try value(.extraNoCallDates, &p.extraNoCallDates)
        func names(_ key: Key, _ known: [String], _ target: inout [String]) throws {
            var v: [String] = []
            guard c.contains(key) else { return }
            try value(key, &v)
            if let unknown = v.first(where: { !known.contains($0) }) {
                throw ProfileProblem(key: key.rawValue, reason: "'\(unknown)' is not one of \(known.joined(separator: ", "))")
            }
            target = v
        }
        try names(.calledNumberTypes, RuleProfile.knownNumberTypes, &p.calledNumberTypes)
        try names(.calledCountries, RuleProfile.knownCountries, &p.calledCountries)
        try value(.customerExemption, &p.customerExemption)
        try value(.consentExemption, &p.consentExemption)
        self = p
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(dailyLimit, forKey: .dailyLimit)
        try c.encode(minGapMinutes, forKey: .minGapMinutes)
        try c.encode(campaignLimit, forKey: .campaignLimit)
        try c.encode(campaignWindowDays, forKey: .campaignWindowDays)
        try c.encode(offerCampaignLimit, forKey: .offerCampaignLimit)
        try c.encode(offerWindowDays, forKey: .offerWindowDays)
        try c.encode(weekdayHours, forKey: .weekdayHours)
        try c.encode(weekendHours, forKey: .weekendHours)
        try c.encode(noCallDays, forKey: .noCallDays)
        try c.encode(extraNoCallDates, forKey: .extraNoCallDates)
        try c.encode(calledNumberTypes, forKey: .calledNumberTypes)
        try c.encode(calledCountries, forKey: .calledCountries)
        try c.encode(customerExemption, forKey: .customerExemption)
        try c.encode(customerExemptionMonths, forKey: .customerExemptionMonths)
        try c.encode(consentExemption, forKey: .consentExemption)
        try c.encode(consentExemptionMonths, forKey: .consentExemptionMonths)
        try c.encode(registerValidityMonths, forKey: .registerValidityMonths)
        try c.encode(nixMode.rawValue, forKey: .nixMode)
        try c.encode(consentValidityMonths, forKey: .consentValidityMonths)
        try c.encode(noCallWeekdays, forKey: .noCallWeekdays)
        try c.encode(country, forKey: .country)
        try c.encode(registerName, forKey: .registerName)
    }

    /// A JSON decoding failure as a message that names the key and what was expected.
    private static func describe(_ error: DecodingError, path: String) -> NixWashError {
        func key(_ codingPath: [CodingKey]) -> String? {
            let parts = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            guard !parts.isEmpty else { return nil }
            return parts.reduce("") { $0.isEmpty || $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 }
        }
        switch error {
        case let .typeMismatch(type, context):
            return .invalidRuleProfile(path: path, key: key(context.codingPath), reason: "expected \(expectation(type))")
        case let .valueNotFound(type, context):
            return .invalidRuleProfile(path: path, key: key(context.codingPath), reason: "expected \(expectation(type)), found null")
        case let .keyNotFound(missing, context):
            return .invalidRuleProfile(path: path, key: key(context.codingPath + [missing]), reason: "is required")
        case let .dataCorrupted(context):
            return .invalidRuleProfile(path: path, key: key(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidRuleProfile(path: path, key: nil, reason: "\(error)")
        }
    }

    private static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        case is [Any].Type: return "an array"
        default: return "a JSON object"
        }
    }
}

/// What keeps a number from being called: the register (today's rules), or the lack of a
/// consent (the proposed opt-in regime; see docs/rule-profile.md).
public enum NixMode: String, CaseIterable, Sendable {
    case nix
    case consentOnly = "consent_only"
}

extension CallingHours: Codable {
    private enum Key: String, CaseIterable, CodingKey { case open, close }

    public init(from decoder: Decoder) throws {
        let prefix = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        try rejectUnknownKeys(decoder, known: Key.allCases.map(\.rawValue), prefix: prefix + ".")
        let c = try decoder.container(keyedBy: Key.self)
        func minutes(_ key: Key) throws -> Int {
            let text = try c.decode(String.self, forKey: key)
            guard let value = CallingHours.minutes(text) else {
                throw ProfileProblem(key: "\(prefix).\(key.rawValue)", reason: "'\(text)' is not a time of day HH:MM (00:00 to 24:00)")
            }
            return value
        }
        let open = try minutes(.open), close = try minutes(.close)
        guard open < close, open < 1440 else {
            throw ProfileProblem(key: prefix, reason: "open (\(CallingHours.text(minutes: open))) must be before close (\(CallingHours.text(minutes: close)))")
        }
        self.init(open: open, close: close)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(CallingHours.text(minutes: open), forKey: .open)
        try c.encode(CallingHours.text(minutes: close), forKey: .close)
    }
}

/// A profile value the JSON types allow but the rules do not; `RuleProfile.decode` turns it
/// into `NixWashError.invalidRuleProfile` with the file's path.
struct ProfileProblem: Error {
    var key: String
    var reason: String
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Throws for the first key of the object being decoded that is not in `known`.
private func rejectUnknownKeys(_ decoder: Decoder, known: [String], prefix: String) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
        throw ProfileProblem(key: prefix + unknown, reason: "unknown key; the known keys here are \(known.joined(separator: ", "))")
    }
}
