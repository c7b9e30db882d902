#if canImport(Glibc)
import Glibc
#endif

/// The one way nixwash hands work from one thread to another: a bounded queue of reusable
/// buffers between a producing side and a consuming side.
///
/// The producer takes an empty buffer (`takeEmpty`), fills it and `send`s it; the consumer
/// `receive`s it, reads it and `recycle`s it. At most `capacity` buffers exist, so a producer
/// that is ahead waits and memory stays flat. Either side may be several threads.
///
/// One rule for how it ends (like a Go channel closed by its sender, with the receiver able to
/// cancel):
/// - The producer ends the stream once, with `finish()` or `finish(throwing:)`, also after an
///   error of its own. The consumer receives every buffer sent before, then `nil`, or the error.
/// - The consumer stops once, with `cancel()` or `cancel(throwing:)`, also when it stops
///   early. Buffers not yet received are dropped, and the producer's next `takeEmpty`, `send` or
///   `waitUntilIdle` throws that error (`Handoff.Cancelled` without one).
/// - Each side may wait for the other to have ended (`waitForProducer`, `waitForConsumer`), so
///   that whoever owns what the other thread reads can release it safely.
final class Handoff<Buffer: AnyObject>: @unchecked Sendable {
    /// What the producer's calls throw after the consumer cancelled without an error.
    struct Cancelled: Error, Equatable {}

    let capacity: Int
    private let make: (() -> Buffer)?
    private let monitor = Monitor()
    // Guarded by `monitor`:
    private var ready: [Buffer] = []
    private var free: [Buffer] = []
    private var made = 0
    private var producerEnded = false
    private var producerError: Error?
    private var consumerEnded = false
    private var consumerError: Error?

    /// - Parameters:
    ///   - capacity: how many buffers go round (at least 1); also how many sent buffers may wait.
    ///   - make: makes a buffer the first `capacity` times `takeEmpty` finds none free. Without
    ///     it the producer sends buffers of its own, and `send` waits while `capacity` wait.
    init(capacity: Int, make: (() -> Buffer)? = nil) {
        precondition(capacity >= 1, "a hand-off holds at least one buffer")
        self.capacity = capacity
        self.make = make
    }

    // MARK: The producing side

    /// An empty buffer to fill: a recycled one, or a new one while fewer than `capacity` exist;
    /// waits otherwise. Throws once the consumer cancelled.
    func takeEmpty() throws -> Buffer {
        guard let make else { preconditionFailure("takeEmpty() on a hand-off without buffers of its own") }
        monitor.lock()
        defer { monitor.unlock() }
        precondition(!producerEnded, "takeEmpty() after finish()")
        while true {
            if consumerEnded { throw consumerError ?? Cancelled() }
            if let buffer = free.popLast() { return buffer }
            if made < capacity {
                made += 1
                return make()
            }
            monitor.wait()
        }
    }

    /// Hands a filled buffer to the consumer; waits while `capacity` buffers wait to be
    /// received. Throws once the consumer cancelled (the buffer is dropped).
    func send(_ buffer: Buffer) throws {
        monitor.lock()
        defer { monitor.unlock() }
        precondition(!producerEnded, "send() after finish()")
        while !consumerEnded, ready.count >= capacity { monitor.wait() }
        if consumerEnded { throw consumerError ?? Cancelled() }
        ready.append(buffer)
        monitor.broadcast()
    }

    /// Ends the stream: the consumer receives what was sent, then `nil` or `error`. Later calls
    /// change nothing.
    func finish(throwing error: Error? = nil) {
        monitor.locked {
            guard !producerEnded else { return }
            producerEnded = true
            producerError = error
            monitor.broadcast()
        }
    }

    /// Waits until every buffer made is back (recycled, none in the producer's hands), which
    /// is when everything sent so far has been consumed. Throws once the consumer cancelled.
    func waitUntilIdle() throws {
        try monitor.locked {
            while !consumerEnded, free.count < made { monitor.wait() }
            if consumerEnded { throw consumerError ?? Cancelled() }
        }
    }

    /// Throws what `takeEmpty` would throw now: the consumer's error once it cancelled.
    func throwIfCancelled() throws {
        try monitor.locked {
            if consumerEnded { throw consumerError ?? Cancelled() }
        }
    }

    /// Waits until the consumer cancelled (it calls `cancel()` when it is done, too).
    func waitForConsumer() {
        monitor.locked {
            while !consumerEnded { monitor.wait() }
        }
    }

    // MARK: The consuming side

    /// The next buffer sent, in order; waits for one. `nil` once the producer finished and
    /// everything sent was received; throws the producer's error instead, or the consumer's
    /// own cancellation.
    func receive() throws -> Buffer? {
        try monitor.locked {
            while ready.isEmpty, !producerEnded, !consumerEnded { monitor.wait() }
            if consumerEnded { throw consumerError ?? Cancelled() }
            if !ready.isEmpty {
                monitor.broadcast()
                return ready.removeFirst()
            }
            if let producerError { throw producerError }
            return nil
        }
    }

    /// Gives a received buffer back for the producer to fill again.
    func recycle(_ buffer: Buffer) {
        monitor.locked {
            free.append(buffer)
            monitor.broadcast()
        }
    }

    /// Stops the consumer's side: buffers not yet received are dropped, and the producer's
    /// next call throws `error` (or `Cancelled`). Returns at once; later calls change nothing.
    func cancel(throwing error: Error? = nil) {
        monitor.locked {
            guard !consumerEnded else { return }
            consumerEnded = true
            consumerError = error
            free.append(contentsOf: ready)
            ready.removeAll()
            monitor.broadcast()
        }
    }

    /// Waits until the producer finished (it calls `finish()` also when it stops for an error
    /// or a cancellation).
    func waitForProducer() {
        monitor.locked {
            while !producerEnded { monitor.wait() }
        }
    }
}

/// A mutex and a condition variable at stable heap addresses, behind `Handoff`; never taken
/// per row.
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
