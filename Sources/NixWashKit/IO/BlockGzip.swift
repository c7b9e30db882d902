#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CISAL
import CZlibShim

/// Compresses one block of bytes into one complete gzip member. Levels 1-3 use Intel ISA-L
/// (several times faster than zlib at a similar ratio), 4-9 use zlib. One per thread.
final class GzipMemberCompressor {
    let level: Int32
    private let levelBuffer: UnsafeMutablePointer<UInt8>?
    private let levelBufferSize: UInt32
    private let zstream: UnsafeMutablePointer<z_stream>

    /// Whether a level is served by ISA-L.
    static func usesISAL(_ level: Int32) -> Bool { (1...3).contains(level) }

    init(level: Int32) {
        self.level = level
        levelBufferSize = Self.usesISAL(level) ? nixwash_isal_level_buffer_size(UInt32(level)) : 0
        levelBuffer = levelBufferSize > 0 ? .allocate(capacity: Int(levelBufferSize)) : nil
        zstream = .allocate(capacity: 1)
        zstream.initialize(to: z_stream())
        // zlib at the requested level, or at 1 when ISA-L is used (its rare fallback).
        _ = nixwash_deflateInit2(zstream, Self.usesISAL(level) ? 1 : level, 16 + MAX_WBITS)
    }

    deinit {
        deflateEnd(zstream)
        zstream.deallocate()
        levelBuffer?.deallocate()
    }

    /// The output capacity `compress` needs for `count` input bytes.
    static func capacity(for count: Int) -> Int { count + count / 8 + 4096 }

    /// Compresses `input` into `output` (of at least `capacity(for: input.count)` bytes) and
    /// returns the member's size, or nil if the compressor failed.
    func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        let inBytes = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let outBytes = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if Self.usesISAL(level) {
            let size = nixwash_isal_gzip_member(UInt32(level), levelBuffer, levelBufferSize, inBytes,
                                                UInt32(input.count), outBytes, UInt32(output.count))
            if size > 0 { return Int(size) }
        }
        guard deflateReset(zstream) == Z_OK else { return nil }
        zstream.pointee.next_in = UnsafeMutablePointer(mutating: inBytes)
        zstream.pointee.avail_in = UInt32(input.count)
        zstream.pointee.next_out = outBytes
        zstream.pointee.avail_out = UInt32(output.count)
        guard deflate(zstream, Z_FINISH) == Z_STREAM_END else { return nil }
        return output.count - Int(zstream.pointee.avail_out)
    }
}

/// Threads that compress output blocks for every `BlockGzipFileSink` of a run, so output
/// compression, the most expensive stage, uses every core. Call `shutdown()` when done.
public final class CompressionWorkers {
    public let level: Int32
    /// Blocks from every sink, in the order they were filled. Each sink keeps at most
    /// `maxBlocksInFlight` blocks, so this bound only makes a sink wait with many sinks.
    private let jobs = Handoff<OutputBlock>(capacity: 64)

    /// - Parameters:
    ///   - level: 1 (fast) … 9 (small); 1-3 by ISA-L, 4-9 by zlib.
    ///   - threads: how many compressing threads (default: one per online core).
    public init(level: Int32, threads: Int? = nil) {
        self.level = level
        let count = max(threads ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
        for _ in 0..<count {
            let thread = Thread { [jobs] in Self.work(on: jobs, level: level) }
            thread.name = "nixwash-gzip"
            thread.start()
        }
    }

    /// Lets the threads end once the queued blocks are compressed.
    public func shutdown() { jobs.finish() }

    fileprivate func enqueue(_ block: OutputBlock) {
        // The workers never cancel: they take blocks until `shutdown()`.
        try! jobs.send(block)
    }

    private static func work(on jobs: Handoff<OutputBlock>, level: Int32) {
        let compressor = GzipMemberCompressor(level: level)
        while let block = try! jobs.receive() {
            block.compressedCount = compressor.compress(
                UnsafeRawBufferPointer(start: block.input, count: block.count),
                into: UnsafeMutableRawBufferPointer(start: block.output, count: block.outputCapacity))
            let sink = block.sink!
            block.sink = nil
            sink.completed(block)
        }
    }
}

/// One block of output on its way through compression.
final class OutputBlock {
    private(set) var input: UnsafeMutableRawPointer
    private(set) var capacity: Int
    var count = 0
    private(set) var output: UnsafeMutableRawPointer
    private(set) var outputCapacity: Int
    /// The member's size once compressed; nil while pending or after a failure.
    var compressedCount: Int?
    var done = false
    /// The sink whose file the block goes to, while it is with the compressing threads.
    var sink: BlockGzipFileSink?

    init(capacity: Int) {
        self.capacity = capacity
        input = .allocate(byteCount: capacity, alignment: 16)
        outputCapacity = GzipMemberCompressor.capacity(for: capacity)
        output = .allocate(byteCount: outputCapacity, alignment: 16)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// Empties the block for reuse, with room for at least `minimum` bytes.
    func reset(holding minimum: Int) {
        count = 0
        done = false
        compressedCount = nil
        guard capacity < minimum else { return }
        input.deallocate()
        output.deallocate()
        capacity = minimum
        input = .allocate(byteCount: capacity, alignment: 16)
        outputCapacity = GzipMemberCompressor.capacity(for: capacity)
        output = .allocate(byteCount: outputCapacity, alignment: 16)
    }
}

/// A new gzip file written as a series of independent gzip members, one per block of
/// `blockSize` input bytes, compressed by `CompressionWorkers` while the caller goes on, and
/// written in order. Concatenated members are one valid gzip stream (`gzip -t`, `zcat`).
/// Memory stays flat: at most `maxBlocksInFlight` blocks exist (a `Handoff` whose consumer
/// is the compressing threads); a writer ahead of the compressors waits.
public final class BlockGzipFileSink: LendingByteSink {
    private let file: SystemFile
    private let workers: CompressionWorkers
    private let blockSize: Int
    /// The blocks that go round. A block comes back once written; the first failure cancels
    /// it, which the writer's next `takeEmpty` or `waitUntilIdle` throws.
    private let blocks: Handoff<OutputBlock>
    /// Blocks submitted and not yet written, in file order (for the compressing threads).
    private let order = NSLock()
    private var pending: [OutputBlock] = []
    // Only the writing thread touches these.
    private var current: OutputBlock?
    private var submitted = 0
    private var finished = false

    public init(path: String, workers: CompressionWorkers, blockSize: Int = 1 << 20, maxBlocksInFlight: Int = 6) throws {
        file = try SystemFile.createExclusive(path)
        self.workers = workers
        let blockSize = max(blockSize, 1)
        self.blockSize = blockSize
        blocks = Handoff(capacity: max(maxBlocksInFlight, 2)) { OutputBlock(capacity: blockSize) }
    }

    public func freeSpace(atLeast minimum: Int) -> UnsafeMutableRawBufferPointer {
        if let block = current, block.capacity - block.count >= minimum {
            return UnsafeMutableRawBufferPointer(start: block.input + block.count, count: block.capacity - block.count)
        }
        if current != nil { submitCurrent() }
        // A failure is not thrown here but by the next `commit` or `finish`; until then the
        // bytes go to a block that is never written.
        let block = (try? takeBlock(atLeast: minimum)) ?? OutputBlock(capacity: max(blockSize, minimum))
        current = block
        return UnsafeMutableRawBufferPointer(start: block.input, count: block.capacity)
    }

    public func commit(_ count: Int) {
        guard let block = current else {
            precondition(count == 0, "bytes committed without space lent")
            return
        }
        precondition(block.count + count <= block.capacity, "more bytes committed than lent")
        block.count += count
        if block.count == block.capacity { submitCurrent() }
    }

    public func throwIfFailed() throws {
        try blocks.throwIfCancelled()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let block = try current ?? takeBlock(atLeast: blockSize)
            current = block
            let n = min(block.capacity - block.count, bytes.count - offset)
            (block.input + block.count).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            block.count += n
            offset += n
            if block.count == block.capacity { submitCurrent() }
        }
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        // An empty file is not valid gzip: an empty output still gets one (empty) member.
        if current != nil || submitted == 0 {
            if current == nil { current = try takeBlock(atLeast: blockSize) }
            submitCurrent()
        }
        try blocks.waitUntilIdle()
        try file.sync()
        try file.closeChecked()
    }

    /// Hands the current block to the compressing threads (after a failure: drops it).
    private func submitCurrent() {
        guard let block = current else { return }
        current = nil
        submitted += 1
        guard (try? blocks.throwIfCancelled()) != nil else { return }
        order.withLock { pending.append(block) }
        block.sink = self
        workers.enqueue(block)
    }

    /// A free block of at least `minimum` bytes (a row longer than a block gets a block of its
    /// own size); waits while `maxBlocksInFlight` are out. Throws the first failure.
    private func takeBlock(atLeast minimum: Int) throws -> OutputBlock {
        let block = try blocks.takeEmpty()
        block.reset(holding: minimum)
        return block
    }

    /// Called by a compressing thread: writes every block that is ready, in order, and gives
    /// each back; the first failure cancels the blocks' hand-off.
    fileprivate func completed(_ block: OutputBlock) {
        order.withLock {
            block.done = true
            while let first = pending.first, first.done {
                pending.removeFirst()
                // After a failure nothing more is written.
                guard (try? blocks.throwIfCancelled()) != nil else { continue }
                do {
                    guard let size = first.compressedCount else {
                        throw NixWashError.writeFailed(path: file.path, reason: "gzip compression at level \(workers.level) failed")
                    }
                    try file.write(UnsafeRawBufferPointer(start: first.output, count: size))
                    blocks.recycle(first)
                } catch {
                    blocks.cancel(throwing: error as? NixWashError ?? .writeFailed(path: file.path, reason: "\(error)"))
                }
            }
        }
    }
}
