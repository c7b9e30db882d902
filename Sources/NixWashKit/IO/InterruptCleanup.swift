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
/// The handler may only make async-signal-safe calls, so the paths are kept as C strings in a
/// fixed table that it reads without the Swift runtime.
public enum InterruptCleanup {
    private static let capacity = 64
    private static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP (the CLI does, once, at start).
    public static func installHandlers() {
        _ = table
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                // Files first, then the folders they were in (emptied by then).
                for i in 0..<InterruptCleanup.capacity { if let path = InterruptCleanup.table[i] { unlink(path) } }
                for i in 0..<InterruptCleanup.capacity { if let path = InterruptCleanup.table[i] { rmdir(path) } }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
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
