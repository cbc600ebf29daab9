// A directory and its missing parents, made without Node's `mkdir(…, { recursive: true })`: that one never returns
// when a parent exists but refuses new entries with ENOENT, as /proc and /sys do (libuv retries the parent and the
// child forever, one CPU spinning: a server given such a data directory never started, and a backup into one could
// not even be stopped by SIGTERM). Here each missing level is made once, from the nearest existing ancestor down,
// and the first refusal is thrown as the system gave it.
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Makes `path` and its missing parents; returns the first directory made, or undefined if `path` was there. */
export function makeDirectoriesNow(path: string): string | undefined {
  const levels = [resolve(path)];
  for (let at = dirname(levels[0]!); !existsNow(at); at = dirname(at)) levels.unshift(at);
  let first: string | undefined;
  for (const level of levels) {
    try {
      mkdirSync(level);
      first ??= level;
    } catch (e) {
      if (!alreadyDirectory(e, () => statSync(level))) throw e;
    }
  }
  return first;
}

/** The same, asynchronously. */
export async function makeDirectories(path: string): Promise<string | undefined> {
  const levels = [resolve(path)];
  for (let at = dirname(levels[0]!); !(await exists(at)); at = dirname(at)) levels.unshift(at);
  let first: string | undefined;
  for (const level of levels) {
    try {
      await mkdir(level);
      first ??= level;
    } catch (e) {
      const info = await stat(level).catch(() => undefined);
      if (!alreadyDirectory(e, () => info)) throw e;
    }
  }
  return first;
}

/** Anything but "no such entry" ends the walk up (the root always exists): making the level below reports it. */
function existsNow(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(path) === path;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(path) === path;
  }
}

/** A level that exists is fine when it is a directory (made meanwhile, or `path` itself); a file there is an error. */
function alreadyDirectory(error: unknown, info: () => Stats | undefined): boolean {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  try {
    return info()?.isDirectory() === true;
  } catch {
    return false;
  }
}
