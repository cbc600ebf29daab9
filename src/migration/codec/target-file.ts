// Checks of a path a file is about to be written to (a temporary file beside it, renamed over it at the end):
// the path must name a regular file or nothing, in an existing directory. Failures are MIG32 (not a regular
// file) and MIG04 (cannot be written there), naming the path, its role and what to do.

import { lstat, readlink, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CodecError, CodecErrorCode, errorText, permissionAdvice } from './errors.js';
import { endsWithSeparator, roleText, type FileRole } from './file-role.js';

/** What a check's message ends with when the caller has written nothing yet (default: for the writer's target). */
const UNTOUCHED = 'Any previous file at that path was left as it was.';

/**
 * Checks `path` (as given: a trailing separator counts) and its directory; returns the mode of the regular file
 * there, or undefined if there is none. `outcome` ends a message: what became of the files.
 */
export async function checkWriteTarget(path: string, role?: FileRole, outcome = UNTOUCHED): Promise<{ mode: number } | undefined> {
  if (endsWithSeparator(path)) {
    const example = join(path, role?.example ?? 'data.typedb');
    throw notRegular(path, 'a directory path (it ends with a separator)', `Give the path of the file itself, for example '${example}'.`, role, outcome);
  }
  const target = resolve(path);
  const existing = await checkTargetFile(target, role, outcome);
  await checkTargetDirectory(dirname(target), target, role, outcome);
  return existing;
}

/** Returns the mode of an existing regular file at `target`, undefined if nothing is there; refuses the rest. */
export async function checkTargetFile(target: string, role?: FileRole, outcome = UNTOUCHED): Promise<{ mode: number } | undefined> {
  let st;
  try {
    st = await lstat(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // A file standing where a directory of the path should be: reported by checkTargetDirectory's stat.
    if (code === 'ENOTDIR') return undefined;
    throw writeFailure(target, errorText(e), e, role, outcome);
  }
  if (st.isFile()) return { mode: st.mode };
  let what: string;
  let advice = 'Give the path of a regular file, or a new file name.';
  if (st.isDirectory()) {
    what = 'a directory';
    advice = `Give a path for the file itself, for example '${join(target, role?.example ?? 'data.typedb')}'.`;
  } else if (st.isSymbolicLink()) {
    const to = await readlink(target).catch(() => '?');
    what = `a symbolic link (to '${to}')`;
    advice =
      'The file is written beside the target and renamed over it, which would replace the link itself. Give the ' +
      'real file path instead.';
  } else if (st.isFIFO()) {
    what = 'a named pipe (FIFO)';
    advice = 'Exports are written to a temporary file and renamed into place, which needs a regular file path.';
  } else if (st.isSocket()) {
    what = 'a socket';
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    what = 'a device';
  } else {
    what = 'not a regular file';
  }
  throw notRegular(target, what, advice, role, outcome);
}

/** The directory the target is written in must exist (it is not created: a typo would go unnoticed). */
export async function checkTargetDirectory(dir: string, target: string, role?: FileRole, outcome = UNTOUCHED): Promise<void> {
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw writeFailure(target, `'${dir}' is not a directory`, undefined, role, outcome);
  } catch (e) {
    if (e instanceof CodecError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw writeFailure(target, `the directory '${dir}' does not exist; create it first`, e, role, outcome);
    if (code === 'ENOTDIR') throw writeFailure(target, `a part of the directory '${dir}' is a file, not a directory`, e, role, outcome);
    throw writeFailure(target, errorText(e), e, role, outcome);
  }
}

/** MIG04, ending with what became of the file at the path (the write goes to a temporary file first). */
export function writeFailure(path: string, detail: string, cause?: unknown, role?: FileRole, outcome = UNTOUCHED): CodecError {
  const full =
    (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC'
      ? ' The disk is full: free space there, or write to another disk.'
      : permissionAdvice(cause);
  return new CodecError(
    CodecErrorCode.WRITE_FAILED,
    `Error writing the file at '${path}'${roleText(role)}: ${detail}.${full} ${outcome}`,
    undefined,
    { cause },
  );
}

function notRegular(target: string, what: string, advice: string, role: FileRole | undefined, outcome: string): CodecError {
  const subject = role === undefined ? 'the export' : `the ${role.name} (${role.option})`;
  return new CodecError(
    CodecErrorCode.TARGET_NOT_REGULAR_FILE,
    `Refusing to write ${subject} to '${target}': it is ${what}, not a regular file, and is left as it is. ${advice}` +
      (outcome === UNTOUCHED ? '' : ` ${outcome}`),
  );
}
