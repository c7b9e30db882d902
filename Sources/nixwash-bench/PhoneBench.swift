import Foundation
import NixWashKit

/// `nixwash-bench phone [SECONDS]`: numbers normalized per CPU second of one core, over a mix of
/// written forms like a vendor's list (mostly Swedish mobiles and fixed lines in national form,
/// some +46 / 0046 / 46..., a few foreign and invalid ones), laid out back to back in one buffer
/// as the CSV reader hands fields over.
func phoneBenchmark(_ arguments: [String]) throws {
    let seconds = arguments.first.flatMap(Double.init) ?? 2
    var generator = SplitMix64(seed: 20261121)
    var buffer: [UInt8] = []
    var fields: [Range<Int>] = []
    for _ in 0..<8192 {
        let start = buffer.count
        buffer += Array(samplePhoneField(&generator).utf8)
        fields.append(start..<buffer.count)
    }
    let normalizer = PhoneNormalizer()
    var valid = 0
    var checksum: UInt64 = 0
    var numbers = 0
    // CPU time of this thread: the figure is per core even when other processes share the machine.
    let began = threadCPUNanoseconds()
    let wallBegan = DispatchTime.now().uptimeNanoseconds
    var elapsed: UInt64 = 0
    buffer.withUnsafeBytes { bytes in
        repeat {
            for field in fields {
                switch normalizer.normalize(UnsafeRawBufferPointer(rebasing: bytes[field])) {
                case let .valid(number):
                    valid += 1
                    checksum &+= number.key.rawValue
                case .invalid:
                    checksum &+= 1
                }
            }
            numbers += fields.count
            elapsed = threadCPUNanoseconds() - began
        } while Double(elapsed) < seconds * 1e9
    }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - wallBegan) / 1e9
    let perSecond = Double(numbers) / (Double(elapsed) / 1e9)
    print(#"{"benchmark":"phone","numbers":\#(numbers),"cpu_seconds":\#(Double(elapsed) / 1e9),"wall_seconds":\#(wall),"numbers_per_second":\#(Int(perSecond)),"valid_share":\#(Double(valid) / Double(numbers)),"checksum":\#(checksum)}"#)
}

private func threadCPUNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// One phone field as vendors write them.
private func samplePhoneField(_ generator: inout SplitMix64) -> String {
    func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(generator.next() % 10)) })
    }
    let mobile = ["70", "72", "73", "76", "79"][Int(generator.next() % 5)] + digits(7)
    switch generator.next() % 20 {
    case 0...5: return "0" + mobile.prefix(2) + "-" + mobile.dropFirst(2).prefix(3) + " " + mobile.dropFirst(5).prefix(2) + " " + mobile.suffix(2)
    case 6...8: return "0" + mobile
    case 9...10: return "+46" + mobile
    case 11: return "+46 (0)" + mobile.prefix(2) + " " + mobile.dropFirst(2)
    case 12: return "0046" + mobile
    case 13: return "46" + mobile
    case 14...15: return "08-" + String(2 + generator.next() % 8) + digits(2) + " " + digits(3) + " " + digits(2)
    case 16: return "031-" + String(2 + generator.next() % 8) + digits(5)
    case 17: return "+47 " + String(4 + generator.next() % 2 * 5) + digits(7)
    case 18: return "070-" + digits(5)
    default: return "saknas"
    }
}

