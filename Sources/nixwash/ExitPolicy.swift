import ArgumentParser
import Foundation
import NixWashKit

/// Runs a subcommand body and turns library errors into the exit codes of SPEC section 4,
/// with the error's message on stderr.
///
/// `resultOnStandardOutput`: the command's result is what it prints (inspect, explain, stats,
/// index info and verify), so output that cannot be written is a failure, exit 1. Commands whose
/// result is a folder, an index or the history only warn (see `NixWash.main`): their work is in
/// place, and a non-zero exit must mean that nothing of the run was left in place.
func runMappingErrors(resultOnStandardOutput: Bool = false, _ body: () throws -> Void) throws {
    do {
        try body()
        if resultOnStandardOutput, let reason = standardOutputFailure() {
            throw NixWashError.standardOutputFailed(reason: reason)
        }
    } catch let error as NixWashError {
        Console.error(error.message(naming: OptionNames.flag))
        switch error.kind {
        case .runtime: throw ExitCode(1)
        case .compliance: throw ExitCode(3)
        case .usage: throw ExitCode(64)
        }
    }
}

/// Why standard output could not be written (flushing it first), or nil when all of it was.
/// A pipe closed early (`| head`) never gets here: SIGPIPE ends the process quietly first.
func standardOutputFailure() -> String? {
    let flushed = fflush(stdout) == 0
    let code = errno
    guard !flushed || ferror(stdout) != 0 else { return nil }
    return flushed ? "a write failed" : String(cString: strerror(code))
}

/// The option that sets each setting a library message names: the one place where the CLI's
/// flag names meet the library's errors.
enum OptionNames {
    static func flag(_ setting: Setting) -> String {
        switch setting {
        case .phoneColumn: return "--phone-column"
        case .notPhoneColumn: return "--not-phone-column"
        case .sourceColumn: return "--source-column"
        case .source: return "--source"
        case .maxRecordSize: return "--max-record-size"
        case .maxMalformedShare: return "--max-malformed-share"
        case .campaign: return "--campaign"
        case .offer: return "--offer"
        case .contactCentre: return "--contact-centre"
        case .historyMaxAge: return "--history-max-age"
        case .indexLabel: return "--label"
        case .registerNumberColumn: return "--number-column"
        case .maxInvalidLines: return "--max-invalid-lines"
        case .invalidLinesFile: return "--rejects"
        case .customerNumberColumn: return "--customer-number-column"
        case .agreementEndColumn: return "--agreement-end-column"
        case .categoryColumn: return "--category-column"
        case .consentNumberColumn: return "--consent-number-column"
        case .consentDateColumn: return "--consent-date-column"
        case .historyImportDatabase: return "--db"
        case .attemptLogColumn: return "--column"
        case .attemptLogValue: return "--set"
        case .maxBadRows: return "--max-bad-rows"
        case .badRowsFile: return "--rejects"
        case .nixIndex: return "--nix"
        case .blockIndexes: return "--block"
        case .consentList: return "--consents"
        case .attemptTimeFormat: return "--time-format"
        case .attemptDateOrder: return "--date-order"
        case .attemptTimeZone: return "--timezone"
        case .delimiter: return "--delimiter"
        case .defaultCountry: return "--default-country"
        }
    }
}
