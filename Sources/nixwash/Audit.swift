import ArgumentParser
import Foundation
import NixWashKit

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show that a run's outputs are as it wrote them.",
        subcommands: [Verify.self]
    )

    struct Verify: OutputCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a run folder against the digests in its report.json.",
            discussion: """
            Checks every output file against the size and SHA-256 in report.json, report.json \
            against report.json.sha256 beside it, and with --public-key the Ed25519 signature in \
            report.json.sig. Input files still at their recorded paths are hashed again, and the \
            NIX and block indexes still there are checked against their recorded checksums. \
            Exit 0 when everything checked is intact, 1 naming each file that differs, is missing \
            or was added.
            """
        )

        @Option(help: "Ed25519 public key (PEM) to check report.json.sig with.")
        var publicKey: String?

        @OptionGroup var output: OutputOptions

        @Argument(help: "The output folder of a scrub or recheck.")
        var runFolder: String

        /// The `--json` summary: every file checked and the verdict.
        struct VerifySummary: Encodable {
            struct Check: Encodable {
                var file: String
                var role: String
                var status: String
                var detail: String
            }
            var runFolder: String
            var intact: Bool
            var checks: [Check]
        }

        func run() throws {
            var failed: [String] = []
            try runMappingErrors(resultOnStandardOutput: true) {
                let key = try publicKey.map { try ReportSignature(pemFile: $0, isPrivate: false) }
                let result = try AuditVerifier.verify(folder: runFolder, publicKey: key)
                let lines = result.checks.map { check in
                    "\(check.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(check.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(check.file): \(check.detail)"
                }
                failed = result.checks.filter(\.fails).map(\.file)
                Console.summarize(VerifySummary(runFolder: runFolder, intact: result.intact, checks: result.checks.map {
                    .init(file: $0.file, role: $0.role.rawValue, status: $0.status.rawValue, detail: $0.detail)
                }))
                Console.result((lines + [result.intact ? "\(runFolder): intact" : "\(runFolder): NOT intact"]).joined(separator: "\n"))
            }
            if !failed.isEmpty {
                Console.error("\(runFolder): \(failed.count) file\(failed.count == 1 ? "" : "s") not as the run recorded: \(failed.joined(separator: ", ")).")
                throw ExitCode(1)
            }
        }
    }
}
