/// Everything one scrub needs: the run's context (call date, campaign, offer, contact
/// centre), the inputs, the lists it washes against, the rule profile and the output folder.
/// The CLI builds it from options and a campaign file; the library never parses arguments.
public struct ScrubConfiguration: Sendable {
    public var leadFiles: [String]
    public var outputFolder: String
    /// Replace an existing output folder (atomically, after the new one is complete).
    public var replaceOutput = false

    public var callDate: LocalDate
    public var campaign: String
    public var offer: String
    public var contactCentre: String
    /// The campaign's product category, matched against the customer list's.
    public var productCategory: String?

    public var nixIndex: String
    public var blockIndexes: [String] = []
    public var customers: String?
    /// Columns of the customer list by header name (nil: found by name).
    public var customerColumns = DatedListColumns()
    public var consents: String?
    /// Columns of the consent list by header name (nil: found by name).
    public var consentColumns = DatedListColumns()
    public var historyDatabase: String?
    /// Refuse the run (compliance) when the history's newest attempt is older than this many
    /// seconds: last night's dialer log was not imported.
    public var historyMaxAge: Int64?
    public var profile: RuleProfile = .default
    /// Where the profile came from, for the report (nil: the built-in defaults).
    public var profilePath: String?

    /// Phone columns by header name (empty: found from the header).
    public var phoneColumns: [String] = []
    /// Columns declared not to hold numbers to call (by header name, `name#2` for one of
    /// several of that name): neither washed nor checked for phone numbers.
    public var notPhoneColumns: [String] = []
    /// The share of malformed rows (0...1) above which a lead list is refused.
    public var maxMalformedShare = ScrubConfiguration.defaultMaxMalformedShare
    /// SPEC's 1 %: a delivery with more malformed rows is refused.
    public static let defaultMaxMalformedShare = 0.01
    /// The address-source column by header name (nil: found from the header).
    public var sourceColumn: String?
    /// The address source of files that have no source column, or of rows whose source is empty.
    public var source: String?
    public var defaultCountry: PhoneCountry = .sweden
    public var csv = CSVOptions()
    /// The one sheet of each xlsx workbook to wash (nil: every sheet with cells).
    public var sheet: String?
    /// Gzip level of the outputs, 1 (fast) … 9 (small): 1-3 by Intel ISA-L, several times
    /// faster than zlib at a similar ratio; 4-9 by zlib. Blocks are compressed on every core.
    public var compressionLevel: Int32 = 1
    /// A PEM Ed25519 private key: report.json is signed into report.json.sig (`AuditTrail`).
    public var signingKey: String?

    /// Every file the run reads: a folder it replaces must hold none of them.
    var inputPaths: [String] {
        leadFiles + [nixIndex] + blockIndexes + [customers, consents, historyDatabase, profilePath, signingKey].compactMap { $0 }
    }

    public init(leadFiles: [String], outputFolder: String, callDate: LocalDate, campaign: String,
                offer: String, contactCentre: String, nixIndex: String) {
        self.leadFiles = leadFiles
        self.outputFolder = outputFolder
        self.callDate = callDate
        self.campaign = campaign
        self.offer = offer
        self.contactCentre = contactCentre
        self.nixIndex = nixIndex
    }
}
