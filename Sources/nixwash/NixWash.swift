import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NixWashKit

@main
struct NixWash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nixwash",
        abstract: "Wash Swedish telemarketing lead lists against NIX-Telefon, block lists and the call-frequency rules.",
        version: NixWashVersion.current,
        subcommands: [Scrub.self, Explain.self, Inspect.self, IndexCommand.self, HistoryCommand.self,
                      Recheck.self, AuditCommand.self, Sources.self]
    )

    static func main() {
        // A write past `ulimit -f` fails like a full disk (exit 1, a message, no output left in
        // place) instead of killing the process with SIGXFSZ and no word.
        signal(SIGXFSZ, SIG_IGN)
        // Ctrl-C or a service stop removes the run's temporary outputs before the process ends.
        InterruptCleanup.installHandlers()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // A usage error of a `--json` run still ends with its summary object.
            if exitCode(for: error) != .success, let options = requestedOutput(arguments) {
                Console.configure(options)
                Console.printSummary(command: commandPath(arguments), exitCode: exitCode(for: error).rawValue,
                                     errorMessage: message(for: error))
            }
            exitWithOnePrefix(error)
        }
        let output = (command as? OutputCommand)?.output
        if let output { Console.configure(output) }
        let name = commandPath(arguments)
        do {
            try command.run()
        } catch {
            if output != nil {
                Console.printSummary(command: name, exitCode: exitCode(for: error).rawValue, errorMessage: message(for: error))
            }
            exitWithOnePrefix(error)
        }
        if output != nil { Console.printSummary(command: name, exitCode: 0, errorMessage: nil) }
        // A command whose result is a file or database succeeded even if its summary was lost.
        if let reason = standardOutputFailure() {
            Console.warning("standard output: write failed: \(reason); the summary was lost, the run itself completed.")
        }
    }

    /// Ends the process for `error` as ArgumentParser would, except that a usage error is
    /// written `nixwash: message` like every other error, not `Error: message`.
    static func exitWithOnePrefix(_ error: Error) -> Never {
        let code = exitCode(for: error)
        let full = fullMessage(for: error)
        guard code != .success, full.hasPrefix("Error: ") else { exit(withError: error) }
        FileHandle.standardError.write(Data(("nixwash: " + full.dropFirst("Error: ".count) + "\n").utf8))
        Foundation.exit(code.rawValue)
    }

    /// The subcommand's name as typed, e.g. "index build", for the JSON summary.
    static func commandPath(_ arguments: [String]) -> String {
        var path: [String] = []
        var level: [ParsableCommand.Type] = configuration.subcommands
        for argument in arguments {
            guard let next = level.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            level = next.configuration.subcommands
        }
        return path.isEmpty ? "nixwash" : path.joined(separator: " ")
    }

    /// `--json` / `-q` as given, when the command line could not be parsed as a whole.
    static func requestedOutput(_ arguments: [String]) -> OutputOptions? {
        let options = arguments.prefix { $0 != "--" }
        guard options.contains("--json") else { return nil }
        var output = OutputOptions()
        output.json = true
        output.quiet = options.contains("--quiet") || options.contains("-q")
        return output
    }
}
