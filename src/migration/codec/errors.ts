// Every error the .typedb codec raises, in one place. Codes reuse TypeDB 2.x's migrator codes where TypeDB has
// the same failure (MIG02–MIG04, MIG09–MIG11, with TypeDB's wording first), and otherwise use the block
// MIG20–MIG39, which belongs to the codec. Messages name the file, the byte offset and what to do next.

import { StrataError } from '../../common/errors.js';

/** The codec's error numbers (prefix `MIG`). */
export const CodecErrorCode = {
  /** TypeDB MIG02: the file to read does not exist. */
  FILE_NOT_FOUND: 2,
  /** TypeDB MIG03: the file could not be read (permissions, I/O error, a directory…). */
  READ_FAILED: 3,
  /** TypeDB MIG04: the file could not be written, synced or renamed into place. */
  WRITE_FAILED: 4,
  /** TypeDB MIG09: an attribute item carries no value. */
  ATTRIBUTE_WITHOUT_VALUE: 9,
  /** TypeDB MIG10: the first item is not a header, or there is none. */
  HEADER_MISSING: 10,
  /** TypeDB MIG11: counts differ from the checksums item. */
  CHECKSUM_MISMATCH: 11,
  /** The input holds no bytes at all. */
  EMPTY_FILE: 20,
  /** The input ends inside a record's varint length prefix. */
  TRUNCATED_LENGTH_PREFIX: 21,
  /** A length prefix is not a valid varint32 record length (over 5 bytes or above 2^31 − 1). */
  INVALID_LENGTH_PREFIX: 22,
  /** The input ends before the number of bytes a length prefix announced. */
  TRUNCATED_RECORD: 23,
  /** A complete record is not a decodable `data.Item` protobuf message. */
  UNDECODABLE_ITEM: 24,
  /** A record decodes but holds none of the five item kinds. */
  UNKNOWN_ITEM_KIND: 25,
  /** An attribute value of a kind Strata does not store (3.x decimal, date, datetime-tz, duration, struct). */
  UNSUPPORTED_VALUE_TYPE: 26,
  /** A value that Strata's value model cannot hold exactly (datetime out of range or finer than 1 ms). */
  UNREPRESENTABLE_VALUE: 27,
  /** More than one header item. */
  DUPLICATE_HEADER: 28,
  /** The input ends without any checksums item. */
  CHECKSUMS_MISSING: 29,
  /** Two checksums items with different counts. */
  CONFLICTING_CHECKSUMS: 30,
  /** A checksums counter that is negative or beyond 2^53 − 1. */
  INVALID_CHECKSUM_COUNT: 31,
  /** The writer's target path exists and is not a regular file. */
  TARGET_NOT_REGULAR_FILE: 32,
  /** The writer was used after finish() or abort(), or after it failed. */
  WRITER_CLOSED: 33,
  /** An item given to the writer cannot be encoded as the format requires. */
  INVALID_ITEM_TO_WRITE: 34,
} as const;

export type CodecErrorCode = (typeof CodecErrorCode)[keyof typeof CodecErrorCode];

/** An error raised by the codec; `byteOffset` is set when the failure has a position in the input. */
export class CodecError extends StrataError {
  readonly byteOffset: number | undefined;

  constructor(code: CodecErrorCode, message: string, byteOffset?: number, options?: { cause?: unknown }) {
    super('MIG', code, message);
    this.name = 'CodecError';
    this.byteOffset = byteOffset;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** How an input is named in messages: `the file '/x/data.typedb'` or `the input`. */
export function describeSource(path: string | undefined): string {
  return path === undefined ? 'the input' : `the file '${path}'`;
}

/** The same, capitalised to start a sentence. */
export function describeSourceCapitalised(path: string | undefined): string {
  return path === undefined ? 'The input' : `The file '${path}'`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The message of an error of unknown type (fs errors carry their code and path in it). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * What to do about a file the server could not read or write for lack of permission (the server, not the CLI,
 * opens the files: paths are resolved on its machine and opened as the user it runs as); '' for other errors.
 */
export function permissionAdvice(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return ' The server opens the file itself: check that the user it runs as may access it and its directory.';
  if (code === 'EROFS') return ' The file system is read-only: choose a path on a writable disk.';
  return '';
}

/**
 * Characters that make an ID unreadable as text: U+FFFD (bytes that were not UTF-8: TypeDB 2.0 made IDs from raw
 * IID bytes) and control characters other than tab and line breaks. (JSON shows unpaired surrogates as escapes.)
 */
const UNREADABLE = /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Bytes of an unreadable ID shown in hex before it is shortened. */
const HEX_BYTES = 32;

/**
 * A thing ID for a message: JSON-quoted, and shortened if long (2.x attribute IDs embed the value); an ID that is
 * not readable text as the hex of its UTF-8 bytes, with a note saying so.
 */
export function quoteId(id: string): string {
  if (!UNREADABLE.test(id)) return JSON.stringify(id.length > 48 ? `${id.slice(0, 40)}…(${id.length} chars)` : id);
  const bytes = Buffer.from(id, 'utf8');
  const hex = bytes.subarray(0, HEX_BYTES).toString('hex') + (bytes.length > HEX_BYTES ? `…(${bytes.length} bytes)` : '');
  return `0x${hex} (the hex of its UTF-8 bytes: it is not readable text)`;
}

/** Control characters, which would break a message's lines or hide in it. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A type label read from a file, for a message: a damaged file can hold one of any length, which would bury the
 * message (and once made it too large to send), so a long one is shortened; control characters are escaped.
 */
export function shownLabel(label: string): string {
  const short = label.length > 100 ? `${label.slice(0, 80)}…(${label.length} characters)` : label;
  return short.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A system error's text without the call and path Node appends (`EACCES: permission denied`), for messages that
 * name the path themselves: the appended one is often a temporary name the user never chose.
 */
export function systemErrorText(e: unknown): string {
  const text = errorText(e);
  const match = /^(E[A-Z]+: [^,]+), \w+ '.*'$/s.exec(text);
  return match === null ? text : match[1]!;
}
