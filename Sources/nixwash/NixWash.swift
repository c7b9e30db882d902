import ArgumentParser
import NixWashKit

@main
struct NixWash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nixwash",
        abstract: "Wash Swedish telemarketing lead lists against NIX-Telefon, block lists and the call-frequency rules.",
        version: NixWashVersion.current,
        subcommands: [Inspect.self, IndexCommand.self]
    )
}
