import XCTest
@testable import NixWashKit

/// The library's errors say which setting to change; only the caller's naming spells it, and
/// each error maps to the exit-code class SPEC section 4 gives it.
final class ErrorTests: XCTestCase {
    /// Errors whose messages tell the user to change a setting.
    private static let naming: [NixWashError] = [
        .archiveMemberNotALeadList(path: "leads.zip/readme.csv", header: ["text"]),
        .noPhoneColumn(path: "leads.csv", header: ["namn"]),
        .declaredColumnAmbiguous(path: "leads.csv", name: "telefon", columns: ["telefon#1", "telefon#2"]),
        .unwashedPhoneColumns(path: "leads.csv", columns: [UnwashedColumn(name: "mobil", foundBy: .name)], washed: ["telefon"]),
        .noSource(path: "leads.csv", header: ["telefon"]),
        .recordTooLarge(path: "leads.csv", line: 2, limit: 1024),
        .tooManyMalformedRows(path: "leads.csv", malformed: 5, rows: 10, maxShare: 0.01, firstLines: [2], causes: MalformedRowCauses()),
        .tooManyMalformedRows(path: "leads.csv", malformed: 5, rows: 10, maxShare: 0.01, firstLines: [2], causes: {
            var causes = MalformedRowCauses()
            causes.moreFields = 5
            return causes
        }()),
        .nearHistoryName(path: "h.db", field: "campaign", given: "vinter", givenAttempts: 0, near: ["Vinter"], attempts: [3]),
        .nearHistoryName(path: "h.db", field: "offer", given: "b", givenAttempts: 0, near: ["B"], attempts: [3]),
        .nearHistoryName(path: "h.db", field: "contact centre", given: "k", givenAttempts: 0, near: ["K"], attempts: [3]),
        .staleHistory(path: "h.db", newestAttempt: nil, age: nil, maxAge: "2d"),
        .indexLabelTooLong(path: "nix.idx", limit: 255),
        .noNumberColumn(path: "nix.txt", header: ["a"], list: .register),
        .unreadableListLine(path: "nix.txt", line: 3, column: "nummer", value: "x", reason: "r", list: .register, allowed: 1),
        .unreadableListLine(path: "kunder.csv", line: 3, column: "nummer", value: "x", reason: "r", list: .customers, allowed: 0),
        .unreadableListLine(path: "samtycken.csv", line: 3, column: "nummer", value: "x", reason: "r", list: .consents, allowed: 0),
        .historyNotFound(path: "h.db"),
        .historyNeverImported(path: "h.db"),
        .attemptLogFieldTwice(path: "log.csv", field: "campaign", headerColumn: nil, value: "vinter"),
        .attemptLogFieldTwice(path: "log.csv", field: "campaign", headerColumn: "kampanj", value: "vinter"),
        .attemptLogFieldAmbiguous(path: "log.csv", field: "number", headerColumns: ["telefon", "nummer"]),
        .tooManyBadRows(path: "log.csv", bad: 1, limit: 0,
                        first: HistoryBadRow(line: 2, reason: .missingField, column: "offer", value: "", detail: "empty")),
        .indexKindMismatch(path: "block.idx", wantedNix: true),
        .indexKindMismatch(path: "nix.idx", wantedNix: false),
        .registerDateMissing(path: "nix.idx"),
        .indexCountryMismatch(path: "nix.idx", index: .norway, reading: .sweden),
        .tooManyBlockLists(count: 65, limit: 64),
        .consentListMissing(profile: "profile.json"),
    ]

    /// Settings that only the details of an import's bad rows name (HistoryLogImportTests).
    private static let namedByBadRowDetails: Set<Setting> = [.attemptTimeFormat, .attemptDateOrder, .attemptTimeZone]

    func testEverySettingIsNamedByTheCallersNamingAndTheLibrarySpellsNoFlag() {
        let placeholder: (Setting) -> String = { "<\($0.rawValue)>" }
        let messages = Self.naming.map { $0.message(naming: placeholder) }
        for setting in Setting.allCases where !Self.namedByBadRowDetails.contains(setting) {
            XCTAssertTrue(messages.contains { $0.contains(placeholder(setting)) }, "no message names \(setting)")
        }
        for error in Self.naming {
            XCTAssertFalse(error.localizedDescription.contains("--"), "the library's own text spells a flag: \(error.localizedDescription)")
        }
        for setting in Setting.allCases {
            XCTAssertFalse(setting.description.contains("--"), "the library's name of \(setting.rawValue) spells a flag")
        }
    }

    func testALogFieldGivenTwiceSaysWhichTwoAndWhatToDrop() {
        let flags: (Setting) -> String = { $0 == .attemptLogColumn ? "--column" : "--set" }
        XCTAssertEqual(NixWashError.attemptLogFieldTwice(path: "log.csv", field: "campaign", headerColumn: nil, value: "vinter")
                        .message(naming: flags),
                       "log.csv: the field campaign is given both a column (--column) and one value (--set); give one of them.")
        XCTAssertEqual(NixWashError.attemptLogFieldTwice(path: "log.csv", field: "campaign", headerColumn: "kampanj", value: "vinter")
                        .message(naming: flags),
                       "log.csv: the log has a column 'kampanj' for campaign, and --set campaign=vinter gives one value for the whole file; which is right cannot be told. Drop --set campaign, or import this log without it.")
    }

    func testMissingSettingsAreListedOneALine() {
        let message = NixWashError.missingSettings(source: "campaign.json", missing: ["the call date", "the offer"]).localizedDescription
        XCTAssertEqual(message, "campaign.json: 2 required settings are missing:\n  - the call date\n  - the offer\nGive each as an option, or set its key in the campaign file.")
        XCTAssertTrue(NixWashError.missingSettings(source: "x", missing: ["the offer"]).localizedDescription.hasPrefix("x: 1 required setting is missing:\n"))
    }

    func testExitClasses() {
        let usage: [NixWashError] = [
            .invalidCampaignFile(path: "c.json", reason: "r"), .missingSettings(source: "c.json", missing: ["m"]),
            .conflictingSettings(source: "s", reason: "r"), .listFromStandardInput(path: "-"),
            .notAScrubRun(path: "run", reason: "r"), .recheckContextDiffers(path: "run", field: "offer", earlier: "a", now: "b"),
            .callableListChanged(path: "callable.csv.gz", digest: "1", recorded: "2"), .outputIsRunFolder(path: "run"),
            .runGivenTwice(path: "run"), .notACallableList(path: "callable.csv.gz", columns: ["nix_checked"]),
            .invalidSigningKey(path: "key.pem", reason: "r"),
            .archiveMemberNotALeadList(path: "leads.zip/readme.csv", header: []), .indexLabelTooLong(path: "nix.idx", limit: 255),
            .attemptLogFieldTwice(path: "log.csv", field: "offer", headerColumn: nil, value: "b"),
            .attemptLogFieldAmbiguous(path: "log.csv", field: "number", headerColumns: ["a", "b"]),
            .declaredColumnAmbiguous(path: "leads.csv", name: "telefon", columns: ["telefon#1", "telefon#2"]),
            .outputIsInput(output: "nix.txt", input: "nix.txt"),
        ]
        for error in usage { XCTAssertEqual(error.kind, .usage, "\(error)") }
        // A key that loaded but cannot sign is no fault of the user's settings.
        XCTAssertEqual(NixWashError.signingFailed(path: "key.pem", reason: "r").kind, .runtime)
        XCTAssertEqual(NixWashError.indexCorrupt(path: "nix.idx", reason: "r").kind, .runtime)
        XCTAssertEqual(NixWashError.staleHistory(path: "h.db", newestAttempt: nil, age: nil, maxAge: "2d").kind, .compliance)
    }
}
