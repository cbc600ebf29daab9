// Smoke test of bounded memory: with the same small sort budget, importing ten times more things must not take
// ten times the memory. Each import runs in its own process, which reports its peak resident set size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';
import { tempDir } from './fixtures.js';

const BUDGET = 8 << 20;

test('peak memory of an import hardly grows with the file when the sort budget is fixed', async (t) => {
  const dir = tempDir();
  const { generateSocialDataset, SOCIAL_SCHEMA } = await import('../../bench/social-dataset.js');
  writeFileSync(join(dir, 'social.tql'), SOCIAL_SCHEMA);
  const src = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot(), path)).href);
  const script = join(dir, 'import.mts');
  writeFileSync(
    script,
    `import { openDatabaseManager } from ${src('src/database/index.ts')};
     import { importDatabase } from ${src('src/migration/index.ts')};
     const [data, file, schema] = process.argv.slice(2);
     const m = openDatabaseManager(data);
     const r = await importDatabase(m, 'social', { dataFile: file, schemaFile: schema, memoryBytes: ${BUDGET}, threads: false });
     m.close();
     console.log(JSON.stringify({ things: r.stored.entities + r.stored.relations + r.stored.attributes, scratch: r.scratchPeakBytes, rssKiB: process.resourceUsage().maxRSS }));`,
  );
  const peak = async (things: number) => {
    const file = join(dir, `social-${things}.typedb`);
    await generateSocialDataset(file, things, 11);
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, join(dir, `data-${things}`), file, join(dir, 'social.tql')], {
      cwd: repoRoot(),
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as { things: number; scratch: number; rssKiB: number };
  };
  const small = await peak(20_000);
  const large = await peak(200_000);
  t.diagnostic(`20k things: ${Math.round(small.rssKiB / 1024)} MiB; 200k things: ${Math.round(large.rssKiB / 1024)} MiB, ${Math.round(large.scratch / 2 ** 20)} MiB of sort runs on disk`);
  assert.ok(large.things > 9 * small.things);
  assert.ok(large.scratch > 0, 'the large import spilled its sorts to disk');
  assert.ok(large.rssKiB - small.rssKiB < 64 * 1024, `memory grew by ${Math.round((large.rssKiB - small.rssKiB) / 1024)} MiB`);
});
