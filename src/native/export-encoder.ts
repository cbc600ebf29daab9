// The interface of the export's record encoder (native/src/export_encoder.c): the words of the state array it
// shares with its driver (src/migration/export/thing-encoder.ts), its requests and its results. The numbers are
// those of native/src/export_layout.h.

/** Output: the end of the finished records (the sink's position), and how far a room request moved them back. */
export const STATE_POSITION = 0;
export const STATE_MOVED = 1;
/** The kind of the things being encoded (a ThingKind, 0 for none), and whether the edges' first entries are read. */
export const STATE_KIND = 2;
export const STATE_PRIMED = 3;
/** What the last call encoded. */
export const STATE_ENTITIES = 4;
export const STATE_RELATIONS = 5;
export const STATE_ATTRIBUTES = 6;
export const STATE_OWNERSHIPS = 7;
export const STATE_ROLES = 8;
export const STATE_DANGLING = 9;
/** After a failed call: the value type code or node, the keyspace (STREAM_*), and the thing's IID length. */
export const STATE_RESULT_DETAIL = 10;
export const STATE_FAILED_STREAM = 11;
export const STATE_IID_LENGTH = 12;

/**
 * Then STREAM_WORDS words for each keyspace: the current leaf's offset in its page buffer, the current node, the
 * node where the range stops in this leaf, whether the range has ended, the whole leaves of the range that follow
 * the current one in the buffer (a page apart, which the encoder steps to by itself), and how many of those it
 * has stepped to since it last asked for a leaf.
 */
export const STREAM_WORDS_AT = 16;
export const STREAM_WORDS = 6;
export const STREAM_LEAF_AT = 0;
export const STREAM_NODE = 1;
export const STREAM_STOP = 2;
export const STREAM_ENDED = 3;
export const STREAM_AHEAD = 4;
export const STREAM_STEPPED = 5;
export const STATE_WORDS = STREAM_WORDS_AT + 3 * STREAM_WORDS;

/** The keyspaces, in the order of the page arguments. */
export const STREAM_THINGS = 0;
export const STREAM_HAS = 1;
export const STREAM_ROLES = 2;

/**
 * The next leaf of keyspace `a`, after the `b` leaves ahead the encoder stepped to: its page buffer (the stream's
 * words set, node = its first), or undefined at the end.
 */
export const REQUEST_NEXT_LEAF = 1;
/** Room for `b` more bytes after the `a` unfinished ones: the output buffer (STATE_MOVED and STATE_POSITION set). */
export const REQUEST_ROOM = 2;
/** The value of keyspace `a`'s node at page offset `b`, which lives on overflow pages: a buffer it starts. */
export const REQUEST_OVERFLOW = 3;
/** The label table, now with the type of id `a`. */
export const REQUEST_LABEL = 4;

/** Results: 1 = `limit` things encoded, maybe more; 0 = the kind's range is done (orphan edges counted). */
export const FAILED_VALUE_TYPE = -1;
export const FAILED_PAGE = -2;

/** The IID buffer a failed call fills in: LMDB keys are at most 511 bytes. */
export const IID_BYTES = 2048;

/** Answers the encoder's requests (REQUEST_*). */
export type EncoderRequest = (request: number, a: number, b: number) => Buffer | undefined;

/**
 * Encodes up to `limit` things of the kind in state[STATE_KIND] into `out` from state[STATE_POSITION] on, walking
 * the current leaves of the THING, HAS and ROLE keyspaces (LMDB leaf pages, read where they lie); returns 1, 0 or
 * FAILED_*. The label table is `u32 count`, then per type id four u32 (thing field offset and length, role field
 * offset and length; offset 0xffffffff: not known), then the fields' bytes (tag, length, UTF-8).
 */
export type EncodeThings = (
  state: Int32Array,
  out: Buffer,
  labels: Buffer,
  thingsPage: Buffer,
  hasPage: Buffer,
  rolesPage: Buffer,
  request: EncoderRequest,
  limit: number,
  iid: Buffer,
) => number;
