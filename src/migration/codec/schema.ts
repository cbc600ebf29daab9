// The message shapes of the .typedb format (reference/export-format.md §3 and §8), loaded into protobufjs.
// Field names follow 2.3–2.29 (`data.proto`); the names other generations use for the same numbers are noted
// beside each field. Numbers and wire types are identical across 2.0–3.x, so one schema reads every file.
// The writer only ever emits the §3.1 fields, so a reader loaded with just §3.1 decodes our files.

import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';

export const DATA_PROTO = `
syntax = "proto3";
package data;

message Item {
  oneof item {
    Attribute attribute = 1;
    Entity    entity    = 2;
    Relation  relation  = 3;
    Header    header    = 15;
    Checksums checksums = 16;
  }

  message Entity {
    string id = 1;
    string label = 2;
    repeated OwnedAttribute attribute = 3;   // 3.x: attributes
  }

  message Attribute {
    string id = 1;
    string label = 2;
    repeated OwnedAttribute attribute = 3;   // 3.x: attributes (always empty)
    ValueObject value = 4;
  }

  message Relation {
    string id = 1;
    string label = 2;
    repeated OwnedAttribute attribute = 3;   // 3.x: attributes
    repeated Role role = 4;                  // 3.x: roles

    message Role {
      string label = 1;
      repeated Player player = 2;            // 3.x: players

      message Player {
        string id = 1;
      }
    }
  }

  message OwnedAttribute {
    string id = 1;
  }

  message Header {
    string typedb_version = 1;               // 2.0.x: grakn_version
    string original_database = 2;
  }

  message Checksums {
    int64 entity_count = 1;
    int64 attribute_count = 2;
    int64 relation_count = 3;
    int64 role_count = 4;
    int64 ownership_count = 5;
    reserved 6;                              // 2.0–2.2: key_ownership_count, never set; ignored when present
  }
}

// 3.x: typedb.protocol.MigrationValue.
message ValueObject {
  oneof value {
    string string = 1;
    bool   boolean = 2;
    int64  long = 3;                         // 3.x: integer
    double double = 4;
    int64  datetime = 5;                     // 3.x: datetime_millis; ms since the Unix epoch, UTC
    // 3.x-only cases (7 is unused upstream). Declared so the reader can name them when it rejects them,
    // except datetime_v3, which it converts to milliseconds when that is exact.
    Decimal     decimal = 6;
    Date        date = 8;
    Datetime    datetime_v3 = 9;             // 3.x: datetime
    DatetimeTZ  datetime_tz = 10;
    Duration    duration = 11;
    Struct      struct = 12;
  }

  // typedb.protocol.Value.* (3.x proto/concept.proto)
  message Decimal    { sint64 integer = 1; uint64 fractional = 2; }
  message Date       { sint32 num_days_since_ce = 1; }
  message Datetime   { sint64 seconds = 1; uint32 nanos = 2; }
  message DatetimeTZ { Datetime datetime = 1; oneof timezone { string named = 2; sint32 offset = 3; } }
  message Duration   { uint32 months = 1; uint32 days = 2; uint64 nanos = 3; }
  message Struct     { string struct_type_name = 1; }
}
`;

let item: protobuf.Type | undefined;

/**
 * `data.Item`, with protobufjs' camelCase field names (`typedbVersion`, `entityCount`, …). protobufjs is loaded on
 * first use: it costs a worker thread about 50 ms to load, and an import's threads seldom need it (plain items
 * are parsed where they lie, item-view.ts).
 */
export function itemType(): protobuf.Type {
  item ??= loadProtobuf().parse(DATA_PROTO).root.lookupType('data.Item');
  return item;
}

/** protobufjs (a CommonJS package), loaded synchronously on first use. */
export function loadProtobuf(): typeof protobuf {
  return createRequire(import.meta.url)('protobufjs') as typeof protobuf;
}
