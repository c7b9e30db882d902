import ArgumentParser
import Foundation
import NixWashKit

/// `--json` and `-q`, the same on every subcommand.
struct OutputOptions: ParsableArguments {
    @Flag(help: "At the end, print one JSON object on standard output: the counts, the output paths and the exit status (docs/json-output.md). Messages stay on standard error.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress, no per-file messages and no text summary: warnings and errors only (--json still prints its object).")
    var quiet = false
}

/// A subcommand with the shared output options; `NixWash.main` reads them before `run()` and
/// prints the JSON summary after it. To adopt: conform, add `@OptionGroup var output:
/// OutputOptions`, give the result to `Console.summarize` (an `Encodable`, keys in camelCase
/// become snake_case) and the text to `Console.result`, messages to `Console.message`, and
/// document the keys in docs/json-output.md and docs/schemas/summary.schema.json.
protocol OutputCommand: ParsableCommand {
    var output: OutputOptions { get }
}

/// Everything a subcommand tells its user goes through here, so `--json` and `-q` mean the same
/// everywhere: messages on standard error, the text result on standard output, and with
/// `--json` one summary object on standard output instead of the text.
enum Console {
    /// Version of the `--json` summaries' shape (docs/json-output.md).
    static let summarySchemaVersion = 1

    private(set) static var quiet = false
    private(set) static var json = false
    private static var summary: (any Encodable)?
    private static var lastError: String?

    static func configure(_ options: OutputOptions) {
        quiet = options.quiet
        json = options.json
    }

    /// Progress and per-file information on standard error; dropped with `-q`.
    static func message(_ text: String) {
        if !quiet { writeStandardError(text) }
    }

    /// A warning on standard error, shown even with `-q`.
    static func warning(_ text: String) {
        writeStandardError(text)
    }

    /// An error on standard error, always; also the `error` of the JSON summary.
    static func error(_ text: String) {
        lastError = text
        writeStandardError(text)
    }

    /// The command's text result on standard output, unless `--json` or `-q` replace it.
    static func result(_ text: @autoclosure () -> String) {
        if !json && !quiet { print(text()) }
    }

    /// The command-specific part of the JSON summary (its keys are merged into the object).
    static func summarize(_ value: some Encodable) {
        summary = value
    }

    /// Prints the JSON summary of a command that ended with `exitCode` (after `--json` only).
    static func printSummary(command: String, exitCode: Int32, errorMessage: String?) {
        guard json else { return }
        let envelope = SummaryEnvelope(command: command, exitCode: exitCode,
                                       error: exitCode == 0 ? nil : (lastError ?? errorMessage),
                                       payload: summary)
        let data = (try? jsonEncoder().encode(envelope)) ?? Data("{\"command\":\"\(command)\",\"exit_code\":\(exitCode)}".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// The one encoder of every JSON summary: snake_case keys, sorted, numbers as numbers.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    private static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(("nixwash: " + text + "\n").utf8))
    }
}

/// The JSON summary: the command's own keys, then what every summary has.
private struct SummaryEnvelope: Encodable {
    var command: String
    var exitCode: Int32
    var error: String?
    var payload: (any Encodable)?

    enum CodingKeys: String, CodingKey {
        case schemaVersion, command, exitCode, exitReason, error
    }

    /// SPEC section 4's exit codes, in words.
    var exitReason: String {
        switch exitCode {
        case 0: "success"
        case 1: "runtime_failure"
        case 3: "compliance_refusal"
        case 64: "usage_error"
        default: "failure"
        }
    }

    func encode(to encoder: Encoder) throws {
        try payload?.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Console.summarySchemaVersion, forKey: .schemaVersion)
        try container.encode(command, forKey: .command)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(exitReason, forKey: .exitReason)
        try container.encode(error, forKey: .error)
    }
}
