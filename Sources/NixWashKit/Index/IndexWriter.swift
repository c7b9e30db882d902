#if canImport(Glibc)
import Glibc
#endif

/// Writes block index files. The file is written next to its final place under a temporary
/// name, flushed to disk and renamed over the target, so a reader (or a scrub that has the old
/// index mapped) sees either the complete old file or the complete new one, never a mix.
public enum IndexWriter {
    /// What the caller knows about the index besides its keys.
    public struct Metadata: Sendable {
        public var kind: IndexKind
        public var label: String
        public var registerDate: Int32?
        public var buildTime: Int64
        public var sources: [IndexSource]
        /// The default country the lists were read with.
        public var numberCountry: PhoneCountry?

        public init(kind: IndexKind, label: String, registerDate: Int32?, buildTime: Int64, sources: [IndexSource],
                    numberCountry: PhoneCountry?) {
            self.numberCountry = numberCountry
            self.kind = kind
            self.label = label
            self.registerDate = registerDate
            self.buildTime = buildTime
            self.sources = sources
        }
    }

    /// Sorts `keys` ascending and removes repeated keys, in place.
    public static func sortAndRemoveDuplicates(_ keys: inout [UInt64]) {
        if keys.count < 1 << 16 { keys.sort() } else { radixSort(&keys) }
        guard keys.count > 1 else { return }
        let distinct = keys.withUnsafeMutableBufferPointer { buffer -> Int in
            var last = 0
            for i in 1..<buffer.count where buffer[i] != buffer[last] {
                last += 1
                buffer[last] = buffer[i]
            }
            return last + 1
        }
        keys.removeSubrange(distinct...)
    }

    /// Least-significant-digit radix sort in 11-bit digits: a register's 10 million keys sort
    /// in a few linear passes instead of a comparison sort's ~23 (phone keys fit in 50 bits,
    /// so the passes whose digit is the same for every key are skipped).
    static func radixSort(_ keys: inout [UInt64]) {
        let bits = 11, buckets = 1 << 11, passes = (64 + bits - 1) / bits
        var counts = [Int](repeating: 0, count: buckets * passes)
        keys.withUnsafeBufferPointer { source in
            counts.withUnsafeMutableBufferPointer { counts in
                for key in source {
                    for pass in 0..<passes {
                        counts[pass * buckets + Int((key >> UInt64(pass * bits)) & UInt64(buckets - 1))] += 1
                    }
                }
            }
        }
        var scratch = [UInt64](repeating: 0, count: keys.count)
        for pass in 0..<passes {
            let histogram = counts[(pass * buckets)..<((pass + 1) * buckets)]
            if histogram.contains(keys.count) { continue } // every key has the same digit
            var offsets = [Int](repeating: 0, count: buckets)
            var total = 0
            for (bucket, count) in histogram.enumerated() {
                offsets[bucket] = total
                total += count
            }
            let shift = UInt64(pass * bits)
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        for key in source {
                            let bucket = Int((key >> shift) & UInt64(buckets - 1))
                            target[offsets[bucket]] = key
                            offsets[bucket] += 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
    }

    /// `base` plus `added` minus `removed`; all three sorted and free of repeats, and so is
    /// the result. A number both added and removed ends up removed.
    public static func merge(base: UnsafeBufferPointer<UInt64>, added: [UInt64], removed: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(base.count + added.count)
        var i = 0, j = 0, r = 0
        while i < base.count || j < added.count {
            let next: UInt64
            if j == added.count || (i < base.count && base[i] < added[j]) {
                next = base[i]; i += 1
            } else if i == base.count || added[j] < base[i] {
                next = added[j]; j += 1
            } else {
                next = base[i]; i += 1; j += 1
            }
            while r < removed.count && removed[r] < next { r += 1 }
            if r < removed.count && removed[r] == next { continue }
            result.append(next)
        }
        return result
    }

    /// Writes an index of `keys` (sorted, no repeats) to `path`, replacing any file there
    /// atomically, and returns its header.
    @discardableResult
    public static func write(keys: [UInt64], metadata: Metadata, to path: String) throws -> IndexHeader {
        guard keys.count < Int(UInt32.max) else {
            throw NixWashError.indexTooLarge(path: path, reason: "\(keys.count) numbers is more than an index holds (\(UInt32.max - 1)). Split the list.")
        }
        guard metadata.label.utf8.count <= IndexFormat.maxLabelLength else {
            throw NixWashError.indexLabelTooLong(path: path, limit: IndexFormat.maxLabelLength)
        }
        guard metadata.sources.count <= IndexFormat.maxSourceCount else {
            throw NixWashError.indexTooLarge(path: path, reason: "more than \(IndexFormat.maxSourceCount) source files. Merge them first.")
        }
        precondition(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "index keys must be sorted and distinct")
        let tables = keys.withUnsafeBufferPointer { KeyLookup.buildTables(keys: $0) }
        var hasher = XXHash64()
        keys.withUnsafeBytes { hasher.update($0) }
        tables.levelOne.withUnsafeBytes { hasher.update($0) }
        tables.levelTwo.withUnsafeBytes { hasher.update($0) }
        let header = IndexHeader(
            formatVersion: IndexFormat.version, kind: metadata.kind, label: metadata.label,
            registerDate: metadata.registerDate, buildTime: metadata.buildTime, numberCountry: metadata.numberCountry,
            entryCount: keys.count,
            minKey: keys.first ?? 0, maxKey: keys.last ?? 0, bodyChecksum: hasher.digest, headerChecksum: 0,
            sources: metadata.sources, headerLength: 0,
            bodyLength: keys.count * 8 + tables.levelOne.count * 8 + tables.levelTwo.count * 4,
            levelOneShift: tables.levelOneShift, levelOneCount: tables.levelOne.count,
            levelTwoCount: tables.levelTwo.count)
        let headerBytes = header.encoded()

        let file = try AtomicFile(path: path)
        try headerBytes.withUnsafeBytes { try file.write($0) }
        try keys.withUnsafeBytes { try file.write($0) }
        try tables.levelOne.withUnsafeBytes { try file.write($0) }
        try tables.levelTwo.withUnsafeBytes { try file.write($0) }
        try file.commit()

        var written = header
        written.headerLength = headerBytes.count
        written.headerChecksum = headerBytes.withUnsafeBytes { $0.loadLE(UInt64.self, at: IndexFormat.headerChecksumOffset) }
        return written
    }
}

/// A file written under a temporary name in the target's folder and renamed into place on
/// `commit()`; dropped without commit, the temporary file is removed.
final class AtomicFile {
    let path: String
    let folder: String
    let temporaryPath: String
    private let file: SystemFile
    private var committed = false
    private var cleanupSlot: Int?

    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        folder = slash.map { String(path[...$0]) } ?? "./"
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = folder + "." + name + ".tmp-" + String(getpid())
        // Left behind by killed builds: a 10-million-number index is 100 MB a time.
        FileSystem.removeLeftoversOfDeadProcesses(in: folder.count > 1 ? String(folder.dropLast()) : folder,
                                                  prefix: "." + name + ".tmp-")
        unlink(temporaryPath) // left behind by a killed build with the same process id
        // Registered before it exists: a signal between the two would leave the file behind.
        let slot = InterruptCleanup.register(temporaryPath)
        do { file = try SystemFile.createExclusive(temporaryPath) } catch let NixWashError.cannotOpen(_, reason) {
            InterruptCleanup.release(slot)
            throw NixWashError.writeFailed(path: path, reason: "cannot create a file next to it: \(reason)")
        } catch {
            InterruptCleanup.release(slot)
            throw error
        }
        cleanupSlot = slot
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        do { try file.write(bytes) } catch let NixWashError.writeFailed(_, reason) {
            throw NixWashError.writeFailed(path: path, reason: reason)
        }
    }

    func commit() throws {
        try file.sync()
        try file.closeChecked()
        try InterruptCleanup.committing {
            try FileSystem.rename(temporaryPath, to: path)
            committed = true
        }
        FileSystem.syncDirectory(folder)
    }

    deinit {
        if !committed { unlink(temporaryPath) }
        InterruptCleanup.release(cleanupSlot)
    }
}
