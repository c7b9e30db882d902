import XCTest
@testable import NixWashKit

/// The library's errors say which setting to change; only the caller's naming spells it, and
/// each error maps to the exit-code class SPEC section 4 gives it.
final class ErrorTests: XCTestCase {
    /// One error per setting that names it in its message.
    private static let naming: [(Setting, NixWashError)] = [
        (.phoneColumn, .archiveMemberNotALeadList(path: "leads.zip/readme.csv", header: ["text"])),
        (.indexLabel, .indexLabelTooLong(path: "nix.idx", limit: 255)),
        (.attemptLogColumn, .attemptLogFieldTwice(path: "log.csv", field: "campaign", headerColumn: nil, value: "vinter")),
        (.attemptLogValue, .attemptLogFieldTwice(path: "log.csv", field: "campaign", headerColumn: "kampanj", value: "vinter")),
    ]

    func testEverySettingIsNamedByTheCallersNaming() {
        XCTAssertEqual(Set(Self.naming.map { "\($0.0)" }), Set(Setting.allCases.map { "\($0)" }), "a setting no test names")
        for (setting, error) in Self.naming {
            let message = error.message(naming: { $0 == setting ? "<THE-OPTION>" : "<other>" })
            XCTAssertTrue(message.contains("<THE-OPTION>"), "\(setting) not named in: \(message)")
            XCTAssertFalse(error.localizedDescription.contains("--"), "the library's own text spells a flag: \(error.localizedDescription)")
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
        ] + Self.naming.map(\.1)
        for error in usage { XCTAssertEqual(error.kind, .usage, "\(error)") }
        // A key that loaded but cannot sign is no fault of the user's settings.
        XCTAssertEqual(NixWashError.signingFailed(path: "key.pem", reason: "r").kind, .runtime)
        XCTAssertEqual(NixWashError.indexCorrupt(path: "nix.idx", reason: "r").kind, .runtime)
        XCTAssertEqual(NixWashError.staleHistory(path: "h.db", newestAttempt: nil, age: nil, maxAge: "2d").kind, .compliance)
    }
}
