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

