// Every error the exporter, importer and backup raise, in one place. Codes reuse TypeDB 2.x's migrator codes
// where TypeDB has the same failure (MIG01, MIG05–MIG08; the codec owns MIG02–04, MIG09–11 and MIG20–39) and
// otherwise use the block MIG40–MIG59. Messages say what is wrong, where (file, byte offset, item ID and
// label), and what to do next.

import { StrataError } from '../common/errors.js';
import { formatValue, type Value } from '../common/values.js';
import { quoteId, shownLabel } from './codec/errors.js';

export const MigrationErrorCode = {
  /** TypeDB MIG01. */
  DATABASE_NOT_FOUND: 1,
  /** TypeDB MIG05. */
  UNKNOWN_TYPE: 5,
  /** TypeDB MIG06. */
  UNKNOWN_ROLE: 6,
  /** TypeDB MIG08 (defined but never raised by TypeDB 2.29). */
  RELATION_WITHOUT_PLAYERS: 8,
  /** TypeDB MIG11 (the codec's number too). */
  CHECKSUM_MISMATCH: 11,
  DUPLICATE_ID: 40,
  UNDEFINED_REFERENCE: 41,
  WRONG_ITEM_KIND: 42,
  ABSTRACT_TYPE: 43,
  INVALID_VALUE: 44,
  OWNERSHIP_NOT_ALLOWED: 45,
  ROLE_NOT_PLAYABLE: 46,
  OWNED_NOT_ATTRIBUTE: 47,
  KEY_VIOLATION: 48,
  TARGET_NOT_EMPTY: 49,
  INVALID_SCHEMA: 50,
  IMPORT_IN_PROGRESS: 51,
  HASH_COLLISION: 52,
  SAME_FILE: 53,
  INVALID_OPTIONS: 54,
  BACKUP_FAILED: 55,
  // 56 was the schema file's write failure: MIG04 now, as for the data file.
  IMPORT_WRITE_FAILED: 57,
  STOPPED: 58,
  /** The target's directory is there but the server refused to open it (encoding, damage, a TypeDB directory). */
  TARGET_REFUSED: 59,
} as const;

export type MigrationErrorCode = (typeof MigrationErrorCode)[keyof typeof MigrationErrorCode];

export class MigrationError extends StrataError {
  constructor(code: MigrationErrorCode, message: string, options?: { cause?: unknown }) {
    super('MIG', code, message);
    this.name = 'MigrationError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Where an item is, for messages: `the entity item "gm4A…" (person) at byte offset 19`. */
export interface ItemPlace {
  readonly kind: 'entity' | 'relation' | 'attribute';
  readonly id?: string;
  readonly label?: string;
  readonly offset: number;
}

/** A value read from a file, for a message: a long string is shortened as a long label is (a value can be megabytes). */
export function shownValue(value: Value): string {
  if (value.type !== 'string' || value.value.length <= 100) return formatValue(value);
  return `${JSON.stringify(value.value.slice(0, 80))}…(${value.value.length} characters)`;
}

export function describeItem(place: ItemPlace): string {
  const id = place.id === undefined ? '' : ` ${quoteId(place.id)}`;
  const label = place.label === undefined ? '' : ` (${shownLabel(place.label)})`;
  return `the ${place.kind} item${id}${label} at byte offset ${place.offset}`;
}

const NOTHING_IMPORTED = 'Nothing was imported.';

/** Where an import's schema came from: the target database's own (seed flow), a schema file, or text. */
export type SchemaOrigin =
  | { readonly kind: 'database'; readonly database: string }
  | { readonly kind: 'file'; readonly database: string; readonly file: string }
  | { readonly kind: 'text'; readonly database: string };

/** Why a type is missing and what to do, for each flow. */
function missingFrom(origin: SchemaOrigin): string {
  switch (origin.kind) {
    case 'database':
      return (
        `but the schema of the database '${origin.database}' has no such type. Define in '${origin.database}' the ` +
        `schema the data was exported with, then import the data again; or import into a new database with --schema and --data.`
      );
    case 'file':
      return (
        `but the schema file '${origin.file}' (--schema) given for the new database '${origin.database}' does not ` +
        `define it. Give the schema file that was exported with the data.`
      );
    case 'text':
      return `but the schema given for the new database '${origin.database}' does not define it. Give the schema that was exported with the data.`;
  }
}

export const ImportErrors = {
  databaseNotFound: (name: string) =>
    new MigrationError(
      MigrationErrorCode.DATABASE_NOT_FOUND,
      `The database '${name}' was not found. To import into a new database, give its schema file too ` +
        `(typedb server import --database=${name} --schema=… --data=…); to import into an existing one, create it ` +
        `and define its schema first.`,
    ),
  unknownType: (place: ItemPlace, file: string, origin: SchemaOrigin) =>
    new MigrationError(
      MigrationErrorCode.UNKNOWN_TYPE,
      `The type '${shownLabel(place.label ?? '')}' is not defined in the schema: ${describeItem(place)} of '${file}' is of that type, ` +
        `${missingFrom(origin)} ${NOTHING_IMPORTED}`,
    ),
  wrongItemKind: (place: ItemPlace, file: string, actualRoot: string) =>
    new MigrationError(
      MigrationErrorCode.WRONG_ITEM_KIND,
      `${cap(describeItem(place))} of '${file}' has type '${place.label}', which is ${article(actualRoot)} ${actualRoot} ` +
        `type in the schema, not ${article(place.kind)} ${place.kind} type. The schema does not match the data. ${NOTHING_IMPORTED}`,
    ),
  abstractType: (place: ItemPlace, file: string) =>
    new MigrationError(
      MigrationErrorCode.ABSTRACT_TYPE,
      `${cap(describeItem(place))} of '${file}' is an instance of '${place.label}', which is abstract in the schema ` +
        `and cannot have instances. The schema does not match the data. ${NOTHING_IMPORTED}`,
    ),
  invalidValue: (place: ItemPlace, file: string, detail: string) =>
    new MigrationError(
      MigrationErrorCode.INVALID_VALUE,
      `${cap(describeItem(place))} of '${file}' has an invalid value: ${detail}. ${NOTHING_IMPORTED}`,
    ),
  unknownRole: (place: ItemPlace, file: string, role: string) =>
    new MigrationError(
      MigrationErrorCode.UNKNOWN_ROLE,
      `The role type '${shownLabel(role)}' is not defined for relation type '${shownLabel(place.label ?? '')}': ${describeItem(place)} of ` +
        `'${file}' has players in that role. Please confirm the schema was migrated correctly. ${NOTHING_IMPORTED}`,
    ),
  relationWithoutPlayers: (place: ItemPlace, file: string) =>
    new MigrationError(
      MigrationErrorCode.RELATION_WITHOUT_PLAYERS,
      `The relation of type '${place.label}' with original ID ${quoteId(place.id ?? '')} has no role players ` +
        `(${describeItem(place)} of '${file}'). A relation needs at least one player. ${NOTHING_IMPORTED}`,
    ),
  duplicateId: (file: string, id: string, first: ItemPlace, second: ItemPlace, duplicatedIds: number, items: number) =>
    new MigrationError(
      MigrationErrorCode.DUPLICATE_ID,
      `The file '${file}' defines the ID ${quoteId(id)} more than once: ${describeItem({ ...first, id: undefined })} and ` +
        `${describeItem({ ...second, id: undefined })}` +
        (duplicatedIds > 1 ? ` (in all, ${duplicatedIds} IDs are each defined by several items, ${items} items in total)` : '') +
        `. IDs must be unique within an export; ownerships and role players that refer to a duplicated ID cannot be ` +
        `resolved. TypeDB 2.0–2.2 wrote such files (colliding IDs, fixed in TypeDB 2.3.0): export the database again ` +
        `with TypeDB 2.3 or later. ${NOTHING_IMPORTED}`,
    ),
  undefinedReference: (file: string, id: string, referrer: ItemPlace, what: string, missing: number) =>
    new MigrationError(
      MigrationErrorCode.UNDEFINED_REFERENCE,
      `${cap(describeItem(referrer))} of '${file}' refers to ${what} ${quoteId(id)}, but no item in the file has that ID` +
        (missing > 1 ? ` (${missing} references in all point to IDs that are not in the file)` : '') +
        `. The file is incomplete or was not written by a TypeDB-compatible exporter. ${NOTHING_IMPORTED}`,
    ),
  ownedNotAttribute: (file: string, owner: ItemPlace, id: string, target: ItemPlace) =>
    new MigrationError(
      MigrationErrorCode.OWNED_NOT_ATTRIBUTE,
      `${cap(describeItem(owner))} of '${file}' lists ${quoteId(id)} among its owned attributes, but that ID is ` +
        `${describeItem(target)}, not an attribute. ${NOTHING_IMPORTED}`,
    ),
  ownershipNotAllowed: (file: string, owner: ItemPlace, attributeType: string, attributeId: string) =>
    new MigrationError(
      MigrationErrorCode.OWNERSHIP_NOT_ALLOWED,
      `Attribute of type '${attributeType}' is not defined to be owned by type '${owner.label}': ${describeItem(owner)} ` +
        `of '${file}' owns the attribute ${quoteId(attributeId)}. The schema does not match the data. ${NOTHING_IMPORTED}`,
    ),
  roleNotPlayable: (file: string, relation: ItemPlace, role: string, playerType: string, playerId: string) =>
    new MigrationError(
      MigrationErrorCode.ROLE_NOT_PLAYABLE,
      `The thing type '${playerType}' does not play the role type '${role}': ${describeItem(relation)} of '${file}' ` +
        `has the ${playerType} ${quoteId(playerId)} as '${role}'. The schema does not match the data. ${NOTHING_IMPORTED}`,
    ),
  keyViolation: (detail: string) =>
    new MigrationError(MigrationErrorCode.KEY_VIOLATION, `${detail} ${NOTHING_IMPORTED}`),
  hashCollision: (file: string, detail: string) =>
    new MigrationError(
      MigrationErrorCode.HASH_COLLISION,
      `Cannot import '${file}': ${detail}. This is astronomically unlikely; please report it with the file. ${NOTHING_IMPORTED}`,
    ),
  targetNotEmpty: (name: string, detail: string) =>
    new MigrationError(MigrationErrorCode.TARGET_NOT_EMPTY, `The existing database with the name '${name}' is not empty: ${detail}`),
  /** `advice`: what to do, when the text tells more than the general rule (a data file given as the schema). */
  invalidSchema: (source: string, detail: string, cause?: unknown, advice?: string) =>
    new MigrationError(
      MigrationErrorCode.INVALID_SCHEMA,
      // A syntax error spans lines (the line it is on, a caret, what is wrong): the advice goes on a line of its own.
      `The schema ${source} cannot be loaded: ${detail}${detail.includes('\n') ? '\n' : ' '}` +
        `${advice ?? "It must be one TypeQL define query (as 'database schema' prints it), or empty."} ${NOTHING_IMPORTED}`,
      { cause },
    ),
  targetRefused: (name: string, refusal: Error) =>
    new MigrationError(
      MigrationErrorCode.TARGET_REFUSED,
      `Cannot import into the database '${name}': its directory is there, but this server does not serve it: ${refusal.message} ` +
        `To import under this name, move that directory out of the data directory first (keep it until you no longer need it), ` +
        `or import under another name. ${NOTHING_IMPORTED}`,
    ),
  importInProgress: (name: string) =>
    new MigrationError(
      MigrationErrorCode.IMPORT_IN_PROGRESS,
      `An import into the database '${name}' is already running. Wait for it to finish, or import under another name.`,
    ),
  invalidOptions: (detail: string) => new MigrationError(MigrationErrorCode.INVALID_OPTIONS, detail),
  /** A system error (disk full, I/O error, permissions) while the import wrote its staging files. */
  writeFailed: (name: string, dataDir: string, systemCode: string, detail: string, cause?: unknown) =>
    new MigrationError(
      MigrationErrorCode.IMPORT_WRITE_FAILED,
      `The import into the database '${name}' failed while writing its working files in the data directory ` +
        `'${dataDir}': ${detail}. ${NOTHING_IMPORTED} The database is as it was, and the import's files were removed. ` +
        (systemCode === 'ENOSPC'
          ? 'Free disk space there (an import needs room for its new database, and while it runs up to about a fifth more), then run the import again.'
          : systemCode === 'EACCES' || systemCode === 'EPERM'
            ? 'The server writes there itself: check that the user it runs as may write to the data directory, then run the import again.'
            : systemCode === 'EROFS'
              ? 'The data directory is on a read-only file system: start the server with a writable data directory.'
              : 'Fix the cause, then run the import again.'),
      { cause },
    ),
};

export const ExportErrors = {
  sameFile: (path: string) =>
    new MigrationError(
      MigrationErrorCode.SAME_FILE,
      `Cannot export both schema and data to the same file '${path}'. Give two different paths.`,
    ),
  /** TypeDB's pre-check (MIG01), for export and backup alike. */
  databaseNotFound: (name: string, job: 'export' | 'backup') =>
    new MigrationError(
      MigrationErrorCode.DATABASE_NOT_FOUND,
      `The database '${name}' was not found. Check the name ('database list' shows this server's databases). ` +
        `Nothing was ${job === 'export' ? 'exported' : 'backed up'}.`,
    ),
};

/** A job stopped through its AbortSignal (the server shutting down); `outcome` says what it left. */
export function jobStopped(job: string, outcome: string): MigrationError {
  return new MigrationError(MigrationErrorCode.STOPPED, `The ${job} was stopped before it finished: the server is shutting down. ${outcome}`);
}

export const BackupErrors = {
  failed: (name: string, target: string, detail: string, cause?: unknown) =>
    new MigrationError(
      MigrationErrorCode.BACKUP_FAILED,
      `The backup of database '${name}' into '${target}' failed: ${detail}. The target was left as it was.`,
      { cause },
    ),
};

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
