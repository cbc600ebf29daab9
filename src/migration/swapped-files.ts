// The likeliest cause of a "damaged" data file or an unreadable schema file is the two given the other way round
// (`--schema=x.typedb --data=x.tql`). A look at the first bytes tells, and the message then says so.
import { closeSync, openSync, readSync } from 'node:fs';
import { CodecError, CodecErrorCode } from './codec/errors.js';

const HEAD_BYTES = 4096;
/** Optional comments, then the keyword that starts a TypeQL query. */
const TYPEQL_START = /^\s*(?:#[^\n]*\n\s*)*(define|undefine|match|insert)\b/;
/** Control characters no TypeQL text holds (tabs, line ends and form feeds aside). */
const BINARY = /[\u0000-\u0008\u000b\u000e-\u001f]/;

/** Codec errors a text file given as data runs into: its first bytes read as a length prefix and an item. */
const TEXT_AS_DATA = new Set<number>([
  CodecErrorCode.HEADER_MISSING,
  CodecErrorCode.TRUNCATED_LENGTH_PREFIX,
  CodecErrorCode.INVALID_LENGTH_PREFIX,
  CodecErrorCode.TRUNCATED_RECORD,
  CodecErrorCode.UNDECODABLE_ITEM,
  CodecErrorCode.UNKNOWN_ITEM_KIND,
  CodecErrorCode.CHECKSUMS_MISSING,
]);

/** `error`, its message extended when the data file it is about looks like TypeQL text. */
export function withSwappedDataHint(error: unknown, dataFile: string): unknown {
  if (!(error instanceof CodecError) || !TEXT_AS_DATA.has(Number(error.code.slice(3)))) return error;
  const keyword = TYPEQL_START.exec(headOf(dataFile))?.[1];
  if (keyword !== undefined) {
    error.message +=
      ` The file is TypeQL text (it starts with '${keyword}'), not a .typedb export: if it is the schema, ` +
      'give it as --schema and the .typedb file as --data.';
  }
  return error;
}

/** The advice for a schema text that does not parse, when it looks like binary data rather than TypeQL. */
export function binarySchemaHint(text: string): string | undefined {
  if (!BINARY.test(text.slice(0, HEAD_BYTES))) return undefined;
  return 'The file holds binary data, not TypeQL text: if it is the .typedb data file, give it as --data and the schema (.tql) file as --schema.';
}

function headOf(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    return head.toString('utf8', 0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } catch {
    return ''; // unreadable now: the error it already has says enough
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
