import ArgumentParser
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
        main(nil)
        // A command whose result is a file or database succeeded even if its summary was lost.
        if let reason = standardOutputFailure() {
            printError("standard output: write failed: \(reason); the summary was lost, the run itself completed.")
        }
    }
}
