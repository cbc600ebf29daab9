// Disk space of a directory tree, as blocks allocated (what `du` reports), for results and benchmarks.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else total += statSync(path).blocks * 512;
  }
  return total;
}
