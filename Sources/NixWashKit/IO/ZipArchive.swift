import Foundation
import ZIPFoundation

/// A zip archive's file members, as ZIPFoundation lists them. Its listing ends quietly at an
/// entry it cannot read (an encrypted one, say), so the count is checked against the archive's
/// own end-of-directory record: a member nixwash cannot read stops the run instead of being
/// left out.
struct ZipArchive {
    struct Member {
        /// The member's position among the archive's entries (names need not be unique).
        var index: Int
        var name: String
        var compressedSize: UInt64
        var uncompressedSize: UInt64
    }

    let path: String
    let members: [Member]

    init(path: String) throws {
        self.path = path
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw NixWashError.damagedArchive(path: path, reason: "not a readable zip archive (\(error))")
        }
        var members: [Member] = []
        var listed = 0
        for (index, entry) in archive.enumerated() {
            listed += 1
            guard entry.type == .file else { continue }
            members.append(Member(index: index, name: entry.path, compressedSize: entry.compressedSize,
                                  uncompressedSize: entry.uncompressedSize))
        }
        let declared = try Self.declaredEntryCount(path: path)
        guard listed == declared else {
            throw NixWashError.damagedArchive(path: path, reason: "the archive's directory lists \(declared) entries, but only \(listed) could be read (an encrypted or damaged member)")
        }
        self.members = members
    }

    /// The entry count of the end-of-central-directory record (or its ZIP64 record).
    private static func declaredEntryCount(path: String) throws -> Int {
        let file = try SystemFile.openForReading(path)
        guard let size = file.size() else { throw NixWashError.damagedArchive(path: path, reason: "not a regular file") }
        // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
        let tailSize = Int(min(size, 22 + 65_535 + 20))
        var tail = [UInt8](repeating: 0, count: tailSize)
        try readFully(file, at: size - UInt64(tailSize), into: &tail, path: path)
        func u16(_ i: Int) -> Int { Int(tail[i]) | Int(tail[i + 1]) << 8 }
        guard let end = stride(from: tailSize - 22, through: 0, by: -1).first(where: {
            tail[$0] == 0x50 && tail[$0 + 1] == 0x4B && tail[$0 + 2] == 0x05 && tail[$0 + 3] == 0x06
        }) else {
            throw NixWashError.damagedArchive(path: path, reason: "no end-of-directory record: the archive is truncated")
        }
        let count = u16(end + 10)
        guard count == 0xFFFF else { return count }
        // ZIP64: the locator just before the record gives the ZIP64 record's offset.
        guard end >= 20, tail[end - 20] == 0x50, tail[end - 19] == 0x4B, tail[end - 18] == 0x06, tail[end - 17] == 0x07 else {
            return count
        }
        var offset: UInt64 = 0
        for k in 0..<8 { offset |= UInt64(tail[end - 20 + 8 + k]) << (8 * UInt64(k)) }
        var record = [UInt8](repeating: 0, count: 40)
        try readFully(file, at: offset, into: &record, path: path)
        var total: UInt64 = 0
        for k in 0..<8 { total |= UInt64(record[32 + k]) << (8 * UInt64(k)) }
        return Int(clamping: total)
    }

    private static func readFully(_ file: SystemFile, at offset: UInt64, into bytes: inout [UInt8], path: String) throws {
        let count = bytes.count
        let got = try bytes.withUnsafeMutableBytes { try file.read(at: offset, into: $0) }
        guard got == count else {
            throw NixWashError.damagedArchive(path: path, reason: "the archive is shorter than its directory says")
        }
    }
}

/// One member of a zip archive, inflated by ZIPFoundation on a thread of its own and handed
/// over a few chunks at a time, so memory stays flat whatever the member's size. Its CRC-32 is
/// checked at its end: a damaged member is an error, never a short list.
final class ZipMemberStream: ContentSource {
    let path: String
    private let archivePath: String
    private let member: ZipArchive.Member
    private let channel = Channel()
    private var current = Data()
    private var currentOffset = 0
    private var delivered: UInt64 = 0
    private var started = false

    var compressedSize: UInt64? { member.compressedSize }
    /// Estimated from the share of the member inflated so far.
    var compressedBytesRead: UInt64 {
        guard member.uncompressedSize > 0 else { return 0 }
        return UInt64(Double(member.compressedSize) * Double(delivered) / Double(member.uncompressedSize))
    }

    /// Chunks between the inflating thread and the reader; at most `capacity` wait.
    private final class Channel {
        let monitor = Monitor()
        var chunks: [Data] = []
        var finished = false
        var error: Error?
        var cancelled = false
        static let capacity = 4
    }

    private struct Cancelled: Error {}

    /// - Parameter name: the name in errors and the report (`archive.zip:member.csv`).
    init(archivePath: String, member: ZipArchive.Member, name: String) {
        self.archivePath = archivePath
        self.member = member
        path = name
    }

    deinit {
        channel.monitor.locked {
            channel.cancelled = true
            channel.monitor.broadcast()
        }
    }

    /// The member's first bytes (up to `count`, and no more than its first chunk), which the
    /// reads that follow still return: how a member's kind is told from its content.
    func peek(_ count: Int) throws -> [UInt8] {
        guard try fillCurrent() else { return [] }
        return Array(current[current.startIndex + currentOffset ..< current.startIndex + min(current.count, currentOffset + count)])
    }

    /// Makes `current` hold unread bytes; false at the member's end.
    private func fillCurrent() throws -> Bool {
        if !started { start() }
        while currentOffset == current.count {
            let next: Data? = try channel.monitor.locked {
                while channel.chunks.isEmpty && !channel.finished { channel.monitor.wait() }
                if !channel.chunks.isEmpty {
                    let chunk = channel.chunks.removeFirst()
                    channel.monitor.broadcast()
                    return chunk
                }
                if let error = channel.error { throw error }
                return nil
            }
            guard let next else { return false }
            current = next
            currentOffset = 0
        }
        return true
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0, try fillCurrent() else { return 0 }
        let n = min(buffer.count, current.count - currentOffset)
        current.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + currentOffset, byteCount: n) }
        currentOffset += n
        delivered += UInt64(n)
        return n
    }

    private func start() {
        started = true
        let channel = self.channel, archivePath = self.archivePath, member = self.member, name = path
        let thread = Thread {
            var failure: Error?
            do {
                let archive = try Archive(url: URL(fileURLWithPath: archivePath), accessMode: .read)
                guard let entry = archive.enumerated().first(where: { $0.offset == member.index })?.element else {
                    throw NixWashError.damagedArchive(path: name, reason: "the member is no longer in the archive")
                }
                let checksum = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
                    try channel.monitor.locked {
                        while channel.chunks.count >= Channel.capacity && !channel.cancelled { channel.monitor.wait() }
                        if channel.cancelled { throw Cancelled() }
                        channel.chunks.append(data)
                        channel.monitor.broadcast()
                    }
                }
                if checksum != entry.checksum {
                    throw NixWashError.damagedArchive(path: name, reason: "the member's CRC-32 does not match: it is damaged")
                }
            } catch is Cancelled {
            } catch let error as NixWashError {
                failure = error
            } catch {
                failure = NixWashError.damagedArchive(path: name, reason: "the member cannot be inflated (\(error))")
            }
            channel.monitor.locked {
                channel.error = failure
                channel.finished = true
                channel.monitor.broadcast()
            }
        }
        thread.name = "nixwash-unzip"
        thread.start()
    }
}
