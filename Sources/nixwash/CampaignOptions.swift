import ArgumentParser
import NixWashKit

/// The run's context and the lists it washes against: shared by `scrub` and `explain`, so
/// `explain` answers with exactly the context a scrub would use. Every option can also come
/// from a campaign file (`--config`); options on the command line win.
struct CampaignOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "Campaign file (JSON) with any of these settings; relative paths in it are relative to it.")
    var campaignFile: String?

    @Option(help: "The day the calls are made (YYYY-MM-DD, Europe/Stockholm).")
    var callDate: String?

    @Option(help: "Campaign (uppdrag) id, as in the contact history.")
    var campaign: String?

    @Option(help: "Offer id: campaigns with the same offer make an identical offer.")
    var offer: String?

    @Option(help: "Contact centre (KKC) that dials, as in the contact history.")
    var contactCentre: String?

    @Option(help: "The campaign's product category, matched against the customer list's.")
    var productCategory: String?

    @Option(name: .customLong("nix"), help: "NIX register index (from `nixwash index build --kind nix`).")
    var nixIndex: String?

    @Option(name: .customLong("block"), help: "Company block-list index (repeatable).")
    var blockIndexes: [String] = []

    @Option(help: "Customer list CSV (number, agreement end, optional category) for the NIX customer exemption.")
    var customers: String?

    @Option(help: "Consent list CSV (number, consent date) for the NIX consent exemption.")
    var consents: String?

    @Option(name: .customLong("history"), help: "Contact history database (from `nixwash history import`).")
    var historyDatabase: String?

    @Option(help: "Rule profile JSON (docs/rule-profile.md); SPEC's defaults when not given.")
    var ruleProfile: String?

    @Option(help: "Country of numbers written without a country code: SE, NO, FI or DK.")
    var defaultCountry: String?

    func validate() throws {
        if let historyDatabase { try validateHistoryLocation(historyDatabase, option: "--history") }
        if let callDate, LocalDate(callDate) == nil {
            throw ValidationError("--call-date must be a date YYYY-MM-DD, not '\(callDate)'.")
        }
        if let defaultCountry, PhoneCountry(rawValue: defaultCountry) == nil {
            throw ValidationError("--default-country must be SE, NO, FI or DK, not '\(defaultCountry)'.")
        }
    }

    func loadCampaignFile() throws -> CampaignFile {
        try campaignFile.map { try CampaignFile.load(path: $0) } ?? CampaignFile()
    }

    /// The configuration from the campaign file with the command line on top. Missing required
    /// settings are usage errors that say how to give them.
    func configuration(file: CampaignFile, leadFiles: [String], outputFolder: String?) throws -> ScrubConfiguration {
        func required<T>(_ value: T?, _ option: String, _ key: String) throws -> T {
            guard let value else {
                throw NixWashError.invalidSetting(source: "nixwash", reason: "no \(option) given: pass \(option) or set \"\(key)\" in the campaign file (--config).")
            }
            return value
        }
        let callDate = try required(self.callDate.flatMap(LocalDate.init) ?? file.callDate, "--call-date", "call_date")
        let campaign = try required(self.campaign ?? file.campaign, "--campaign", "campaign")
        var config = ScrubConfiguration(
            leadFiles: leadFiles,
            outputFolder: outputFolder ?? file.output ?? "nixwash-\(campaign)-\(callDate)",
            callDate: callDate, campaign: campaign,
            offer: try required(offer ?? file.offer, "--offer", "offer"),
            contactCentre: try required(contactCentre ?? file.contactCentre, "--contact-centre", "contact_centre"),
            nixIndex: try required(nixIndex ?? file.nixIndex, "--nix", "nix_index"))
        config.productCategory = productCategory ?? file.productCategory
        config.blockIndexes = blockIndexes.isEmpty ? (file.blockIndexes ?? []) : blockIndexes
        config.customers = customers ?? file.customers
        config.consents = consents ?? file.consents
        config.historyDatabase = historyDatabase ?? file.historyDatabase
        if let path = ruleProfile ?? file.ruleProfile {
            config.profile = try RuleProfile.load(path: path)
            config.profilePath = path
        }
        config.defaultCountry = defaultCountry.flatMap(PhoneCountry.init(rawValue:)) ?? file.defaultCountry ?? .sweden
        return config
    }
}
