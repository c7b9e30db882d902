// The CPU's prefetch instruction, which Swift has no spelling for: a lookup that knows the
// addresses it will read asks for them early, so the cache misses of many lookups overlap.
// A prefetch never faults, whatever the address.
static inline void nixwash_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
