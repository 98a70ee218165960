/**
 * Bounds on what a file's header may declare. An uploaded or downloaded file is hostile input: a
 * header value drives allocation (a resampler's filter table grows with the source rate, a sample
 * frame with the channel count, a packet buffer with its declared length), so every such value is
 * checked against one of these limits *before* anything is allocated, and an absurd value is a
 * CORRUPT AudioDecodeError (or UNSUPPORTED_CODEC for a valid but unsupported layout) instead of
 * hundreds of megabytes. (An 844-byte WAV declaring 4 GHz used to take `giggles analyze` to
 * 740 MB RSS building its resampling filter.) Each limit is far above anything a real recorder writes.
 */

/** Highest source sample rate accepted (Hz): 384 kHz is the highest rate audio interfaces record at. */
export const MAX_SOURCE_SAMPLE_RATE = 384_000;

/**
 * Lowest source sample rate accepted (Hz). Telephony's 8 kHz is the lowest real rate; below this an
 * upsampling resampler would turn each input byte into thousands of output samples.
 */
export const MIN_SOURCE_SAMPLE_RATE = 4_000;

/**
 * Most channels accepted (WAV and Opus). 3rd-order ambisonics uses 16; Opus channel mapping
 * family 1 stops at 8. Every channel is decoded before the downmix, so memory grows with this.
 */
export const MAX_SOURCE_CHANNELS = 32;

/** Widest sample accepted (bits): 64-bit float is the widest WAV sample there is. */
export const MAX_BITS_PER_SAMPLE = 64;

/**
 * Largest Opus audio packet accepted (bytes). RFC 6716 §3.2.5 caps a packet at 48 frames of at
 * most 1275 bytes plus its table of contents: 61,440 leaves room for both.
 */
export const MAX_OPUS_AUDIO_PACKET_BYTES = 61_440;

/**
 * Largest Ogg Opus header packet (OpusTags) accepted (bytes). Tags may embed cover art, so this is
 * generous, but the decoder buffers a packet whole, so it cannot be unbounded (Ogg lets a packet
 * continue over any number of pages).
 */
export const MAX_OGG_HEADER_PACKET_BYTES = 4 * 1024 * 1024;

/**
 * Most Opus packets handed to libopus per decode call. A packet holds at most 120 ms, so one call
 * decodes at most 60 s (3.8 MB of 16 kHz float per channel) however small the packets are: 64 KiB
 * of 2-byte packets would otherwise decode to over an hour of audio in one buffer.
 */
export const MAX_OPUS_PACKETS_PER_DECODE = 500;
