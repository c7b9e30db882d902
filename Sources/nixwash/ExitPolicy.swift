import ArgumentParser
import Foundation
import NixWashKit

/// Runs a subcommand body and turns library errors into the exit codes of SPEC section 4,
/// with the error's message on stderr.
func runMappingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as NixWashError {
        printError(error.localizedDescription)
        switch error.kind {
        case .runtime: throw ExitCode(1)
        case .compliance: throw ExitCode(3)
        case .usage: throw ExitCode(64)
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("nixwash: " + message + "\n").utf8))
}
