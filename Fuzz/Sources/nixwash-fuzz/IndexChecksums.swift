import NixWashKit

/// Makes both checksums of fuzzed index bytes right (the layout of IndexFormat.swift: header
/// length at 12, body checksum at 80, header checksum at 96 over the header with itself zeroed).
/// Without this, almost every mutation stops at the checksum and the checks behind it, which
/// guard against a mis-built or hand-edited index, would never run.
enum IndexChecksums {
    static func fixed(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 104 else { return nil }
        var out = bytes
        let headerLength = Int(UInt32(out[12]) | UInt32(out[13]) << 8 | UInt32(out[14]) << 16 | UInt32(out[15]) << 24)
        guard headerLength >= 104, headerLength <= out.count else { return nil }
        let body = out.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[headerLength...])) }
        put(body, at: 80, in: &out)
        put(0, at: 96, in: &out)
        let header = out.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<headerLength])) }
        put(header, at: 96, in: &out)
        return out
    }

    private static func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }
}
