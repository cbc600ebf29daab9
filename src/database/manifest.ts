// The small human-readable manifest in every database directory. Its encoding version is checked before the
// store is opened, so a directory copied from an incompatible server is refused with a clear message.
import { readFileSync, writeFileSync, renameSync, existsSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '../common/errors.js';
import { ENCODING_VERSION, SUPPORTED_ENCODING_VERSIONS } from '../encoding/index.js';
import { STRATA_VERSION } from '../common/version.js';

export const MANIFEST_FILE = 'strata-database.json';

export interface Manifest {
  readonly format: 'strata-database';
  readonly encodingVersion: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

export function manifestPath(dir: string): string {
  return join(dir, MANIFEST_FILE);
}

export function hasManifest(dir: string): boolean {
  return existsSync(manifestPath(dir));
}

export function writeManifest(dir: string): Manifest {
  const manifest: Manifest = {
    format: 'strata-database',
    encodingVersion: ENCODING_VERSION,
    createdBy: `strata ${STRATA_VERSION}`,
    createdAt: new Date().toISOString(),
  };
  const temp = manifestPath(dir) + '.tmp';
  writeFileSync(temp, JSON.stringify(manifest, null, 2) + '\n');
  const fd = openSync(temp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, manifestPath(dir));
  return manifest;
}

/** Reads the manifest and checks its encoding version; throws a DBS error naming the database and the fix. */
export function readAndCheckManifest(name: string, dir: string): Manifest {
  const unreadable = (why: string) =>
    new StrataError(
      'DBS',
      22,
      `Database '${name}' at '${dir}' has an unreadable manifest (${MANIFEST_FILE}): ${why}. ` +
        'Restore the directory from the server it came from, or re-import the database from an export.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath(dir), 'utf8'));
  } catch (e) {
    throw unreadable((e as Error).message);
  }
  const manifest = shapeOf(parsed);
  if (typeof manifest === 'string') throw unreadable(manifest);
  if (!SUPPORTED_ENCODING_VERSIONS.includes(manifest.encodingVersion)) {
    throw new StrataError(
      'DBS',
      2,
      `Database '${name}' at '${dir}' has encoding version ${manifest.encodingVersion} (written by ${manifest.createdBy ?? 'an unknown server'}), ` +
        `but this server (strata ${STRATA_VERSION}) supports encoding version${SUPPORTED_ENCODING_VERSIONS.length > 1 ? 's' : ''} ${SUPPORTED_ENCODING_VERSIONS.join(', ')}. ` +
        // The whole procedure: importing under the same name fails while this directory is still here (MIG59).
        `To move it here, export it on a server that can open it ('typedb server export --database=${name} --schema=${name}.tql --data=${name}.typedb'), ` +
        `move this directory out of the data directory, and import the files on this one ('typedb server import --database=${name} --schema=${name}.tql --data=${name}.typedb').`,
    );
  }
  return manifest;
}

/** The manifest, or what is wrong with it: hand-edited or foreign JSON must not read as "encoding version undefined". */
function shapeOf(parsed: unknown): Manifest | string {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `it holds ${JSON.stringify(parsed)}, not a JSON object`;
  const fields = parsed as Record<string, unknown>;
  if (fields.format !== 'strata-database') return `its "format" is ${JSON.stringify(fields.format)}, not "strata-database"`;
  if (!Number.isSafeInteger(fields.encodingVersion)) {
    return `its "encodingVersion" is ${JSON.stringify(fields.encodingVersion) ?? 'missing'}, not a whole number`;
  }
  return parsed as Manifest;
}

/**
 * A TypeDB 2.x database directory holds two RocksDB stores, `schema/` and `data/`, and no Strata manifest (empty
 * ones too: a copy cut short is still not something Strata can open).
 */
export function isTypeDBDirectory(dir: string): boolean {
  return existsSync(join(dir, 'schema')) && existsSync(join(dir, 'data')) && !existsSync(join(dir, 'store'));
}

/** A Strata database directory that lost its manifest (a partial copy): it has the store directory. */
export function isManifestlessStrataDirectory(dir: string): boolean {
  return existsSync(join(dir, 'store'));
}

/** A Strata database directory without its manifest. */
export function missingManifestError(name: string, dir: string): StrataError {
  return new StrataError(
    'DBS',
    30,
    `Database '${name}' at '${dir}' has a store but no ${MANIFEST_FILE}, which every Strata database directory holds: ` +
      'it is an incomplete copy. Copy the whole database directory from the other server (or take an online backup ' +
      "there with 'strata server backup') and put that here instead.",
  );
}

export function typeDBDirectoryError(name: string, dir: string): StrataError {
  return new StrataError(
    'DBS',
    24,
    `Database '${name}' at '${dir}' is a TypeDB 2.x (RocksDB) database directory, which Strata cannot open. ` +
      "Export it with TypeDB ('typedb server export --database=" + name + " --schema=" + name + ".tql --data=" + name + ".typedb') " +
      `and import the files here ('strata server import --database=${name} --schema=${name}.tql --data=${name}.typedb').`,
  );
}
