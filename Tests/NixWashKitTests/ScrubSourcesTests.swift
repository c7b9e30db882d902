import Foundation
import XCTest
@testable import NixWashKit

/// How the lead lists given become inputs: folders, patterns, repeats, and files by content.
final class ScrubSourcesTests: XCTestCase {
    func testFoldersAndPatternsGiveSortedRegularFilesWithoutHiddenOnes() throws {
        let folder = try makeTemporaryFolder(self)
        let leads = folder.appendingPathComponent("leads")
        try FileManager.default.createDirectory(at: leads.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["b.csv.gz", "a.csv", ".hidden.csv", "sub/c.csv", "B.csv"] {
            try writeFile(leads.appendingPathComponent(name), bytes("telefon\n\(name.count)\n"))
        }
        let base = leads.path + "/"
        XCTAssertEqual(try LeadSources.files([leads.path]), [base + "B.csv", base + "a.csv", base + "b.csv.gz"])
        XCTAssertEqual(try LeadSources.files([leads.path + "/"]), [base + "B.csv", base + "a.csv", base + "b.csv.gz"])
        XCTAssertEqual(try LeadSources.files([base + "*.csv"]), [base + "B.csv", base + "a.csv"])
        XCTAssertEqual(try LeadSources.files([base + "*"]), [base + "B.csv", base + "a.csv", base + "b.csv.gz", base + "sub/c.csv"])
        XCTAssertThrowsError(try LeadSources.files([base + "*.xlsx"])) { error in
            XCTAssertEqual(error as? NixWashError, .noInputFiles(pattern: base + "*.xlsx", reason: "the pattern matches no file"))
        }
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try writeFile(empty.appendingPathComponent(".only-hidden"), bytes("telefon\n"))
        XCTAssertThrowsError(try LeadSources.files([empty.path])) { error in
            XCTAssertEqual((error as? NixWashError)?.kind, .usage)
        }
    }

    func testTheSameFileTwiceIsRefusedWhateverItsPath() throws {
        let folder = try makeTemporaryFolder(self)
        let file = folder.appendingPathComponent("a.csv")
        try writeFile(file, bytes("telefon\n0701234567\n"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.csv"), withDestinationURL: file)
        let link = folder.appendingPathComponent("link.csv").path
        XCTAssertThrowsError(try LeadSources.files([file.path, link])) { error in
            XCTAssertEqual(error as? NixWashError, .sameInputTwice(first: file.path, second: link, how: "the same file: same device and inode"))
        }
        XCTAssertThrowsError(try LeadSources.files([folder.path, file.path]))
        XCTAssertEqual(LeadSources.repeatedContent([("a", "1"), ("b", "2"), ("a", "2")])?.first, "b")
        // Members of one archive share its digest; they are not copies of each other.
        XCTAssertNil(LeadSources.repeatedContent([("z.zip", "1"), ("z.zip", "1")]))
    }

    func testFilesAreOpenedByContentNotName() throws {
        let folder = try makeTemporaryFolder(self)
        let zip = try makeZip("leads.csv", [("x.csv", "telefon;kalla\n0701234567;A\n"), ("__MACOSX/._x.csv", "junk"), (".DS_Store", "junk")], in: folder)
        let inputs = try LeadSources.open(zip)
        XCTAssertEqual(inputs.map(\.name), [zip + ":x.csv"])
        XCTAssertEqual(inputs.map(\.container), ["zip"])
        let utf16 = folder.appendingPathComponent("leads.xlsx")
        try writeFile(utf16, [0xFE, 0xFF, 0x00, 0x61, 0x00, 0x0A])
        XCTAssertEqual(try LeadSources.open(utf16.path).map(\.transcodedFrom), ["utf-16be"])
        let gzipped = folder.appendingPathComponent("plain.zip")
        try writeFile(gzipped, try gzipBytes(bytes("telefon\n0701234567\n"), in: folder))
        XCTAssertEqual(try LeadSources.open(gzipped.path).map { [$0.compression, $0.container] }, [["gzip", "none"]])
        let nested = try makeZip("nested.zip", [("inner.zip", "PK\u{3}\u{4}rest")], in: folder)
        XCTAssertThrowsError(try LeadSources.open(nested)) { error in
            guard case let .unsupportedInput(path, _)? = error as? NixWashError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, nested + ":inner.zip")
        }
        let xls = folder.appendingPathComponent("old.xls")
        try writeFile(xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        XCTAssertThrowsError(try LeadSources.open(xls.path)) { error in
            XCTAssertEqual((error as? NixWashError)?.kind, .usage)
        }
    }
}
