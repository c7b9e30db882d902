#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CISAL

/// Sees every byte of a file as it is read from disk, e.g. to fingerprint it.
public protocol RawByteObserver: AnyObject {
    func observe(_ bytes: UnsafeRawBufferPointer)
}

/// The SHA-256 of a file's bytes as read, for the report.
public final class InputFingerprint: RawByteObserver {
    private var hash = SHA256()
    public init() {}
    public func observe(_ bytes: UnsafeRawBufferPointer) { hash.update(bytes) }
    /// The digest of everything observed; call once, after the file was read to its end.
    public func digest() -> String { hash.finalize() }
}

/// A lead list, register or log opened for streaming: a path or `-` for standard input,
/// gzip-compressed or plain (told apart by the magic bytes, never by the name). Gzip files
/// may hold several members, which read as one stream (inflated by Intel ISA-L, about three
/// times zlib's speed). Damage is an error naming the file and the byte offset; a short read
/// is never silent. `startReadingAhead()` moves reading and inflating to a thread of its own.
public final class InputFile {
    public let path: String
    /// Whether the content is gzip-compressed.
    public private(set) var isGzip = false
    /// Size of the file on disk, or nil for a pipe.
    public let compressedSize: UInt64?

    private let file: SystemFile
    private let raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var sawEndOfFile = false
    private var bytesFromFile: UInt64 = 0
    private var stream: UnsafeMutablePointer<inflate_state>?
    private var finished = false
    private let observer: RawByteObserver?

    /// - Parameter bufferSize: how many compressed bytes are read at a time (tests use tiny
    ///   sizes so gzip members split at every position).
    public init(path: String, bufferSize: Int = 1 << 18, observer: RawByteObserver? = nil) throws {
        self.path = path
        self.observer = observer
        file = path == "-" ? SystemFile.standardInput : try SystemFile.openForReading(path)
        compressedSize = file.size()
        raw = .allocate(byteCount: max(bufferSize, 2), alignment: 16)
        while rawEnd < 2, !sawEndOfFile { try fillRaw() }
        if rawEnd - rawStart >= 2, raw[rawStart] == 0x1f, raw[rawStart + 1] == 0x8b {
            isGzip = true
            try startInflate()
        }
    }

    deinit {
        if let stream { nixwash_isal_inflate_free(stream) }
        raw.deallocate()
    }

    /// Bytes of the file consumed so far (compressed bytes for gzip): drives progress and ETA.
    public var compressedBytesRead: UInt64 {
        readAhead?.compressedBytesConsumed ?? bytesFromFile - UInt64(rawEnd - rawStart)
    }

    /// Reads up to `buffer.count` bytes of content; 0 means the end of the content.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if let readAhead { return try readAhead.read(into: buffer) }
        return try decode(into: buffer)
    }

    private func decode(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        isGzip ? try inflate(into: buffer) : try readPlain(into: buffer)
    }

    private var readAhead: ReadAhead?

    /// From now on, reads and inflates on a thread of its own into a few blocks of
    /// `blockSize` content bytes, so decompression overlaps the caller's work. Errors arrive
    /// in order, from the `read` that reaches them. The observer then sees bytes on that thread.
    public func startReadingAhead(blockSize: Int = 1 << 20, blocks: Int = 4) {
        guard readAhead == nil else { return }
        let ahead = ReadAhead(blockSize: blockSize, blocks: blocks, startOffset: compressedBytesRead)
        readAhead = ahead
        let thread = Thread { [self] in ahead.produce { try self.decode(into: $0) } bytesRead: { self.bytesFromFile - UInt64(self.rawEnd - self.rawStart) } }
        thread.name = "nixwash-read"
        thread.start()
    }

    /// Stops a read-ahead thread early (the caller gave up on the file); safe to call twice.
    public func stopReadingAhead() { readAhead?.cancel() }

    private func readPlain(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if rawStart < rawEnd {
            let n = min(buffer.count, rawEnd - rawStart)
            buffer.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: n)
            rawStart += n
            return n
        }
        guard !sawEndOfFile else { return 0 }
        let n = try file.read(into: buffer)
        bytesFromFile += UInt64(n)
        observer?.observe(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        if n == 0 { sawEndOfFile = true }
        return n
    }

    /// Appends file bytes to the raw buffer, compacting it first.
    private func fillRaw() throws {
        if rawStart > 0 {
            let pending = rawEnd - rawStart
            if pending > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: pending) }
            rawStart = 0
            rawEnd = pending
        }
        let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
        if n == 0 { sawEndOfFile = true }
        observer?.observe(UnsafeRawBufferPointer(rebasing: raw[rawEnd..<(rawEnd + n)]))
        rawEnd += n
        bytesFromFile += UInt64(n)
    }

    private func startInflate() throws {
        guard let s = nixwash_isal_inflate_new() else {
            throw NixWashError.readFailed(path: path, reason: "no memory for the gzip inflater")
        }
        stream = s
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let s = stream, !finished else { return 0 }
        let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let capacity = UInt32(clamping: buffer.count)
        var produced = 0
        while true {
            if rawStart == rawEnd, !sawEndOfFile { try fillRaw() }
            var consumed: UInt32 = 0, made: UInt32 = 0, memberEnded: Int32 = 0
            let status = nixwash_isal_inflate(s, (raw.baseAddress! + rawStart).assumingMemoryBound(to: UInt8.self),
                                              UInt32(rawEnd - rawStart), out + produced, capacity - UInt32(produced),
                                              &consumed, &made, &memberEnded)
            rawStart += Int(consumed)
            produced += Int(made)
            guard status >= ISAL_DECOMP_OK else {
                throw NixWashError.corruptGzip(path: path, offset: compressedBytesRead, reason: Self.inflateError(status))
            }
            if memberEnded != 0 {
                try startNextMember()
                if produced == Int(capacity) || finished { return produced }
                continue
            }
            if produced > 0 { return produced }
            if rawStart == rawEnd, sawEndOfFile {
                throw NixWashError.truncatedGzip(path: path, offset: compressedBytesRead)
            }
        }
    }

    private static func inflateError(_ status: Int32) -> String {
        switch status {
        case ISAL_INVALID_BLOCK: return "invalid deflate block"
        case ISAL_INVALID_SYMBOL: return "invalid deflate symbol"
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: return "invalid gzip header"
        case ISAL_UNSUPPORTED_METHOD: return "unknown compression method"
        case ISAL_INCORRECT_CHECKSUM: return "incorrect data check"
        default: return "inflate error \(status)"
        }
    }

    /// After a member ends: the file ends, or another gzip member follows.
    private func startNextMember() throws {
        if rawStart == rawEnd, !sawEndOfFile { try fillRaw() }
        if rawStart == rawEnd, sawEndOfFile {
            finished = true
            return
        }
        guard raw[rawStart] == 0x1f else {
            throw NixWashError.trailingGarbage(path: path, offset: compressedBytesRead)
        }
        nixwash_isal_inflate_reset(stream)
    }
}

/// The hand-off between a reading thread and the reader of an `InputFile`: a few blocks of
/// content going round, each with how far into the file it reached.
private final class ReadAhead {
    private struct Block {
        var bytes: UnsafeMutableRawBufferPointer
        var count = 0
        var compressedBytesRead: UInt64 = 0
        var error: Error?
    }

    private let monitor = Monitor()
    private var free: [Block]
    private var ready: [Block] = []
    private var current: Block?
    private var offset = 0
    private var cancelled = false
    private let allBuffers: [UnsafeMutableRawBufferPointer]
    private(set) var compressedBytesConsumed: UInt64

    init(blockSize: Int, blocks: Int, startOffset: UInt64) {
        allBuffers = (0..<max(blocks, 2)).map { _ in .allocate(byteCount: max(blockSize, 1), alignment: 16) }
        free = allBuffers.map { Block(bytes: $0) }
        compressedBytesConsumed = startOffset
    }

    deinit { for buffer in allBuffers { buffer.deallocate() } }

    /// The reading thread: fills free blocks until the end, an error or `cancel()`.
    func produce(_ decode: (UnsafeMutableRawBufferPointer) throws -> Int, bytesRead: () -> UInt64) {
        while true {
            monitor.lock()
            while free.isEmpty && !cancelled { monitor.wait() }
            if cancelled {
                monitor.unlock()
                return
            }
            var block = free.removeLast()
            monitor.unlock()
            var done = false
            do {
                // Fill the block as far as the content goes, so blocks hand off rarely.
                var filled = 0
                while filled < block.bytes.count {
                    let n = try decode(UnsafeMutableRawBufferPointer(rebasing: block.bytes[filled...]))
                    if n == 0 { done = true; break }
                    filled += n
                }
                block.count = filled
            } catch {
                block.error = error
                done = true
            }
            block.compressedBytesRead = bytesRead()
            monitor.locked {
                ready.append(block)
                if done && block.count > 0 && block.error == nil {
                    // A last, empty block marks the end.
                    ready.append(Block(bytes: UnsafeMutableRawBufferPointer(start: nil, count: 0), compressedBytesRead: block.compressedBytesRead))
                }
                monitor.broadcast()
            }
            if done { return }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if let block = current {
                if let error = block.error { throw error }
                if block.count == 0 { return 0 }  // the end, delivered again on every call
                if offset < block.count {
                    let n = min(buffer.count, block.count - offset)
                    buffer.baseAddress!.copyMemory(from: block.bytes.baseAddress! + offset, byteCount: n)
                    offset += n
                    return n
                }
                monitor.locked {
                    free.append(block)
                    monitor.broadcast()
                }
                current = nil
            }
            monitor.lock()
            while ready.isEmpty { monitor.wait() }
            let next = ready.removeFirst()
            monitor.unlock()
            current = next
            offset = 0
            compressedBytesConsumed = next.compressedBytesRead
        }
    }

    func cancel() {
        monitor.locked {
            cancelled = true
            monitor.broadcast()
        }
    }
}
