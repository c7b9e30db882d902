/// What the rules need to know of one number's past attempts, relative to one run (call
/// date, campaign, offer, contact centre). The history snapshot computes it per number once
/// per run; the judge (`QuotaJudge`) reads it. All counts are of attempts (påringningar) as
/// SPEC defines them.
///
/// Days are Europe/Stockholm calendar days: an attempt belongs to the local date of its instant
/// (`StockholmTime.localDate`). A window of N days "ending on the call date" is the call date
/// and the N - 1 days before it: local dates `RuleProfile.windowStart(callDate:days:)` through
/// the call date, both included, i.e. the instants `StockholmTime.startOfDay(start)
/// ..< StockholmTime.startOfDay(callDate.adding(days: 1))`. With the defaults the campaign
/// window is the call date and the 29 days before it (`campaignWindowStart`), the offer window
/// the call date and the 364 days before it (`offerWindowStart`). Attempts later on the call
/// date than the run count too.
public struct NumberHistory: Equatable, Sendable {
    /// Attempts within this campaign, by any contact centre (this one included), in the
    /// campaign window (`campaign_window_days`, 30) ending on the call date.
    public var campaignAttemptsInWindow: Int
    /// Attempts by this contact centre within this campaign on the call date.
    public var centreAttemptsOnCallDate: Int
    /// Time of the latest attempt by this contact centre within this campaign on the call date,
    /// in seconds since 1970-01-01T00:00:00Z, or nil when there is none.
    public var lastCentreAttemptOnCallDate: Int64?
    /// Distinct campaigns other than this one that attempted this number with the same offer
    /// in the offer window (`offer_window_days`, 365) ending on the call date, by any contact
    /// centre.
    public var otherCampaignsWithSameOffer: Int

    public static let none = NumberHistory(campaignAttemptsInWindow: 0, centreAttemptsOnCallDate: 0,
                                           lastCentreAttemptOnCallDate: nil, otherCampaignsWithSameOffer: 0)

    public init(campaignAttemptsInWindow: Int, centreAttemptsOnCallDate: Int,
                lastCentreAttemptOnCallDate: Int64?, otherCampaignsWithSameOffer: Int) {
        self.campaignAttemptsInWindow = campaignAttemptsInWindow
        self.centreAttemptsOnCallDate = centreAttemptsOnCallDate
        self.lastCentreAttemptOnCallDate = lastCentreAttemptOnCallDate
        self.otherCampaignsWithSameOffer = otherCampaignsWithSameOffer
    }
}
