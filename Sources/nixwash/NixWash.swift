import ArgumentParser
import NixWashKit

@main
struct NixWash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nixwash",
        abstract: "Wash Swedish telemarketing lead lists against NIX-Telefon, block lists and the call-frequency rules.",
        version: NixWashVersion.current,
        subcommands: [Scrub.self, Explain.self, Inspect.self, IndexCommand.self, HistoryCommand.self]
    )
}
