/// Growing the manually managed buffers of the hot paths (CSV fields, record batches, the CSV
/// writer): a new allocation of at least twice the capacity and at least `needed`, the first
/// `count` elements moved over. Rare (a buffer grows to its working size and stays), so
/// never inlined into the loops that call it.
enum BufferGrowth {
    @inline(never)
    static func grow(_ buffer: inout UnsafeMutableRawPointer, capacity: inout Int, keeping count: Int, toHold needed: Int) {
        let grownCapacity = max(capacity * 2, needed)
        let grown = UnsafeMutableRawPointer.allocate(byteCount: grownCapacity, alignment: 16)
        grown.copyMemory(from: buffer, byteCount: count)
        buffer.deallocate()
        buffer = grown
        capacity = grownCapacity
    }

    @inline(never)
    static func grow<Element>(_ buffer: inout UnsafeMutablePointer<Element>, capacity: inout Int, keeping count: Int,
                              toHold needed: Int) {
        let grownCapacity = max(capacity * 2, needed)
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: grownCapacity)
        grown.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = grown
        capacity = grownCapacity
    }
}
