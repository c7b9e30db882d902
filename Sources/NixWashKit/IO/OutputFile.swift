import CZlibShim

/// Where output bytes go: a plain file or a gzip stream. Writes are buffered by the writer
/// above; `finish()` makes everything durable or throws.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func finish() throws
}

/// A sink that lends a writer the free end of the block it is filling, so bytes are written
/// once, where they will be compressed, instead of into a buffer and then copied.
public protocol LendingByteSink: ByteSink {
    /// The free space after the bytes committed so far: at least `minimum` bytes, in a new
    /// block when the current one has less (the committed bytes stay where they are).
    func freeSpace(atLeast minimum: Int) -> UnsafeMutableRawBufferPointer
    /// Marks the first `count` bytes of the last space lent as written.
    func commit(_ count: Int)
    /// Throws the failure of an earlier block (compression or writing), if any.
    func throwIfFailed() throws
}

/// A new plain file (created exclusively: outputs always go to fresh temporary names).
public final class PlainFileSink: ByteSink {
    private let file: SystemFile

    public init(path: String) throws { file = try SystemFile.createExclusive(path) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }

    public func finish() throws {
        try file.sync()
        try file.closeChecked()
    }
}

/// A new gzip file written through zlib. The `z_stream` lives at a stable heap address, as
/// zlib keeps pointers into it.
public final class GzipFileSink: ByteSink {
    private let file: SystemFile
    private let stream: UnsafeMutablePointer<z_stream>
    private let out: UnsafeMutableRawBufferPointer
    private var finished = false

    /// - Parameter level: zlib level 1 (fast) to 9 (small).
    public init(path: String, level: Int32 = 1) throws {
        file = try SystemFile.createExclusive(path)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        out = .allocate(byteCount: 1 << 17, alignment: 16)
        guard nixwash_deflateInit2(stream, level, 16 + MAX_WBITS) == Z_OK else {
            stream.deallocate()
            out.deallocate()
            throw NixWashError.writeFailed(path: path, reason: "zlib could not start at level \(level)")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        out.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        stream.pointee.avail_in = 0
        try pump(flush: Z_FINISH)
        try file.sync()
        try file.closeChecked()
    }

    private func pump(flush: Int32) throws {
        repeat {
            stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(out.count)
            let status = deflate(stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw NixWashError.writeFailed(path: file.path, reason: "zlib error \(status)")
            }
            let produced = out.count - Int(stream.pointee.avail_out)
            if produced > 0 { try file.write(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
            if flush == Z_FINISH && status == Z_STREAM_END { return }
        } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 || flush == Z_FINISH
    }
}
