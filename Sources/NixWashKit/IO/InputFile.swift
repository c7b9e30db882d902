import CISAL

/// Sees every byte of a file as it is read from disk, e.g. to fingerprint it.
public protocol RawByteObserver: AnyObject {
    func observe(_ bytes: UnsafeRawBufferPointer)
}

/// The SHA-256 of a file's bytes as read, for the report.
public final class InputFingerprint: RawByteObserver {
    private let hash = SHA256()
    public init() {}
    public func observe(_ bytes: UnsafeRawBufferPointer) { hash.update(bytes) }
    /// The digest of everything observed; call once, after the file was read to its end.
    public func digest() -> String { hash.finalize() }
}

/// A lead list, register or log opened for streaming: a path or `-` for standard input,
/// gzip-compressed or plain (told apart by the magic bytes, never by the name). Gzip files
/// may hold several members, which read as one stream (inflated by Intel ISA-L, about three
/// times zlib's speed). Damage is an error naming the file and the byte offset; a short read
/// is never silent.
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
    /// Content already read by `peek`, handed out again by the first reads.
    private var peeked: [UInt8] = []
    private var peekedStart = 0

    /// - Parameter bufferSize: how many compressed bytes are read at a time (tests use tiny
    ///   sizes so gzip members split at every position).
    public init(path: String, bufferSize: Int = 1 << 18, observer: RawByteObserver? = nil) throws {
        self.path = path
        self.observer = observer
        file = path == "-" ? SystemFile.standardInput : try SystemFile.openForReading(path)
        compressedSize = file.size()
        raw = .allocate(byteCount: max(bufferSize, 2) + Self.history, alignment: 16)
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
    public var compressedBytesRead: UInt64 { bytesFromFile - UInt64(rawEnd - rawStart) }

    /// Reads up to `buffer.count` bytes of content; 0 means the end of the content.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if peekedStart < peeked.count {
            let n = min(buffer.count, peeked.count - peekedStart)
            peeked.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + peekedStart, byteCount: n) }
            peekedStart += n
            return n
        }
        return isGzip ? try inflate(into: buffer) : try readPlain(into: buffer)
    }

    /// The first `count` bytes of content (fewer if the content is shorter), which the reads
    /// that follow still return: how an input's kind is told from its content. Call before
    /// any `read`.
    public func peek(_ count: Int) throws -> [UInt8] {
        precondition(peekedStart == 0, "peek after read")
        var chunk = [UInt8](repeating: 0, count: count)
        while peeked.count < count {
            let wanted = count - peeked.count
            let n = try chunk.withUnsafeMutableBytes { bytes -> Int in
                let free = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<wanted])
                return isGzip ? try inflate(into: free) : try readPlain(into: free)
            }
            if n == 0 { break }
            peeked += chunk[0..<n]
        }
        return peeked
    }

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

    /// Bytes already consumed that stay in the raw buffer: ISA-L may hand back up to 8 bytes
    /// it had read ahead into its bit buffer in an earlier call (at a member's end, or on an
    /// error), by moving its input pointer back before the input it was given.
    private static let history = 16

    /// Appends file bytes to the raw buffer, compacting it first (keeping `history` bytes).
    private func fillRaw() throws {
        let keep = min(rawStart, Self.history)
        if rawStart > keep {
            let moved = rawEnd - rawStart + keep
            raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart - keep, byteCount: moved)
            rawStart = keep
            rawEnd = moved
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
            var remaining: UInt32 = 0, made: UInt32 = 0, memberEnded: Int32 = 0
            let status = nixwash_isal_inflate(s, (raw.baseAddress! + rawStart).assumingMemoryBound(to: UInt8.self),
                                              UInt32(rawEnd - rawStart), out + produced, capacity - UInt32(produced),
                                              &remaining, &made, &memberEnded)
            // `remaining` may exceed what was given: bytes handed back from an earlier call,
            // which the kept history still holds just before rawStart.
            guard Int(remaining) <= rawEnd else {
                throw NixWashError.corruptGzip(path: path, offset: compressedBytesRead, reason: "the inflater gave back more input than it was given")
            }
            rawStart = rawEnd - Int(remaining)
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
