// swift-tools-version:5.10
import PackageDescription

let package = Package(
    name: "nixwash",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nixwash", targets: ["nixwash"]),
        .library(name: "NixWashKit", targets: ["NixWashKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Not "CZlib": ZIPFoundation's own zlib module has that name.
        .systemLibrary(name: "CZlibShim", path: "Sources/CZlibShim", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCSV", path: "Sources/CLibCSV",
                       providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CISAL", path: "Sources/CISAL",
                       providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto",
                       providers: [.apt(["libssl-dev"])]),
        // libxml2's streaming reader (xmlTextReader) for the sheets of xlsx workbooks.
        .systemLibrary(name: "CXML2", path: "Sources/CXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .target(
            name: "NixWashKit",
            dependencies: ["CZlibShim", "CISAL", "CLibCSV", "CSQLite", "CPostgres", "CCrypto", "CPrefetch", "CXML2",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // Bounds and overflow checks stay on in every build. Only the dynamic exclusivity
            // checks are left out of the release build: they cost 30 % of a scrub's CPU (BENCHMARKS.md,
            // "The release build"), the debug suite runs with them, and scripts/test runs the
            // end-to-end tests against this release build too.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "nixwash",
            dependencies: [
                "NixWashKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "nixwash-bench",
            dependencies: ["NixWashKit"]
        ),
        // Fixtures/ holds committed test data (read from the bundle or the source tree).
        .testTarget(name: "NixWashKitTests", dependencies: ["NixWashKit"], resources: [.copy("Fixtures")]),
        // BadInputs/ is read from the source tree by the end-to-end tests.
        .testTarget(name: "nixwashTests", dependencies: ["NixWashKit"], exclude: ["BadInputs"]),
    ]
)
