import Foundation

/// One piece of work run on a thread of its own beside the caller, whose result (or error) the
/// caller collects later: a check that must pass before a run publishes, a scan whose answer
/// goes into the report. Collecting always waits for the thread, so whatever the work reads
/// may be released once `result()` or `waitUntilDone()` returned.
public final class BackgroundWork<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written by the thread before `done` is signalled, read only after waiting for it.
    private var outcome: Result<Value, Error>?

    public init(name: String, _ work: @escaping () throws -> Value) {
        let thread = Thread { [self] in
            outcome = Result { try work() }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits for the work; its value, or what it threw.
    public func result() throws -> Value {
        waitUntilDone()
        return try outcome!.get()
    }

    /// Waits until the thread is done, whatever the outcome. May be called any number of times.
    public func waitUntilDone() {
        done.wait()
        done.signal()
    }
}
