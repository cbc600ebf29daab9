// The .typedb codec: a streaming reader and an atomic, buffered writer of the varint-length-delimited
// protobuf `data.Item` stream (reference/export-format.md), independent of the database engine.

export type {
  AttributeItem,
  Checksums,
  ChecksumsItem,
  DataItem,
  EntityItem,
  HeaderItem,
  Item,
  ItemKind,
  ItemRecord,
  RelationItem,
  RolePlayers,
  ThingId,
} from './model.js';
export { readItems, summarizeItems } from './reader.js';
export type { ItemSource, ItemSummary, ReadOptions } from './reader.js';
export { ItemWriter } from './writer.js';
export type { FinishedFile, SealedFile, WriterOptions } from './writer.js';
export { DATA_FILE, SCHEMA_FILE, type FileRole } from './file-role.js';
export { checkWriteTarget } from './target-file.js';
export { checkReadSource } from './source-file.js';
export { ItemEncoder } from './encode.js';
export {
  ChecksumCounter,
  addChecksums,
  ZERO_CHECKSUMS,
  IMPORT_CHECKSUM_LEAD,
  checksumMismatchError,
  compareChecksums,
  describeChecksumMismatches,
  formatCounts,
} from './checksums.js';
export type { ChecksumCounterName, CountMismatch } from './checksums.js';
export { CodecError, CodecErrorCode } from './errors.js';
export { DATA_PROTO } from './schema.js';
