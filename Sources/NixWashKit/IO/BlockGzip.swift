#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CISAL
import CZlibShim

/// A mutex and a condition variable at stable heap addresses, for the few hand-offs between
/// threads (blocks in, blocks out); never taken per row.
final class Monitor {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a `broadcast()`; call with the lock held, and recheck the condition after.
    func wait() { pthread_cond_wait(condition, mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }

    func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}

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
    private let monitor = Monitor()
    private var jobs: [(block: OutputBlock, sink: BlockGzipFileSink)] = []
    private var stopping = false

    /// - Parameters:
    ///   - level: 1 (fast) … 9 (small); 1-3 by ISA-L, 4-9 by zlib.
    ///   - threads: how many compressing threads (default: one per online core).
    public init(level: Int32, threads: Int? = nil) {
        self.level = level
        let count = max(threads ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
        for _ in 0..<count {
            let thread = Thread { [self] in self.work() }
            thread.name = "nixwash-gzip"
            thread.start()
        }
    }

    /// Lets the threads end once the queued blocks are compressed.
    public func shutdown() {
        monitor.locked {
            stopping = true
            monitor.broadcast()
        }
    }

    fileprivate func enqueue(_ block: OutputBlock, for sink: BlockGzipFileSink) {
        monitor.locked {
            jobs.append((block, sink))
            monitor.broadcast()
        }
    }

    private func work() {
        let compressor = GzipMemberCompressor(level: level)
        while true {
            monitor.lock()
            while jobs.isEmpty && !stopping { monitor.wait() }
            if jobs.isEmpty {
                monitor.unlock()
                return
            }
            let job = jobs.removeFirst()
            monitor.unlock()
            job.block.compressedCount = compressor.compress(
                UnsafeRawBufferPointer(start: job.block.input, count: job.block.count),
                into: UnsafeMutableRawBufferPointer(start: job.block.output, count: job.block.outputCapacity))
            job.sink.completed(job.block)
        }
    }
}

/// One block of output on its way through compression.
final class OutputBlock {
    let input: UnsafeMutableRawPointer
    let capacity: Int
    var count = 0
    let output: UnsafeMutableRawPointer
    let outputCapacity: Int
    /// The member's size once compressed; nil while pending or after a failure.
    var compressedCount: Int?
    var done = false

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
}

/// A new gzip file written as a series of independent gzip members, one per block of
/// `blockSize` input bytes, compressed by `CompressionWorkers` while the caller goes on, and
/// written in order. Concatenated members are one valid gzip stream (`gzip -t`, `zcat`).
/// Memory stays flat: at most `maxBlocksInFlight` blocks exist; a writer ahead of the
/// compressors waits.
public final class BlockGzipFileSink: LendingByteSink {
    private let file: SystemFile
    private let workers: CompressionWorkers
    private let blockSize: Int
    private let maxBlocksInFlight: Int
    private let monitor = Monitor()
    // Guarded by `monitor`: blocks submitted and not yet written (in order), spare blocks,
    // blocks allocated so far, the first error.
    private var pending: [OutputBlock] = []
    private var spare: [OutputBlock] = []
    private var allocated = 0
    private var failure: NixWashError?
    // Only the writing thread touches these.
    private var current: OutputBlock?
    private var submitted = 0
    private var finished = false

    public init(path: String, workers: CompressionWorkers, blockSize: Int = 1 << 20, maxBlocksInFlight: Int = 6) throws {
        file = try SystemFile.createExclusive(path)
        self.workers = workers
        self.blockSize = max(blockSize, 1)
        self.maxBlocksInFlight = max(maxBlocksInFlight, 2)
    }

    public func freeSpace(atLeast minimum: Int) -> UnsafeMutableRawBufferPointer {
        if let block = current, block.capacity - block.count >= minimum {
            return UnsafeMutableRawBufferPointer(start: block.input + block.count, count: block.capacity - block.count)
        }
        if current != nil { submitCurrent() }
        // A failure is not thrown here but by the next `commit` or `finish`.
        let block = takeBlock(atLeast: minimum)
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
        if let failure = monitor.locked({ failure }) { throw failure }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let block = try current ?? takeBlock()
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
            if current == nil { current = try takeBlock() }
            submitCurrent()
        }
        try monitor.locked {
            while !pending.isEmpty && failure == nil { monitor.wait() }
            if let failure { throw failure }
        }
        try file.sync()
        try file.closeChecked()
    }

    private func submitCurrent() {
        guard let block = current else { return }
        current = nil
        submitted += 1
        monitor.locked { pending.append(block) }
        workers.enqueue(block, for: self)
    }

    /// A free block; throws the first failure.
    private func takeBlock() throws -> OutputBlock {
        if let failure = monitor.locked({ failure }) { throw failure }
        return takeBlock(atLeast: blockSize)
    }

    /// A free block of at least `minimum` bytes (a row longer than a block gets a block of its
    /// own size); waits while `maxBlocksInFlight` are pending. Blocks come back whether or
    /// not they failed, so the wait ends.
    private func takeBlock(atLeast minimum: Int) -> OutputBlock {
        monitor.locked {
            while true {
                if let block = spare.popLast() {
                    guard block.capacity >= minimum else { return OutputBlock(capacity: max(blockSize, minimum)) }
                    block.count = 0
                    block.done = false
                    block.compressedCount = nil
                    return block
                }
                if allocated < maxBlocksInFlight {
                    allocated += 1
                    return OutputBlock(capacity: max(blockSize, minimum))
                }
                monitor.wait()
            }
        }
    }

    /// Called by a compressing thread: writes every block that is ready, in order.
    fileprivate func completed(_ block: OutputBlock) {
        monitor.locked {
            block.done = true
            while let first = pending.first, first.done {
                pending.removeFirst()
                if failure == nil {
                    if let size = first.compressedCount {
                        do {
                            try file.write(UnsafeRawBufferPointer(start: first.output, count: size))
                        } catch let error as NixWashError {
                            failure = error
                        } catch {
                            failure = .writeFailed(path: file.path, reason: "\(error)")
                        }
                    } else {
                        failure = .writeFailed(path: file.path, reason: "gzip compression at level \(workers.level) failed")
                    }
                }
                spare.append(first)
            }
            monitor.broadcast()
        }
    }
}
