/// The quota part of a number's verdict: which of `offer_quota`, `quota_30d`, `quota_daily`,
/// `min_gap` apply, how many attempts are left on the call date and when the next may start.
public struct QuotaVerdict: Equatable, Sendable {
    /// The quota reasons that apply (a subset of offer_quota, quota_30d, quota_daily, min_gap).
    public var reasons: ReasonSet
    /// Attempts this contact centre may still make on the call date; 0 when any reason applies.
    public var attemptsLeftToday: Int
    /// Earliest instant the next attempt may start on the call date (seconds since
    /// 1970-01-01T00:00:00Z): the window's open, or the last attempt today plus the minimum gap
    /// when that is later. With `min_gap` it is at or after the window's close.
    public var notBefore: Int64

    public init(reasons: ReasonSet, attemptsLeftToday: Int, notBefore: Int64) {
        self.reasons = reasons
        self.attemptsLeftToday = attemptsLeftToday
        self.notBefore = notBefore
    }

    public var isCallable: Bool { reasons.isEmpty }
}

/// Judges numbers' histories for one run (one call date; the campaign, offer and contact
/// centre are those the `NumberHistory` values were counted for). Built once per run; `judge`
/// is pure integer arithmetic on a trivial struct: no allocation, no reference counting.
///
/// Thresholds (with the defaults):
/// - `offer_quota`: `otherCampaignsWithSameOffer >= offer_campaign_limit` (2): two other
///   campaigns with this offer in the offer window make this one the third.
/// - `quota_30d`: `campaignAttemptsInWindow >= campaign_limit` (20): after 19 attempts the
///   20th is allowed, after 20 the 21st is not.
/// - `quota_daily`: `centreAttemptsOnCallDate >= daily_limit` (2).
/// - `min_gap`: `lastCentreAttemptOnCallDate + min_gap >= window.close`: the next attempt may
///   start exactly `min_gap` after the last (4 hours apart is allowed, 3 h 59 min is not) and
///   must start before the window closes (the close itself is outside the window).
/// - `attemptsLeftToday = max(0, min(daily_limit - centreAttemptsOnCallDate,
///   campaign_limit - campaignAttemptsInWindow))`, or 0 when any reason applies.
/// - `notBefore = max(window.open, lastCentreAttemptOnCallDate + min_gap)`.
///
/// The gap is elapsed time, not wall-clock time, so it stays right on DST change days.
/// The call date's no-call status is not judged here: a run for a no-call day is refused
/// before any number is judged (`RuleProfile.refusal`).
public struct QuotaJudge: Sendable {
    public let callDate: LocalDate
    /// The calling window of the call date.
    public let window: CallingWindow
    @usableFromInline let dailyLimit: Int
    @usableFromInline let campaignLimit: Int
    @usableFromInline let offerCampaignLimit: Int
    @usableFromInline let minGapSeconds: Int64
    // The reasons' bits, computed once rather than by `Reason.precedence`'s switch for every
    // number judged.
    @usableFromInline let offerQuota = ReasonSet(.offerQuota)
    @usableFromInline let quota30d = ReasonSet(.quota30d)
    @usableFromInline let quotaDaily = ReasonSet(.quotaDaily)
    @usableFromInline let minGap = ReasonSet(.minGap)

    public init(profile: RuleProfile, callDate: LocalDate) {
        self.callDate = callDate
        self.window = profile.callingWindow(on: callDate)
        self.dailyLimit = profile.dailyLimit
        self.campaignLimit = profile.campaignLimit
        self.offerCampaignLimit = profile.offerCampaignLimit
        self.minGapSeconds = Int64(profile.minGapMinutes) * 60
    }

    @inlinable
    public func judge(_ history: NumberHistory) -> QuotaVerdict {
        var reasons = ReasonSet()
        if history.otherCampaignsWithSameOffer >= offerCampaignLimit { reasons.formUnion(offerQuota) }
        if history.campaignAttemptsInWindow >= campaignLimit { reasons.formUnion(quota30d) }
        if history.centreAttemptsOnCallDate >= dailyLimit { reasons.formUnion(quotaDaily) }
        var notBefore = window.open
        if let last = history.lastCentreAttemptOnCallDate {
            let next = last + minGapSeconds
            if next >= window.close { reasons.formUnion(minGap) }
            if next > notBefore { notBefore = next }
        }
        let left = reasons.isEmpty
            ? max(0, min(dailyLimit - history.centreAttemptsOnCallDate, campaignLimit - history.campaignAttemptsInWindow))
            : 0
        return QuotaVerdict(reasons: reasons, attemptsLeftToday: left, notBefore: notBefore)
    }
}
