// swift-tools-version:5.10
// libFuzzer targets for every parser that reads outside data. A package of its own because the
// fuzz executable only links with -sanitize=fuzzer (libFuzzer's driver): the normal
// `swift build` of nixwash never sees it. Built and run by scripts/fuzz.
import Foundation
import PackageDescription

// A path dependency is named by its folder (main, a worktree, a CI checkout): look it up.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "nixwash-fuzz",
    dependencies: [
        .package(path: root.path),
        // Writes the workbooks the delivery target wraps its input in.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .executableTarget(
            name: "nixwash-fuzz",
            dependencies: [.product(name: "NixWashKit", package: root.lastPathComponent),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ]
)
