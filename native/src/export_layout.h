// The words of the state array the export encoder (export_encoder.c) shares with its JavaScript driver
// (src/migration/export/encoder-state.ts, which names the same numbers): where each keyspace's walk stands
// between calls, where the output stands, and what a call counted.
#ifndef STRATA_EXPORT_LAYOUT_H
#define STRATA_EXPORT_LAYOUT_H

// Output: the end of the finished records (the sink's position), and how far a room request moved them back.
#define STATE_POSITION 0
#define STATE_MOVED 1
// The kind of the things being encoded (KIND_*), and whether the edges' first entries have been read.
#define STATE_KIND 2
#define STATE_PRIMED 3
// What the last call encoded.
#define STATE_ENTITIES 4
#define STATE_RELATIONS 5
#define STATE_ATTRIBUTES 6
#define STATE_OWNERSHIPS 7
#define STATE_ROLES 8
#define STATE_DANGLING 9
// After a failed call: the value type code or node, the keyspace (STREAM_*), and the thing's IID length.
#define STATE_RESULT_DETAIL 10
#define STATE_FAILED_STREAM 11
#define STATE_IID_LENGTH 12

// Then STREAM_WORDS words for each keyspace: the current leaf's offset in its page buffer, the current node, the
// node where the range stops in this leaf (its node count when the range goes on), whether the range ended, the
// whole leaves of the range that follow the current one in the buffer (a page apart), and how many of those the
// encoder has stepped to since its last request for a leaf.
#define STREAM_WORDS_AT 16
#define STREAM_WORDS 6
#define STREAM_LEAF_AT 0
#define STREAM_NODE 1
#define STREAM_STOP 2
#define STREAM_ENDED 3
#define STREAM_AHEAD 4
#define STREAM_STEPPED 5
#define STATE_WORDS (STREAM_WORDS_AT + 3 * STREAM_WORDS)

#define STREAM_THINGS 0
#define STREAM_HAS 1
#define STREAM_ROLES 2

// What the encoder asks of its request callback: (REQUEST_*, a, b).
#define REQUEST_NEXT_LEAF 1  // a: keyspace, b: leaves stepped; the next leaf's page buffer (words set), or undefined
#define REQUEST_ROOM 2       // a: unfinished bytes, b: bytes wanted; the output buffer (STATE_MOVED, STATE_POSITION set)
#define REQUEST_OVERFLOW 3   // a: keyspace, b: node offset; a buffer that starts with the node's value
#define REQUEST_LABEL 4      // a: type id; the label table, now with that type

// Thing kinds, as the second byte of THING keys (src/encoding/iid.ts).
#define KIND_ENTITY 1
#define KIND_RELATION 2
#define KIND_ATTRIBUTE 3

#endif
