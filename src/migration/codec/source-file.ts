// Checks of a file the server is about to read (an import's data or schema file), before anything else is done:
// it must be a regular file on the server's machine. Opening a pipe or FIFO would block until some process
// wrote to it (holding the import, and the server's shutdown, with it), and a data file is read in two halves
// and again for messages, which a pipe cannot do. A /dev/fd path names a descriptor of the command's own process
// (process substitution, a shell pipe), which the server process does not have.

import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { CodecError, CodecErrorCode, permissionAdvice, systemErrorText } from './errors.js';
import { roleText, type FileRole } from './file-role.js';

/** /dev/fd/N, /dev/stdin and the like, /proc/self/fd/N, /proc/<pid>/fd/N. */
const DESCRIPTOR_PATH = /^(\/dev\/(fd\/\d+|stdin|stdout|stderr)|\/proc\/(self|thread-self|\d+)\/fd\/\d+)\/?$/;

/** Returns the stats of the regular file at `path`; refuses anything else with MIG02 or MIG03. */
export function checkReadSource(path: string, role?: FileRole): Stats {
  const where = `'${path}'${roleText(role)}`;
  const refuse = (detail: string, cause?: unknown) =>
    new CodecError(CodecErrorCode.READ_FAILED, `Error reading the file at ${where}: ${detail}`, undefined, { cause });
  if (DESCRIPTOR_PATH.test(path)) {
    throw refuse(
      `it names a file descriptor of the command's own process (a pipe, or a process substitution such as <(…)). ` +
        `The server opens the file itself, in its own process, so it cannot read it: write ${role?.contents ?? 'the content'} ` +
        `to a regular file and give that path.`,
    );
  }
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFound(path, role, e);
    throw refuse(`${systemErrorText(e)}.${permissionAdvice(e)}`, e);
  }
  if (st.isFile()) {
    // stat succeeds on a file the server may not read; the reader's open would then fail without naming the option.
    try {
      accessSync(path, constants.R_OK);
    } catch (e) {
      throw refuse(`${systemErrorText(e)}.${permissionAdvice(e)}`, e);
    }
    return st;
  }
  if (st.isDirectory()) {
    throw refuse(`it is a directory. Give the path of the ${role?.name ?? 'file'} itself, for example '${join(path, role?.example ?? 'data.typedb')}'.`);
  }
  const what = st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'a special file';
  throw refuse(
    `it is ${what}, not a regular file. The server reads only regular files (it reads a data file in parts and ` +
      `more than once, and opening a pipe would wait until something writes to it): copy the content to a regular ` +
      `file and give that path.`,
  );
}

/**
 * The text of a regular file (checkReadSource first). Opened without blocking and checked again once open: a
 * FIFO put in its place after the check would otherwise block the reader until something wrote to it.
 */
export function readTextSource(path: string, role?: FileRole): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readFailure(path, e, role);
  }
  try {
    if (!fstatSync(fd).isFile()) checkReadSource(path, role); // says what it is now
    return readFileSync(fd, 'utf8');
  } catch (e) {
    throw e instanceof CodecError ? e : readFailure(path, e, role);
  } finally {
    closeSync(fd);
  }
}

function readFailure(path: string, e: unknown, role: FileRole | undefined): CodecError {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return notFound(path, role, e);
  return new CodecError(
    CodecErrorCode.READ_FAILED,
    `Error reading the file at '${path}'${roleText(role)}: ${systemErrorText(e)}.${permissionAdvice(e)}`,
    undefined,
    { cause: e },
  );
}

/** TypeDB's MIG02 text, then where the server looked. */
function notFound(path: string, role: FileRole | undefined, cause: unknown): CodecError {
  return new CodecError(
    CodecErrorCode.FILE_NOT_FOUND,
    `The specified file path '${path}'${roleText(role)} could not be found. The server looks for it on its own machine: check the path.`,
    undefined,
    { cause },
  );
}
