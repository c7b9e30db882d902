import Foundation
import XCTest
@testable import NixWashKit

/// report.html's colours and words: every reason has a label and a style; within a pattern
/// group the colours stay apart for colour-blind readers (simulated) and in grey print.
final class ReportTests: XCTestCase {
    /// Machado, Oliveira and Fernandes (2009) matrices at full severity, on linear RGB.
    static let deficiencies: [(String, [[Double]])] = [
        ("protanopia", [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
        ("deuteranopia", [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
        ("tritanopia", [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
    ]

    static func linearRGB(_ hex: String) -> [Double] {
        let value = Int(hex.dropFirst(), radix: 16)!
        return [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { channel in
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
    }

    /// CIELAB (D65) of a linear RGB colour.
    static func lab(_ rgb: [Double]) -> [Double] {
        let l = rgb.map { min(max($0, 0), 1) }
        let x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047
        let y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
        let z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
    }

    static func simulate(_ rgb: [Double], _ m: [[Double]]) -> [Double] {
        (0..<3).map { i in (0..<3).reduce(0) { $0 + m[i][$1] * rgb[$1] } }
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        sqrt(zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
    }

    func testColoursOfAPatternGroupStayApartForColourBlindReadersAndInGrey() {
        var groups: [ReportWriter.Style.Pattern: [(String, String)]] = [.solid: [("callable", ReportWriter.callableStyle.colour)]]
        for reason in Reason.inPrecedenceOrder {
            let style = ReportWriter.style(reason)
            groups[style.pattern, default: []].append((reason.rawValue, style.colour))
        }
        for (pattern, members) in groups {
            for i in members.indices {
                for j in members.indices where j > i {
                    let (a, b) = (Self.linearRGB(members[i].1), Self.linearRGB(members[j].1))
                    let pair = "\(members[i].0) and \(members[j].0) (\(pattern))"
                    XCTAssertGreaterThanOrEqual(Self.distance(Self.lab(a), Self.lab(b)), 20, "\(pair) look alike")
                    for (name, matrix) in Self.deficiencies {
                        let d = Self.distance(Self.lab(Self.simulate(a, matrix)), Self.lab(Self.simulate(b, matrix)))
                        XCTAssertGreaterThanOrEqual(d, 20, "\(pair) look alike with \(name)")
                    }
                    XCTAssertGreaterThanOrEqual(abs(Self.lab(a)[0] - Self.lab(b)[0]), 12, "\(pair) print as the same grey")
                }
            }
        }
    }

    func testEveryReasonHasWordsAndTheCodeBesideThem() throws {
        var counts = ScrubCounts()
        counts.numbersIn = 11
        for reason in Reason.inPrecedenceOrder {
            counts.rejectedByReason[reason.rawValue] = 1
            counts.reasonsApplied[reason.rawValue] = 1
        }
        let legend = ReportWriter.legend(counts)
        for reason in Reason.inPrecedenceOrder {
            let label = ReportWriter.label(reason)
            XCTAssertNotEqual(label, reason.rawValue)
            XCTAssertTrue(legend.contains("\(ReportWriter.escape(label)) <code>\(reason.rawValue)</code>"), reason.rawValue)
        }
        XCTAssertEqual(Set(Reason.allCases.map(ReportWriter.label)).count, Reason.allCases.count, "two reasons share a label")
    }

    func testReadableTimesAndDuration() {
        XCTAssertEqual(ReportWriter.readableTime("2026-11-23T08:00:05+01:00"), "2026-11-23 08:00:05")
        XCTAssertEqual(ReportWriter.seconds(from: "2026-11-23T08:00:05+01:00", to: "2026-11-23T08:01:10+01:00"), 65)
    }

    /// A run is refused unless every row in is either callable or not, every number either
    /// callable or rejected, and the files hold exactly the rows the counts say.
    func testARunWhoseCountsDoNotAddUpIsRefused() throws {
        var tally = Tally(defaultSource: nil)
        let source = tally.sourceIndex(for: nil, fallback: Array("vendor".utf8))
        tally.countRow(source: source)
        tally.countCallable(exemption: nil, source: source)
        XCTAssertThrowsError(try Scrubber.checkAccounting(tally, callableRows: 0, rejectRows: 0), "a row with no outcome")
        tally.countRowCallable(source: source)
        XCTAssertTrue(try Scrubber.checkAccounting(tally, callableRows: 1, rejectRows: 0))
        XCTAssertThrowsError(try Scrubber.checkAccounting(tally, callableRows: 2, rejectRows: 0), "a callable row written twice")
        XCTAssertThrowsError(try Scrubber.checkAccounting(tally, callableRows: 1, rejectRows: 1), "a reject row with no number behind it")
        tally.countRow(source: source)
        tally.countRejected(ReasonSet(.nix), source: source)
        tally.countRowNotCallable(source: source)
        XCTAssertTrue(try Scrubber.checkAccounting(tally, callableRows: 1, rejectRows: 1))
        do {
            _ = try Scrubber.checkAccounting(tally, callableRows: 1, rejectRows: 0)
            XCTFail("a rejected number missing from the rejects file")
        } catch NixWashError.accountingBroken(let detail) {
            XCTAssertTrue(detail.contains("rejected 1 (written 0)"), detail)
        }
    }
}
