// The last step of an export: its finished temporary files (the data file, and the schema file if asked for)
// are renamed over their targets all or nothing. Before any rename, each existing target gets a second name
// beside it (a hard link; where the file system has none, the file itself is moved there), so that when a later
// rename fails the earlier ones are undone by renaming the previous files back. A crash in between can leave a
// `.<name>.<pid>-<random>.prev` file, holding the previous content, beside the new file.

import { syncPath } from '../../common/sync-path.js';
import { randomBytes } from 'node:crypto';
import { link, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { systemErrorText } from '../codec/errors.js';
import type { FileRole } from '../codec/file-role.js';
import { checkTargetFile, writeFailure } from '../codec/target-file.js';

/** A finished file under its temporary name, and the path it is to replace. */
export interface Replacement {
  readonly temporary: string;
  readonly target: string;
  readonly role: FileRole;
}

/** The previous file at a target, under a second name; `moved`: no longer at the target itself. */
interface Kept {
  readonly path: string;
  readonly moved: boolean;
}

const UNCHANGED = 'Nothing was exported: any previous files at the given paths are as they were.';

/** Renames every temporary over its target, or (on failure) leaves every target as it was and throws MIG04. */
export async function publishAll(replacements: readonly Replacement[]): Promise<void> {
  // The targets may have changed since the export began: never rename over a directory or a link.
  for (const r of replacements) await checkTargetFile(r.target, r.role, UNCHANGED);
  const kept: (Kept | undefined)[] = [];
  for (const r of replacements) {
    try {
      kept.push(await keepPrevious(r.target));
    } catch (e) {
      const problems = await undo(replacements, kept, 0);
      throw writeFailure(r.target, `cannot keep the previous file while replacing it (${systemErrorText(e)})`, e, r.role, outcome(problems));
    }
  }
  let renamed = 0;
  try {
    for (; renamed < replacements.length; renamed++) await rename(replacements[renamed]!.temporary, replacements[renamed]!.target);
  } catch (e) {
    const failed = replacements[renamed]!;
    const problems = await undo(replacements, kept, renamed);
    throw writeFailure(failed.target, `cannot rename the finished file into place (${systemErrorText(e)})`, e, failed.role, outcome(problems));
  }
  const leftovers: string[] = [];
  for (const k of kept) if (k !== undefined) await unlink(k.path).catch(() => leftovers.push(k.path));
  const last = replacements[replacements.length - 1]!;
  try {
    for (const dir of new Set(replacements.map((r) => dirname(r.target)))) await syncPath(dir);
  } catch (e) {
    throw writeFailure(
      last.target,
      `the files were written and renamed into place, but syncing their directory failed, so the renames may not survive a crash (${systemErrorText(e)})`,
      e,
      last.role,
      'Run the export again.',
    );
  }
  if (leftovers.length > 0) {
    throw writeFailure(
      last.target,
      `the files were written and renamed into place, but the second name of a previous file could not be removed`,
      undefined,
      last.role,
      `The export is complete; delete ${leftovers.map((p) => `'${p}'`).join(' and ')} by hand.`,
    );
  }
}

/** Gives the file at `target` a second name beside it; undefined if there is no file. */
async function keepPrevious(target: string): Promise<Kept | undefined> {
  const path = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.prev`);
  try {
    await link(target, path);
    return { path, moved: false };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw e;
  }
  // No hard links here: move the file away instead (the target is missing until its replacement is renamed in).
  try {
    await rename(target, path);
    return { path, moved: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Puts back the previous file of each of the first `renamed` targets (or removes the new file where there was
 * none) and of every target moved away; drops the other second names. Returns what could not be undone.
 */
async function undo(replacements: readonly Replacement[], kept: readonly (Kept | undefined)[], renamed: number): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const target = replacements[i]!.target;
    const k = kept[i];
    try {
      if (k !== undefined && (i < renamed || k.moved)) await rename(k.path, target);
      else if (k !== undefined) await unlink(k.path);
      else if (i < renamed) await unlink(target);
    } catch (e) {
      problems.push(
        k === undefined
          ? `the new file at '${target}' could not be removed (${systemErrorText(e)})`
          : `the previous file of '${target}' could not be put back: it is at '${k.path}' (${systemErrorText(e)})`,
      );
    }
  }
  return problems;
}

function outcome(problems: readonly string[]): string {
  if (problems.length === 0) return UNCHANGED;
  return `Not everything could be put back: ${problems.join('; ')}. Move those files back by hand.`;
}
