import Foundation

/// A campaign file (JSON) so a nightly job can give every scrub setting in one file: each
/// under the same name as its command-line option, in snake case. Relative paths are relative to the campaign file's folder. A key nixwash does not
/// know is an error naming it, so a misspelt setting never silently falls back.
///
/// ```json
/// {
///   "call_date": "2026-11-23", "campaign": "vinter-2026", "offer": "bredband-100",
///   "contact_centre": "kkc-umea", "product_category": "bredband",
///   "nix_index": "nix.idx", "block_indexes": ["block.idx"],
///   "customers": "customers.csv", "consents": "consents.csv", "history_db": "history.db",
///   "rule_profile": "rules.json", "leads": ["leads-a.csv.gz"], "output": "out/vinter",
///   "phone_columns": ["Telefon"], "not_phone_columns": ["Kundnr"], "max_malformed_share": 0.01,
///   "source_column": "Källa", "source": "Leadbolaget AB",
///   "delimiter": ";", "default_country": "SE", "compression_level": 1,
///   "customer_number_column": "Telefon", "agreement_end_column": "Avtalsslut",
///   "category_column": "Produkt", "consent_number_column": "Mobil",
///   "consent_date_column": "Samtycke", "history_max_age": "36h"
/// }
/// ```
public struct CampaignFile: Equatable, Sendable {
    public var callDate: LocalDate?
    public var campaign: String?
    public var offer: String?
    public var contactCentre: String?
    public var productCategory: String?
    public var nixIndex: String?
    public var blockIndexes: [String]?
    public var customers: String?
    public var consents: String?
    public var historyDatabase: String?
    public var ruleProfile: String?
    public var leads: [String]?
    public var output: String?
    public var phoneColumns: [String]?
    public var notPhoneColumns: [String]?
    public var maxMalformedShare: Double?
    public var sourceColumn: String?
    public var source: String?
    public var delimiter: String?
    public var sheet: String?
    public var defaultCountry: PhoneCountry?
    public var compressionLevel: Int?
    /// The shipped rule profile the run starts from (`se`, `no`).
    public var profile: ShippedProfile?
    public var customerNumberColumn: String?
    public var agreementEndColumn: String?
    public var categoryColumn: String?
    public var consentNumberColumn: String?
    public var consentDateColumn: String?
    /// Seconds (written `36h`, `2d`, ...).
    public var historyMaxAge: Int64?

    public static let keys = ["call_date", "campaign", "offer", "contact_centre", "product_category", "nix_index",
                              "block_indexes", "customers", "consents", "history_db", "rule_profile", "leads",
                              "output", "phone_columns", "not_phone_columns", "max_malformed_share", "source_column", "source",
                              "delimiter", "sheet", "default_country", "compression_level", "profile", "customer_number_column",
                              "agreement_end_column", "category_column", "consent_number_column", "consent_date_column",
                              "history_max_age"]

    public init() {}

    public static func load(path: String) throws -> CampaignFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NixWashError.cannotOpen(path: path, reason: (error as NSError).localizedDescription)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw NixWashError.invalidCampaignFile(path: path, reason: "not valid JSON (\(detail)). Fix the campaign file and rerun.")
        }
        guard let dictionary = object as? [String: Any] else {
            throw NixWashError.invalidCampaignFile(path: path, reason: "a campaign file is a JSON object of settings.")
        }
        if let duplicate = JSONDuplicateKeys.first(in: data) {
            throw NixWashError.invalidCampaignFile(path: path, reason: "line \(duplicate.line): the key '\(duplicate.key)' is given twice, and only one of them would count. Write each setting once (a list setting takes a JSON array) and rerun.")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return try CampaignFile(dictionary, path: path, folder: folder.isEmpty ? "." : folder)
    }

    init(_ d: [String: Any], path: String, folder: String) throws {
        for key in d.keys where !Self.keys.contains(key) {
            throw NixWashError.invalidCampaignFile(path: path, reason: "unknown key '\(key)'. Known keys: \(Self.keys.joined(separator: ", ")).")
        }
        func string(_ key: String) throws -> String? {
            guard let value = d[key] else { return nil }
            guard let text = value as? String, !text.isEmpty else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key '\(key)' must be a non-empty string.")
            }
            return text
        }
        func strings(_ key: String) throws -> [String]? {
            guard let value = d[key] else { return nil }
            guard let list = value as? [String] else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key '\(key)' must be an array of strings.")
            }
            return list
        }
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") || relative == "-" ? relative : folder + "/" + relative
        }
        if let text = try string("call_date") {
            guard let date = LocalDate(text) else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key 'call_date' must be a date YYYY-MM-DD, not '\(text)'.")
            }
            callDate = date
        }
        campaign = try string("campaign")
        offer = try string("offer")
        contactCentre = try string("contact_centre")
        productCategory = try string("product_category")
        nixIndex = try string("nix_index").map(resolve)
        blockIndexes = try strings("block_indexes")?.map(resolve)
        customers = try string("customers").map(resolve)
        consents = try string("consents").map(resolve)
        // A PostgreSQL URL is no path to resolve.
        historyDatabase = try string("history_db").map { HistoryLocation($0) == .sqlite(path: $0) ? resolve($0) : $0 }
        ruleProfile = try string("rule_profile").map(resolve)
        // Patterns and folders are expanded when the scrub opens its inputs, as on the command line.
        leads = try strings("leads")?.map(resolve)
        output = try string("output").map(resolve)
        phoneColumns = try strings("phone_columns")
        notPhoneColumns = try strings("not_phone_columns")
        if let value = d["max_malformed_share"] {
            guard let share = (value as? Double) ?? (value as? Int).map(Double.init), (0...1).contains(share) else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key 'max_malformed_share' must be a number from 0 to 1, e.g. 0.01 for 1 %.")
            }
            maxMalformedShare = share
        }
        sourceColumn = try string("source_column")
        source = try string("source")
        delimiter = try string("delimiter")
        sheet = try string("sheet")
        if let code = try string("default_country") {
            guard let country = PhoneCountry(rawValue: code) else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key 'default_country' must be one of \(PhoneCountry.allCases.map(\.rawValue).joined(separator: ", ")), not '\(code)'.")
            }
            defaultCountry = country
        }
        if let name = try string("profile") {
            guard let shipped = ShippedProfile(rawValue: name) else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key 'profile' must be one of \(ShippedProfile.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'.")
            }
            profile = shipped
        }
        customerNumberColumn = try string("customer_number_column")
        agreementEndColumn = try string("agreement_end_column")
        categoryColumn = try string("category_column")
        consentNumberColumn = try string("consent_number_column")
        consentDateColumn = try string("consent_date_column")
        if let text = try string("history_max_age") {
            guard let seconds = HistoryCoverage.seconds(ofDuration: text) else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key 'history_max_age' must be a duration such as \"36h\" or \"2d\", not '\(text)'.")
            }
            historyMaxAge = seconds
        }
        if let value = d["compression_level"] {
            guard let level = value as? Int, (1...9).contains(level) else {
                throw NixWashError.invalidCampaignFile(path: path, reason: "key 'compression_level' must be a whole number from 1 to 9.")
            }
            compressionLevel = level
        }
    }
}
