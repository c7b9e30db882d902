#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary outputs that SIGINT, SIGTERM or SIGHUP (Ctrl-C, a systemd stop, a closed
/// terminal) must not leave behind: a half-written callable list and rejects are personal data,
/// and a hidden partial folder under a dated name would never be reused and cleared.
/// `OutputFolder` and the index writer register their temporary paths; the handler removes
/// them and then ends the process by the same signal, so the exit status still says how it
/// ended. SIGKILL cannot be caught: then the next run into the same place clears them.
///
/// A signal during the step that puts the result in place (`committing`) waits for it: a
/// signal between the rename and the exit would end the process by a signal (non-zero) with
/// the output in place, which SPEC forbids. Once the result is in place the run is complete,
/// and a signal ends the process with status 0.
///
/// The handler may only make async-signal-safe calls, so the paths are kept as C strings in a
/// fixed table, and the state in plain memory, that it reads without the Swift runtime.
public enum InterruptCleanup {
    private static let capacity = 64
    private static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    /// [0]: what a signal does now (`running`, `committing`, `committed`); [1]: a signal that
    /// arrived while committing, or 0.
    private static let state: UnsafeMutablePointer<Int32> = {
        let state = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        state.initialize(repeating: 0, count: 2)
        return state
    }()
    private static let running: Int32 = 0, committing: Int32 = 1, committed: Int32 = 2

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP (the CLI does, once, at start).
    public static func installHandlers() {
        _ = table
        _ = state
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                switch InterruptCleanup.state[0] {
                case InterruptCleanup.committing: InterruptCleanup.state[1] = received
                case InterruptCleanup.committed: _exit(0)
                default: InterruptCleanup.stop(by: received)
                }
            }
        }
    }

    /// Removes the registered paths and ends the process by `signalNumber`.
    private static func stop(by signalNumber: Int32) {
        // Files first, then the folders they were in (emptied by then).
        for i in 0..<capacity { if let path = table[i] { unlink(path) } }
        for i in 0..<capacity { if let path = table[i] { rmdir(path) } }
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)
    }

    /// Runs the step that puts a run's result in place (a rename). A signal meanwhile waits:
    /// if the step succeeded the run is complete and the process ends with status 0, else the
    /// temporary paths are removed and the process ends by the signal, as at any other time.
    public static func committing<Result>(_ step: () throws -> Result) throws -> Result {
        _ = state
        state[0] = committing
        let result: Result
        do {
            result = try step()
        } catch {
            state[0] = running
            if state[1] != 0 { stop(by: state[1]) }
            throw error
        }
        state[0] = committed
        if state[1] != 0 { _exit(0) }
        return result
    }

    /// Adds a path to remove on interruption; returns its slot for `release`, or nil when the
    /// table is full (the path is then only cleared by the next run, as after SIGKILL).
    static func register(_ path: String) -> Int? {
        for slot in 0..<capacity where table[slot] == nil {
            table[slot] = strdup(path)
            return slot
        }
        return nil
    }

    /// Forgets a path (it was committed or removed).
    static func release(_ slot: Int?) {
        guard let slot, let path = table[slot] else { return }
        table[slot] = nil
        free(path)
    }
}
