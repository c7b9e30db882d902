/// What `nixwash explain` shows behind a verdict, beyond the counts: every attempt of the
/// number in the history with the rule windows it falls in, the facts behind a NIX exemption,
/// and the register. Built outside the hot path, from the history database itself, so a
/// consumer services desk can check each counted attempt against the dialer's own log.
public struct NumberTrace: Encodable, Equatable, Sendable {
    /// One attempt of the number, as the history holds it.
    public struct Attempt: Encodable, Equatable, Sendable {
        /// Europe/Stockholm local time with its offset, e.g. `2026-11-23T09:00:00+01:00`.
        public var attemptedAt: String
        public var localDate: LocalDate
        public var campaign: String
        public var offer: String
        public var contactCentre: String
        public var outcome: String?
        /// The reason codes whose window the attempt falls in (`quota_30d`, `quota_daily`,
        /// `min_gap`, `offer_quota`); empty when no rule counts it.
        public var windows: [String]
        /// Why no rule counts it, when none does.
        public var notCounted: String?
    }

    /// The NIX register the number was looked up in.
    public struct Register: Encodable, Equatable, Sendable {
        public var label: String
        public var registerDate: LocalDate?
        public var listed: Bool
    }

    /// The customer list's latest matching agreement of the number (`agreementEnd` nil: active).
    public struct Customer: Encodable, Equatable, Sendable {
        public var agreementEnd: LocalDate?
        public var active: Bool
        /// Whether the exemption's months reach the call date.
        public var exempts: Bool
    }

    /// The consent list's latest consent on or before the call date.
    public struct Consent: Encodable, Equatable, Sendable {
        public var consentDate: LocalDate
        public var exempts: Bool
    }

    public var register: Register
    public var customer: Customer?
    public var consent: Consent?
    /// Every attempt of the number, oldest first (nil without a history database).
    public var attempts: [Attempt]?

    /// The trace of a normalized number against a run's lists; `store` is the run's history.
    public static func trace(_ key: PhoneKey, lists: WashLists, store: (any ContactHistoryStore)?) throws -> NumberTrace {
        let c = lists.configuration, profile = c.profile
        let callDay = Int32(c.callDate.daysSinceEpoch)
        var trace = NumberTrace(
            register: Register(label: lists.nix.header.label,
                               registerDate: lists.nix.header.registerDate.map { LocalDate(daysSinceEpoch: Int($0)) },
                               listed: lists.nix.contains(key: key)),
            customer: nil, consent: nil, attempts: nil)
        if let customers = lists.customers, let end = customers.agreementEnd(for: key, category: customers.category(c.productCategory)) {
            let endDate: LocalDate?
            switch end {
            case .active: endDate = nil
            case let .ended(day): endDate = LocalDate(daysSinceEpoch: Int(day))
            }
            trace.customer = Customer(agreementEnd: endDate, active: endDate == nil,
                                      exempts: profile.customerExemption
                                          && profile.customerExempts(agreementEnd: endDate, customerCategory: nil,
                                                                     campaignCategory: nil, callDate: c.callDate))
        }
        if let consents = lists.consents, let day = consents.latestConsent(for: key, onOrBefore: callDay) {
            let date = LocalDate(daysSinceEpoch: Int(day))
            trace.consent = Consent(consentDate: date,
                                    exempts: profile.consentExemption && profile.consentExempts(consentDate: date, callDate: c.callDate))
        }
        if let store {
            let campaignStart = Int32(profile.campaignWindowStart(callDate: c.callDate).daysSinceEpoch)
            let offerStart = Int32(profile.offerWindowStart(callDate: c.callDate).daysSinceEpoch)
            trace.attempts = try store.attempts(of: key).map { row in
                var windows: [String] = [], notCounted: String?
                if row.localDay > callDay {
                    notCounted = "after the call date"
                } else if row.campaign == c.campaign {
                    if row.localDay >= campaignStart { windows.append(Reason.quota30d.rawValue) }
                    if row.localDay == callDay, row.contactCentre == c.contactCentre {
                        windows += [Reason.quotaDaily.rawValue, Reason.minGap.rawValue]
                    }
                    if windows.isEmpty { notCounted = "before the \(profile.campaignWindowDays)-day campaign window" }
                } else if row.offer != c.offer {
                    notCounted = "another campaign with another offer"
                } else if row.localDay >= offerStart {
                    windows.append(Reason.offerQuota.rawValue)
                } else {
                    notCounted = "before the \(profile.offerWindowDays)-day offer window"
                }
                return Attempt(attemptedAt: StockholmTime.iso8601(row.attemptedAt),
                               localDate: LocalDate(daysSinceEpoch: Int(row.localDay)),
                               campaign: row.campaign, offer: row.offer, contactCentre: row.contactCentre,
                               outcome: row.outcome, windows: windows, notCounted: notCounted)
            }
        }
        return trace
    }
}

extension HistoryStore {
    /// One stored attempt with its names.
    public struct StoredAttempt: Equatable, Sendable {
        public var attemptedAt: Int64
        public var localDay: Int32
        public var campaign: String
        public var offer: String
        public var contactCentre: String
        public var outcome: String?
    }

    /// Every attempt of one number, oldest first: one primary-key range per campaign (the
    /// number is the key's second column), so no scan of the table.
    public func attempts(of key: PhoneKey) throws -> [StoredAttempt] {
        let query = try db.prepare("""
            SELECT a.attempted_at, a.local_date, c.name, o.name, k.name, r.name
            FROM campaigns c
            JOIN attempts a ON a.campaign_id = c.id AND a.number = ?1
            JOIN offers o ON o.id = a.offer_id
            JOIN contact_centres k ON k.id = a.contact_centre_id
            LEFT JOIN outcomes r ON r.id = a.outcome_id
            ORDER BY a.attempted_at, c.name, k.name
            """)
        query.bind(1, Int64(key.rawValue))
        defer { query.reset() }
        var rows: [StoredAttempt] = []
        while try query.step() {
            rows.append(StoredAttempt(attemptedAt: query.int64(0), localDay: Int32(query.int64(1)),
                                      campaign: query.text(2) ?? "", offer: query.text(3) ?? "",
                                      contactCentre: query.text(4) ?? "", outcome: query.text(5)))
        }
        return rows
    }
}

/// `explain`: numbers judged one at a time outside a run, by a scrub's stages. The duplicate
/// rule, which needs a whole run, is not applied.
public final class NumberExplainer {
    public let lists: WashLists
    public let wording: RejectWording
    private let prepare: Prepare
    private let rules: VerdictRules

    public init(configuration: ScrubConfiguration) throws {
        // A few numbers: each one's history is read alone, not the campaign's and offer's whole,
        // and every count is kept, to show.
        lists = try WashLists(configuration: configuration, everyHistoryCount: true, historyLookup: .perNumber)
        prepare = Prepare(lists: lists)
        rules = VerdictRules(profile: configuration.profile, callDate: configuration.callDate)
        wording = RejectWording(lists: lists, rules: rules)
    }

    /// The verdict on one number as a lead's phone field gives it.
    public func verdict(_ field: String) -> NumberVerdict {
        let (parsed, facts) = Array(field.utf8).withUnsafeBytes { prepare.alone($0) }
        return rules.verdict(parsed, duplicate: false, facts: facts)
    }

    /// Throws when a verdict given cannot be trusted (`WashLists.confirm`).
    public func confirm() throws { try lists.confirm() }
}
