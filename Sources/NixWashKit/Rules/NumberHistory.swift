/// What the rules need to know of one number's past attempts, relative to one run (call
/// date, campaign, offer, contact centre). The history snapshot computes it per number once
/// per run; the judge reads it. All counts are of attempts (påringningar) as SPEC defines them.
public struct NumberHistory: Equatable, Sendable {
    /// Attempts within this campaign, by any contact centre, in the 30 days ending on the call
    /// date (the window length is a rule-profile setting; the snapshot applies it).
    public var campaignAttemptsInWindow: Int
    /// Attempts by this contact centre within this campaign on the call date.
    public var centreAttemptsOnCallDate: Int
    /// Time of the latest attempt by this contact centre within this campaign on the call date,
    /// in seconds since 1970-01-01T00:00:00Z, or nil when there is none.
    public var lastCentreAttemptOnCallDate: Int64?
    /// Distinct campaigns other than this one that attempted this number with the same offer
    /// in the offer window (365 days by default) ending on the call date.
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
