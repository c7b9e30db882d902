import ArgumentParser
import Foundation
import NixWashKit

struct Explain: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain which rules hit one or more numbers in a campaign's context, and why.",
        discussion: """
        For the consumer who calls to ask why they were called, or not: give the same campaign \
        context as the scrub (options or --config) and the numbers in any written form, or a file \
        of numbers (one a line). Shown per number: the verdict and its reasons, every attempt in \
        the history with the rule windows it falls in, the customer agreement or consent behind an \
        exemption, and the NIX register date. The duplicate rule needs a whole run and is not judged here.
        """
    )

    @OptionGroup var campaign: CampaignOptions

    @OptionGroup var output: OutputOptions

    @Option(help: "A file of numbers to explain, one a line ('-' reads standard input); blank lines and lines starting with # are skipped.")
    var numbersFile: String?

    @Argument(help: "The phone numbers, in any common written form.")
    var numbers: [String] = []

    func validate() throws {
        guard !numbers.isEmpty || numbersFile != nil else {
            throw ValidationError("Give at least one phone number, or --numbers-file FILE.")
        }
    }

    func run() throws {
        try runMappingErrors(resultOnStandardOutput: true) {
            let file = try campaign.loadCampaignFile()
            let config = try campaign.configuration(file: file, leadFiles: [], outputFolder: nil)
            var inputs = numbers
            if let numbersFile { inputs += try Self.readNumbers(numbersFile) }
            let explainer = try NumberExplainer(configuration: config)
            let store = try config.historyDatabase.map { try ContactHistory.open($0, mode: .readOnly) }
            var objects: [[String: Any]] = []
            var texts: [String] = []
            for input in inputs {
                let verdict = explainer.verdict(input)
                try explainer.confirm()
                let trace = try verdict.number.map { try NumberTrace.trace($0.key, lists: explainer.lists, store: store) }
                if Console.json {
                    objects.append(try Self.object(input: input, verdict: verdict, trace: trace, explainer: explainer))
                } else {
                    texts.append(Self.text(input: input, verdict: verdict, trace: trace, explainer: explainer))
                }
            }
            Console.summarize(ExplainSummary(numbers: try objects.map { try JSONValue(serializing: $0) }))
            Console.result(texts.joined(separator: "\n\n"))
        }
    }

    /// The `--json` summary: one object per number, in the order given.
    struct ExplainSummary: Encodable {
        var numbers: [JSONValue]
    }

    static func readNumbers(_ path: String) throws -> [String] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw NixWashError.cannotOpen(path: path, reason: "no such file or no permission to read it")
            }
            data = contents
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    static func object(input: String, verdict: NumberVerdict, trace: NumberTrace?, explainer: NumberExplainer) throws -> [String: Any] {
        let config = explainer.lists.configuration
        var object: [String: Any] = [
            "input": input, "call_date": config.callDate.description, "campaign": config.campaign,
            "offer": config.offer, "contact_centre": config.contactCentre,
            "callable": verdict.isCallable,
            "reasons": verdict.reasons.reasons.map(\.rawValue),
            "details": Dictionary(uniqueKeysWithValues: explainer.wording.details(of: verdict).map { ($0.0.rawValue, $0.1) }),
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
        if let trace {
            // The trace's own keys (nix_register, customer, consent, attempts), snake case.
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let traced = try JSONSerialization.jsonObject(with: encoder.encode(trace)) as? [String: Any] ?? [:]
            object["nix_register"] = traced["register"]
            object["customer"] = traced["customer"] ?? NSNull()
            object["consent"] = traced["consent"] ?? NSNull()
            object["attempts"] = traced["attempts"] ?? NSNull()
        }
        if verdict.isCallable {
            object["attempts_left_today"] = verdict.quota.attemptsLeftToday
            object["not_before"] = StockholmTime.iso8601(verdict.quota.notBefore)
            object["nix_exemption"] = verdict.exemption?.rawValue ?? NSNull()
        }
        return object
    }

    static func text(input: String, verdict: NumberVerdict, trace: NumberTrace?, explainer: NumberExplainer) -> String {
        let config = explainer.lists.configuration
        var lines = ["\(input)"]
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
            for (reason, detail) in explainer.wording.details(of: verdict) {
                lines.append("    \(reason.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(detail)")
            }
        }
        guard let trace else { return lines.joined(separator: "\n") }
        let register = trace.register
        lines.append("  register     \(register.listed ? "in" : "not in") the NIX register \(register.label) of \(register.registerDate?.description ?? "unknown date")")
        if let customer = trace.customer {
            let agreement = customer.agreementEnd.map { $0 < config.callDate ? "ended \($0)" : "ends \($0)" } ?? "active"
            lines.append("  customer     agreement \(agreement); \(customer.exempts ? "exempts on the call date" : "does not exempt on the call date (\(config.profile.customerExemption ? "more than \(config.profile.customerExemptionMonths) months before it" : "customer exemption switched off"))")")
        } else if explainer.lists.customers != nil {
            lines.append("  customer     not on the customer list\(config.productCategory.map { " for the category \($0)" } ?? "")")
        }
        if let consent = trace.consent {
            lines.append("  consent      given \(consent.consentDate); \(consent.exempts ? "exempts on the call date" : "does not exempt on the call date (\(config.profile.consentExemption ? "more than \(config.profile.consentExemptionMonths) months before it" : "consent exemption switched off"))")")
        } else if explainer.lists.consents != nil {
            lines.append("  consent      none on the consent list on or before the call date")
        }
        if let attempts = trace.attempts {
            lines.append("  attempts in the history: \(attempts.count) (time, campaign, offer, contact centre, outcome: the rule windows it counts in)")
            for a in attempts {
                let counted = a.windows.isEmpty ? "not counted: \(a.notCounted ?? "")" : a.windows.joined(separator: ", ")
                lines.append("    \(a.attemptedAt)  \(a.campaign)  \(a.offer)  \(a.contactCentre)  \(a.outcome ?? "-"): \(counted)")
            }
        } else {
            lines.append("  attempts     no contact history given (--history): the quotas were judged without one")
        }
        return lines.joined(separator: "\n")
    }
}
