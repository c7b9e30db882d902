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
        subcommands: [Scrub.self, Explain.self, Inspect.self, IndexCommand.self, HistoryCommand.self]
    )

    static func main() {
        // A write past `ulimit -f` fails like a full disk (exit 1, a message, no output left in
        // place) instead of killing the process with SIGXFSZ and no word.
        signal(SIGXFSZ, SIG_IGN)
        // Ctrl-C or a service stop removes the run's temporary outputs before the process ends.
        InterruptCleanup.installHandlers()
        main(nil)
        // A summary that never reached its file (`> /dev/full`, a full disk behind a redirect)
        // is a failure, not a silent success. A pipe closed early (`| head`) ends the process
        // quietly through SIGPIPE before this point.
        let flushed = fflush(stdout) == 0
        let code = errno
        if !flushed || ferror(stdout) != 0 {
            let reason = flushed ? "a write failed" : String(cString: strerror(code))
            printError("standard output: write failed: \(reason). Free disk space or fix the redirect and rerun.")
            Glibc.exit(1)
        }
    }
}
