#ifndef NIXWASH_CISAL_SHIM_H
#define NIXWASH_CISAL_SHIM_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/igzip_lib.h>

/* Intel ISA-L's streaming gzip inflate and its fast deflate levels (0-3), behind a few
   plain functions so Swift never copies ISA-L's large state structs. */

/* A gzip inflate state on the heap (it is about 100 KB, too big for Swift's stack). */
static inline struct inflate_state *nixwash_isal_inflate_new(void) {
    struct inflate_state *state = (struct inflate_state *)malloc(sizeof(struct inflate_state));
    if (state == NULL) return NULL;
    isal_inflate_init(state);
    state->crc_flag = ISAL_GZIP;
    return state;
}

/* Starts the next gzip member of a multi-member file. */
static inline void nixwash_isal_inflate_reset(struct inflate_state *state) {
    isal_inflate_reset(state);
    state->crc_flag = ISAL_GZIP;
}

static inline void nixwash_isal_inflate_free(struct inflate_state *state) { free(state); }

/* Inflates from in[0..<in_count] into out[0..<out_count]; sets how much input is left (which
   can exceed in_count: ISA-L hands back bytes of earlier input it had read ahead, moving
   next_in before `in`), how much was produced and whether the member (trailer included)
   ended. Returns ISA-L's status. */
static inline int nixwash_isal_inflate(struct inflate_state *state, const uint8_t *in, uint32_t in_count,
                                       uint8_t *out, uint32_t out_count,
                                       uint32_t *remaining, uint32_t *produced, int *member_ended) {
    state->next_in = (uint8_t *)in;
    state->avail_in = in_count;
    state->next_out = out;
    state->avail_out = out_count;
    int status = isal_inflate(state);
    *remaining = state->avail_in;
    *produced = out_count - state->avail_out;
    *member_ended = state->block_state == ISAL_BLOCK_FINISH;
    return status;
}

/* The scratch buffer ISA-L needs for a deflate level (0 for level 0). */
static inline uint32_t nixwash_isal_level_buffer_size(uint32_t level) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}

/* Compresses in[0..<in_count] into one complete gzip member in out[0..<out_capacity].
   Returns the member's size, or 0 when out was too small or ISA-L failed. */
static inline size_t nixwash_isal_gzip_member(uint32_t level, uint8_t *level_buffer, uint32_t level_buffer_size,
                                              const uint8_t *in, uint32_t in_count,
                                              uint8_t *out, uint32_t out_capacity) {
    struct isal_zstream stream;
    isal_deflate_init(&stream);
    stream.level = level;
    stream.level_buf = level_buffer;
    stream.level_buf_size = level_buffer_size;
    stream.gzip_flag = IGZIP_GZIP;
    stream.end_of_stream = 1;
    stream.flush = NO_FLUSH;
    stream.next_in = (uint8_t *)in;
    stream.avail_in = in_count;
    stream.next_out = out;
    stream.avail_out = out_capacity;
    while (stream.internal_state.state != ZSTATE_END) {
        if (isal_deflate(&stream) != COMP_OK || stream.avail_out == 0) return 0;
    }
    return out_capacity - stream.avail_out;
}
#endif
