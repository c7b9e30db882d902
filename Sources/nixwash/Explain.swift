import ArgumentParser
import Foundation
import NixWashKit

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain which rules hit one number in a campaign's context, and why.",
        discussion: """
        For the consumer who calls to ask why they were called, or not: give the same campaign \
        context as the scrub (options or --config) and the number in any written form. The \
        duplicate rule needs a whole run and is not judged here.
        """
    )

    @OptionGroup var campaign: CampaignOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Argument(help: "The phone number, in any common written form.")
    var number: String

    func run() throws {
        try runMappingErrors(resultOnStandardOutput: true) {
            let file = try campaign.loadCampaignFile()
            let config = try campaign.configuration(file: file, leadFiles: [], outputFolder: nil)
            let judge = try NumberJudge(configuration: config, everyHistoryCount: true)
            let verdict = Array(number.utf8).withUnsafeBytes { judge.judge($0) }
            let details = judge.details(of: verdict)
            if json {
                var object: [String: Any] = [
                    "input": number, "call_date": config.callDate.description, "campaign": config.campaign,
                    "offer": config.offer, "contact_centre": config.contactCentre,
                    "callable": verdict.isCallable,
                    "reasons": verdict.reasons.reasons.map(\.rawValue),
                    "details": Dictionary(uniqueKeysWithValues: details.map { ($0.0.rawValue, $0.1) }),
                ]
                if let reason = verdict.reasons.primary { object["reason"] = reason.rawValue }
                if let n = verdict.number {
                    object["e164"] = n.key.e164
                    object["country"] = n.country?.rawValue ?? NSNull()
                    object["type"] = n.type.rawValue
                    object["history"] = [
                        "campaign_attempts_in_window": verdict.history.campaignAttemptsInWindow,
                        "centre_attempts_on_call_date": verdict.history.centreAttemptsOnCallDate,
                        "other_campaigns_with_same_offer": verdict.history.otherCampaignsWithSameOffer,
                    ]
                }
                if verdict.isCallable {
                    object["attempts_left_today"] = verdict.quota.attemptsLeftToday
                    object["not_before"] = StockholmTime.iso8601(verdict.quota.notBefore)
                    object["nix_exemption"] = verdict.exemption?.rawValue ?? NSNull()
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            var lines = ["\(number)"]
            if let n = verdict.number {
                lines.append("  number       \(n.key.e164) (\(n.type.rawValue), \(n.country?.rawValue ?? "other country"))")
            }
            lines.append("  context      campaign \(config.campaign), offer \(config.offer), contact centre \(config.contactCentre), call date \(config.callDate)")
            if verdict.number != nil {
                let h = verdict.history
                lines.append("  history      \(h.campaignAttemptsInWindow) attempts in the campaign in \(config.profile.campaignWindowDays) days; \(h.centreAttemptsOnCallDate) by this contact centre on the call date; \(h.otherCampaignsWithSameOffer) other campaigns with this offer in \(config.profile.offerWindowDays) days")
            }
            if verdict.isCallable {
                lines.append("  verdict      CALLABLE")
                if let exemption = verdict.exemption {
                    lines.append("  NIX          registered, but exempt: \(exemption == .customer ? "a customer of the principal (agreement active or ended within \(config.profile.customerExemptionMonths) months)" : "consent to be called given within \(config.profile.consentExemptionMonths) months")")
                }
                lines.append("  attempts     \(verdict.quota.attemptsLeftToday) left on \(config.callDate), not before \(StockholmTime.iso8601(verdict.quota.notBefore))")
            } else {
                lines.append("  verdict      NOT CALLABLE: \(verdict.reasons.primary!.rawValue)")
                for (reason, detail) in details { lines.append("    \(reason.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(detail)") }
            }
            print(lines.joined(separator: "\n"))
        }
    }
}
