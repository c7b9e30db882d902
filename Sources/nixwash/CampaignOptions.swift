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

    @Option(help: "Header name of the customer list's number column (default: every column named like a phone number).")
    var customerNumberColumn: String?

    @Option(help: "Header name of the customer list's agreement-end column (default: found by name, e.g. agreement_end, avtalsslut).")
    var agreementEndColumn: String?

    @Option(help: "Header name of the customer list's product-category column (default: found by name, e.g. category, kategori).")
    var categoryColumn: String?

    @Option(help: "Header name of the consent list's number column (default: every column named like a phone number).")
    var consentNumberColumn: String?

    @Option(help: "Header name of the consent list's consent-date column (default: found by name, e.g. consent_date, samtycke).")
    var consentDateColumn: String?

    @Option(name: .customLong("history"), help: "Contact history database (from `nixwash history import`).")
    var historyDatabase: String?

    @Option(help: "Refuse the run (exit 3) when the history's newest attempt is older than this, e.g. 36h or 2d: last night's dialer log was not imported.")
    var historyMaxAge: String?

    @Option(help: "Rule profile JSON (docs/rule-profile.md); SPEC's defaults when not given.")
    var ruleProfile: String?

    @Option(help: "Country of numbers written without a country code: SE, NO, FI or DK.")
    var defaultCountry: String?

    func validate() throws {
        if let callDate, LocalDate(callDate) == nil {
            throw ValidationError("--call-date must be a date YYYY-MM-DD, not '\(callDate)'.")
        }
        if let historyMaxAge, HistoryCoverage.seconds(ofDuration: historyMaxAge) == nil {
            throw ValidationError("--history-max-age must be a duration such as 36h, 2d or 90m, not '\(historyMaxAge)'.")
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
        config.historyMaxAge = historyMaxAge.flatMap(HistoryCoverage.seconds(ofDuration:)) ?? file.historyMaxAge
        if config.historyMaxAge != nil, config.historyDatabase == nil {
            throw NixWashError.invalidSetting(source: "nixwash", reason: "--history-max-age (history_max_age) checks the contact history, but none was given: pass --history or set \"history_db\" in the campaign file.")
        }
        config.customerColumns = DatedListColumns(number: customerNumberColumn ?? file.customerNumberColumn,
                                                  date: agreementEndColumn ?? file.agreementEndColumn,
                                                  category: categoryColumn ?? file.categoryColumn)
        config.consentColumns = DatedListColumns(number: consentNumberColumn ?? file.consentNumberColumn,
                                                 date: consentDateColumn ?? file.consentDateColumn)
        if let path = ruleProfile ?? file.ruleProfile {
            config.profile = try RuleProfile.load(path: path)
            config.profilePath = path
        }
        config.defaultCountry = defaultCountry.flatMap(PhoneCountry.init(rawValue:)) ?? file.defaultCountry ?? .sweden
        return config
    }
}
