import Foundation
import XCTest
@testable import NixWashKit

/// The one hand-off between threads: order, reuse, the bound, and how a stream ends (the
/// producer finishing with or without an error, the consumer cancelling with or without one).
final class SupportHandoffTests: XCTestCase {
    private final class Box {
        var value = -1
    }

    private struct Failure: Error, Equatable {
        let side: String
    }

    /// Runs `body` on a thread of its own; the returned group is left when it returns.
    private func spawn(_ body: @escaping () -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.start()
        return group
    }

    private func waitFor(_ group: DispatchGroup, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success, "the other thread did not end", file: file, line: line)
    }

    /// The producer's values, in order; then nil.
    func testEveryBufferArrivesInOrderThenTheEnd() throws {
        let handoff = Handoff<Box>(capacity: 3) { Box() }
        let producer = spawn {
            defer { handoff.finish() }
            for value in 0..<1000 {
                guard let box = try? handoff.takeEmpty() else { return }
                box.value = value
                guard (try? handoff.send(box)) != nil else { return }
            }
        }
        var received: [Int] = []
        var buffers = Set<ObjectIdentifier>()
        while let box = try handoff.receive() {
            received.append(box.value)
            buffers.insert(ObjectIdentifier(box))
            handoff.recycle(box)
        }
        waitFor(producer)
        XCTAssertEqual(received, Array(0..<1000))
        XCTAssertLessThanOrEqual(buffers.count, 3, "buffers are reused, never more than the capacity")
        XCTAssertNil(try handoff.receive(), "the end stays the end")
    }

    /// An error of the producer reaches the consumer after everything sent before it.
    func testAProducerErrorArrivesAfterTheBuffersSentBeforeIt() throws {
        let handoff = Handoff<Box>(capacity: 2) { Box() }
        let producer = spawn {
            do {
                for value in 0..<5 {
                    let box = try handoff.takeEmpty()
                    box.value = value
                    try handoff.send(box)
                }
                handoff.finish(throwing: Failure(side: "producer"))
            } catch {
                handoff.finish(throwing: error)
            }
        }
        var received: [Int] = []
        XCTAssertThrowsError(try {
            while let box = try handoff.receive() {
                received.append(box.value)
                handoff.recycle(box)
            }
        }()) { error in
            XCTAssertEqual(error as? Failure, Failure(side: "producer"))
        }
        waitFor(producer)
        XCTAssertEqual(received, [0, 1, 2, 3, 4])
        XCTAssertThrowsError(try handoff.receive(), "the error stays") { XCTAssertEqual($0 as? Failure, Failure(side: "producer")) }
    }

    /// An error of the consumer stops a producer that waits for a buffer, and the producer's
    /// calls throw that error from then on.
    func testAConsumerErrorStopsTheProducer() throws {
        let handoff = Handoff<Box>(capacity: 2) { Box() }
        var producerError: Error?
        var sent = 0
        let producer = spawn {
            defer { handoff.finish() }
            do {
                while true {
                    let box = try handoff.takeEmpty()
                    box.value = sent
                    try handoff.send(box)
                    sent += 1
                }
            } catch {
                producerError = error
            }
        }
        let first = try XCTUnwrap(try handoff.receive())
        XCTAssertEqual(first.value, 0)
        handoff.cancel(throwing: Failure(side: "consumer"))
        handoff.waitForProducer()
        waitFor(producer)
        XCTAssertEqual(producerError as? Failure, Failure(side: "consumer"))
        XCTAssertLessThanOrEqual(sent, 3, "one buffer held by the consumer, two more at most")
        XCTAssertThrowsError(try handoff.waitUntilIdle()) { XCTAssertEqual($0 as? Failure, Failure(side: "consumer")) }
    }

    /// A cancel while the producer waits for a free buffer, mid-stream, without an error.
    func testACancelMidStreamWakesAWaitingProducer() throws {
        let handoff = Handoff<Box>(capacity: 1) { Box() }
        let waiting = DispatchSemaphore(value: 0)
        var producerError: Error?
        let producer = spawn {
            defer { handoff.finish() }
            do {
                let box = try handoff.takeEmpty()
                try handoff.send(box)
                waiting.signal()
                _ = try handoff.takeEmpty() // the only buffer is with the consumer
                XCTFail("takeEmpty returned a buffer that does not exist")
            } catch {
                producerError = error
            }
        }
        waiting.wait()
        let box = try XCTUnwrap(try handoff.receive())
        Thread.sleep(forTimeInterval: 0.05)
        handoff.cancel()
        waitFor(producer)
        XCTAssertEqual(producerError as? Handoff<Box>.Cancelled, Handoff<Box>.Cancelled())
        XCTAssertThrowsError(try handoff.receive(), "the consumer's own receive after its cancel") {
            XCTAssertEqual($0 as? Handoff<Box>.Cancelled, Handoff<Box>.Cancelled())
        }
        handoff.recycle(box)
    }

    /// A cancel drops the buffers not yet received, and a producer that already finished
    /// is not disturbed by it.
    func testACancelAfterTheEndDropsWhatWasNotReceived() throws {
        let handoff = Handoff<Box>(capacity: 3) { Box() }
        for value in 0..<3 {
            let box = try handoff.takeEmpty()
            box.value = value
            try handoff.send(box)
        }
        handoff.finish()
        XCTAssertEqual(try handoff.receive()?.value, 0)
        handoff.cancel()
        handoff.waitForConsumer()
        handoff.waitForProducer()
        XCTAssertThrowsError(try handoff.receive())
    }

    /// The producer waits once every buffer is out, and goes on as the consumer recycles.
    func testTheProducerWaitsWhenEveryBufferIsOut() throws {
        let handoff = Handoff<Box>(capacity: 2) { Box() }
        let taken = Counter()
        let producer = spawn {
            defer { handoff.finish() }
            for value in 0..<6 {
                guard let box = try? handoff.takeEmpty() else { return }
                taken.add()
                box.value = value
                guard (try? handoff.send(box)) != nil else { return }
            }
        }
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(taken.value, 2, "no third buffer while two wait to be received")
        var received: [Int] = []
        while let box = try handoff.receive() {
            received.append(box.value)
            handoff.recycle(box)
        }
        waitFor(producer)
        XCTAssertEqual(taken.value, 6)
        XCTAssertEqual(received, Array(0..<6))
    }

    /// Without buffers of its own, `send` waits while `capacity` buffers wait to be received.
    func testSendWaitsWhenTheQueueIsFull() throws {
        let handoff = Handoff<Box>(capacity: 1)
        let sent = Counter()
        let producer = spawn {
            defer { handoff.finish() }
            for value in 0..<3 {
                let box = Box()
                box.value = value
                guard (try? handoff.send(box)) != nil else { return }
                sent.add()
            }
        }
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(sent.value, 1, "the second send waits for the first to be received")
        var received: [Int] = []
        while let box = try handoff.receive() { received.append(box.value) }
        waitFor(producer)
        XCTAssertEqual(received, [0, 1, 2])
    }

    /// `waitUntilIdle` returns once everything sent came back, not before.
    func testWaitUntilIdleWaitsForEveryBufferToComeBack() throws {
        let handoff = Handoff<Box>(capacity: 2) { Box() }
        let consumed = Counter()
        let consumer = spawn {
            defer { handoff.cancel() }
            while let box = try? handoff.receive() {
                Thread.sleep(forTimeInterval: 0.02)
                consumed.add()
                handoff.recycle(box)
            }
        }
        for _ in 0..<5 {
            try handoff.send(try handoff.takeEmpty())
        }
        try handoff.waitUntilIdle()
        XCTAssertEqual(consumed.value, 5)
        handoff.finish()
        handoff.waitForConsumer()
        waitFor(consumer)
    }

    /// Tiny capacities, several consumers, and an end at a random point by either side: every
    /// value sent before a producer's end arrives exactly once, nothing hangs, and no more
    /// than `capacity` buffers ever exist.
    func testStressWithTinyCapacities() throws {
        var random = SplitMix64(seed: 16)
        for round in 0..<300 {
            let capacity = 1 + Int(random.next() % 3)
            let consumers = 1 + Int(random.next() % 3)
            let count = Int(random.next() % 400)
            let stopAt = Int(random.next() % 500) // the consumer cancels after this many (if < count)
            let producerFails = random.next() % 2 == 0
            let handoff = Handoff<Box>(capacity: capacity) { Box() }
            let producer = spawn {
                do {
                    for value in 0..<count {
                        let box = try handoff.takeEmpty()
                        box.value = value
                        try handoff.send(box)
                    }
                    handoff.finish(throwing: producerFails ? Failure(side: "producer") : nil)
                } catch {
                    handoff.finish(throwing: error)
                }
            }
            let lock = NSLock()
            var seen: [Int] = []
            var buffers = Set<ObjectIdentifier>()
            var endings: [String] = []
            let groups = (0..<consumers).map { _ in
                spawn {
                    while true {
                        do {
                            guard let box = try handoff.receive() else {
                                lock.withLock { endings.append("end") }
                                return
                            }
                            lock.withLock {
                                seen.append(box.value)
                                buffers.insert(ObjectIdentifier(box))
                                // Under the lock: no other consumer counts a buffer it received after the cancel.
                                if seen.count == stopAt { handoff.cancel(throwing: Failure(side: "consumer")) }
                            }
                            handoff.recycle(box)
                        } catch {
                            lock.withLock { endings.append((error as? Failure)?.side ?? "\(error)") }
                            return
                        }
                    }
                }
            }
            waitFor(producer)
            groups.forEach { waitFor($0) }
            XCTAssertLessThanOrEqual(buffers.count, capacity, "round \(round)")
            XCTAssertEqual(Set(seen).count, seen.count, "round \(round): a value twice")
            XCTAssertTrue(seen.allSatisfy { (0..<count).contains($0) }, "round \(round)")
            if !(1...max(count, 1)).contains(stopAt) || count == 0 {
                // Nobody cancelled: every value arrived, then the producer's end for everyone.
                XCTAssertEqual(seen.sorted(), Array(0..<count), "round \(round)")
                XCTAssertEqual(endings, Array(repeating: producerFails ? "producer" : "end", count: consumers), "round \(round)")
            } else {
                // Consumers that had a buffer in hand when one of them cancelled still count it.
                XCTAssertTrue((stopAt..<stopAt + consumers).contains(seen.count), "round \(round): received after the cancel")
            }
            if consumers == 1 {
                XCTAssertEqual(seen, seen.sorted(), "round \(round): one consumer sees the order sent")
            }
        }
    }
}

/// A count shared between threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
