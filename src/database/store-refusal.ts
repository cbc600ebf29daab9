// Why a database directory is not served (or not published), when the fault is its store rather than its
// manifest: the storage layer's finding, retold naming the database, with what to do. The directory is never
// changed.
import { StrataError } from '../common/errors.js';
import { STORAGE_ERROR, StoreFileError } from '../storage/index.js';

/** How LMDB and the file system say that this process may not write a file (LMDB writes its lock file even to read). */
const NOT_WRITABLE = /Permission denied|EACCES|EPERM|EROFS|Read-only file system/;

/** The refusal of database `name` at `dir` for `error`, thrown while opening its store. */
export function storeRefusal(name: string, dir: string, error: unknown): StrataError {
  if (error instanceof StoreFileError) {
    const { file, problem } = error;
    const restore =
      `It was left as it is. Move the directory '${dir}' away, then restore it from a backup, ` +
      `or re-import the database from an export (strata server import --database=${name} --schema=<schema.tql> --data=<data.typedb>).`;
    switch (problem.kind) {
      case 'missing':
      case 'empty':
        return new StrataError('DBS', 28, `Database '${name}' at '${dir}' has no store: its data file '${file}' ${problem.detail}. ${restore}`);
      case 'damaged':
        return new StrataError(
          'DBS',
          29,
          `Database '${name}' at '${dir}' has a damaged store: its data file '${file}' ${problem.detail}. ` +
            `It was not opened, as opening a damaged store can crash the server. ${restore}`,
        );
      case 'unreadable':
        return new StrataError(
          'DBS',
          23,
          `Database '${name}' at '${dir}' could not be opened: its data file '${file}' ${problem.detail}. ` +
            'Check that the server can read and write the directory, then restart it.',
        );
    }
  }
  if (error instanceof StrataError && error.code === `STO${STORAGE_ERROR.OPEN_FAILED}` && NOT_WRITABLE.test(String((error.cause as Error)?.message ?? error.cause))) {
    const user = process.getuid === undefined ? "the server's user" : `the server's user (uid ${process.getuid()})`;
    return new StrataError(
      'DBS',
      23,
      `Database '${name}' at '${dir}' could not be opened: ${user} may not write its store (${(error.cause as Error).message}). ` +
        'A database is served only read-write (its LMDB store writes a lock file even to be read), so a read-only copy is not served. ' +
        `Let that user write '${dir}' and everything in it (chmod -R u+w, or chown -R), then restart the server.`,
    );
  }
  if (error instanceof StrataError) return error;
  return new StrataError('DBS', 23, `Database '${name}' at '${dir}' could not be opened: ${(error as Error).message}`);
}

/** The refusal to publish `staged` (a database built by an import) as database `name`, for `error`. */
export function stagedStoreRefusal(name: string, staged: string, error: unknown): StrataError {
  if (!(error instanceof StoreFileError)) return storeRefusal(name, staged, error);
  return new StrataError(
    'DBS',
    29,
    `The store built for database '${name}' in '${staged}' cannot be opened: its data file '${error.file}' ${error.problem.detail}. ` +
      `Nothing was published: database '${name}' is as it was. Check the disk the data directory is on, then run the import again.`,
  );
}
