import Foundation
import NixWashKit

/// `nixwash-bench rules [NUMBERS] [PASSES]`: judges NUMBERS generated histories PASSES times
/// (defaults 1,000,000 and 20) with the default profile and reports judgements per second.
/// The mix is what a scrub sees late in a campaign: most numbers untouched, some with attempts
/// today, some at a limit.
func rulesBench(_ arguments: [String]) throws {
    let count = arguments.count > 0 ? Int(arguments[0]) ?? 1_000_000 : 1_000_000
    let passes = arguments.count > 1 ? Int(arguments[1]) ?? 20 : 20
    let callDate = LocalDate("2026-11-23")!
    let judge = QuotaJudge(profile: .default, callDate: callDate)

    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {  // xorshift64*: reproducible, no Foundation
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
    }
    var histories: [NumberHistory] = []
    histories.reserveCapacity(count)
    for _ in 0..<count {
        guard next(4) == 0 else { histories.append(.none); continue }
        let today = next(3)
        let last: Int64? = today == 0 ? nil : judge.window.open + Int64(next(13 * 3600))
        histories.append(NumberHistory(campaignAttemptsInWindow: today + next(22), centreAttemptsOnCallDate: today,
                                       lastCentreAttemptOnCallDate: last, otherCampaignsWithSameOffer: next(3)))
    }

    var callable = 0, attemptsLeft = 0
    var notBeforeMix: Int64 = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<passes {
            for history in histories {
                let verdict = judge.judge(history)
                if verdict.isCallable { callable += 1 }
                attemptsLeft &+= verdict.attemptsLeftToday
                notBeforeMix ^= verdict.notBefore
            }
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let judgements = count * passes
    print("{\"benchmark\":\"rules\",\"judgements\":\(judgements),\"seconds\":\(seconds),"
        + "\"judgements_per_second\":\(Int(Double(judgements) / seconds)),"
        + "\"callable_share\":\(Double(callable) / Double(judgements)),\"checksum\":\(attemptsLeft ^ Int(truncatingIfNeeded: notBeforeMix))}")
}
