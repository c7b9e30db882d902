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

    @Option(name: .customLong("history"), help: "Contact history: a database file (from `nixwash history import`) or a postgres:// URL (password in ~/.pgpass or PGPASSWORD).")
    var historyDatabase: String?

    @Option(help: "Shipped rule profile to start from: se (Sweden, NIX-Telefon; the default) or no (Norway, Reservasjonsregisteret).")
    var profile: String?

    @Option(help: "Refuse the run (exit 3) when the history's newest attempt is older than this, e.g. 36h or 2d: last night's dialer log was not imported.")
    var historyMaxAge: String?

    @Option(help: "Rule profile JSON (docs/rule-profile.md): the keys it sets change the chosen --profile.")
    var ruleProfile: String?

    @Option(help: "Country of numbers written without a country code: SE, NO, FI or DK.")
    var defaultCountry: String?

    func validate() throws {
        if let historyDatabase { try validateHistoryLocation(historyDatabase, option: "--history") }
        if let callDate, LocalDate(callDate) == nil {
            throw ValidationError("--call-date must be a date YYYY-MM-DD, not '\(callDate)'.")
        }
        if let profile, ShippedProfile(rawValue: profile) == nil {
            throw ValidationError("--profile must be one of \(ShippedProfile.allCases.map(\.rawValue).joined(separator: ", ")), not '\(profile)'.")
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

    /// The configuration from the campaign file with the command line on top. Every missing
    /// required setting is named in one usage error, with its option and campaign-file key.
    func configuration(file: CampaignFile, leadFiles: [String], outputFolder: String?,
                       leadFilesRequired: Bool = false) throws -> ScrubConfiguration {
        let callDate = self.callDate.flatMap(LocalDate.init) ?? file.callDate
        let campaign = self.campaign ?? file.campaign
        let offer = self.offer ?? file.offer
        let contactCentre = self.contactCentre ?? file.contactCentre
        let nixIndex = self.nixIndex ?? file.nixIndex
        var missing: [String] = []
        if leadFilesRequired && leadFiles.isEmpty { missing.append("the lead lists: name them as arguments, or campaign-file key \"leads\"") }
        if callDate == nil { missing.append("the call date: --call-date, or campaign-file key \"call_date\"") }
        if campaign == nil { missing.append("the campaign: --campaign, or campaign-file key \"campaign\"") }
        if offer == nil { missing.append("the offer: --offer, or campaign-file key \"offer\"") }
        if contactCentre == nil { missing.append("the contact centre: --contact-centre, or campaign-file key \"contact_centre\"") }
        if nixIndex == nil { missing.append("the NIX index: --nix, or campaign-file key \"nix_index\" (build it with `nixwash index build --kind nix`)") }
        guard let callDate, let campaign, let offer, let contactCentre, let nixIndex, missing.isEmpty else {
            throw NixWashError.missingSettings(source: campaignFile ?? "the command line (no campaign file given with --config)",
                                               missing: missing)
        }
        // In the form the history stores names: a name typed or pasted with a decomposed `å` or
        // a no-break space is the history's name.
        let (campaignName, offerName, centreName) = (HistoryCoverage.canonicalName(campaign), HistoryCoverage.canonicalName(offer),
                                                     HistoryCoverage.canonicalName(contactCentre))
        var config = ScrubConfiguration(
            leadFiles: leadFiles,
            outputFolder: outputFolder ?? file.output ?? "nixwash-\(campaignName)-\(callDate)",
            callDate: callDate, campaign: campaignName, offer: offerName, contactCentre: centreName, nixIndex: nixIndex)
        config.productCategory = productCategory ?? file.productCategory
        config.blockIndexes = blockIndexes.isEmpty ? (file.blockIndexes ?? []) : blockIndexes
        config.customers = customers ?? file.customers
        config.consents = consents ?? file.consents
        config.historyDatabase = historyDatabase ?? file.historyDatabase
        let shipped = profile.flatMap(ShippedProfile.init(rawValue:)) ?? file.profile ?? .se
        config.profile = shipped.profile
        config.historyMaxAge = historyMaxAge.flatMap(HistoryCoverage.seconds(ofDuration:)) ?? file.historyMaxAge
        if config.historyMaxAge != nil, config.historyDatabase == nil {
            throw NixWashError.conflictingSettings(source: campaignFile ?? "the command line", reason: "--history-max-age (history_max_age) checks the contact history, but none was given: pass --history or set \"history_db\" in the campaign file.")
        }
        config.customerColumns = DatedListColumns(number: customerNumberColumn ?? file.customerNumberColumn,
                                                  date: agreementEndColumn ?? file.agreementEndColumn,
                                                  category: categoryColumn ?? file.categoryColumn)
        config.consentColumns = DatedListColumns(number: consentNumberColumn ?? file.consentNumberColumn,
                                                 date: consentDateColumn ?? file.consentDateColumn)
        if let path = ruleProfile ?? file.ruleProfile {
            config.profile = try RuleProfile.load(path: path, base: config.profile)
            config.profilePath = path
        }
        config.defaultCountry = defaultCountry.flatMap(PhoneCountry.init(rawValue:)) ?? file.defaultCountry
            ?? PhoneCountry(rawValue: config.profile.country) ?? .sweden
        return config
    }
}
