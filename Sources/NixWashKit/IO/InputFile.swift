import CZlib

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
/// may hold several members, which read as one stream. Damage is an error naming the file and
/// the byte offset; a short read is never silent.
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
    private var stream: UnsafeMutablePointer<z_stream>?
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
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        raw.deallocate()
    }

    /// Bytes of the file consumed so far (compressed bytes for gzip): drives progress and ETA.
    public var compressedBytesRead: UInt64 { bytesFromFile - UInt64(rawEnd - rawStart) }

    /// Reads up to `buffer.count` bytes of content; 0 means the end of the content.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        return isGzip ? try inflate(into: buffer) : try readPlain(into: buffer)
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
        let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        s.initialize(to: z_stream())
        guard nixwash_inflateInit2(s, 16 + MAX_WBITS) == Z_OK else {
            s.deallocate()
            throw NixWashError.readFailed(path: path, reason: "zlib could not start")
        }
        stream = s
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let s = stream, !finished else { return 0 }
        s.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        s.pointee.avail_out = UInt32(clamping: buffer.count)
        let capacity = Int(s.pointee.avail_out)
        while true {
            if rawStart == rawEnd, !sawEndOfFile { try fillRaw() }
            s.pointee.next_in = (raw.baseAddress! + rawStart).assumingMemoryBound(to: Bytef.self)
            s.pointee.avail_in = UInt32(rawEnd - rawStart)
            let status = CZlib.inflate(s, Z_NO_FLUSH)
            rawStart = rawEnd - Int(s.pointee.avail_in)
            let produced = capacity - Int(s.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                try startNextMember()
                if produced > 0 || finished { return produced }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if rawStart == rawEnd, sawEndOfFile {
                    throw NixWashError.truncatedGzip(path: path, offset: compressedBytesRead)
                }
            default:
                let reason = s.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw NixWashError.corruptGzip(path: path, offset: compressedBytesRead, reason: reason)
            }
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
        inflateReset(stream)
    }
}
