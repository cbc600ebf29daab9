// Scan benchmarks: the per-row cost of reading data, over the social dataset of bench/social-dataset.ts imported
// into an embedded database. Type scans counted (one type, and every thing), a `contains` filter over a string
// attribute type's instances, a scan joined with `has`, and a relation's role players. Each query runs --repeats
// times in a new read transaction; the table gives the median and the best.
// Run: npm run bench -- scans [--things=1000000] [--repeats=5] [--dir=<tmp>]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabaseManager } from '../src/database/index.js';
import { importDatabase } from '../src/migration/index.js';
import { formatTable, percentile, rssMiB } from './report.js';
import { generateSocialDataset, SOCIAL_SCHEMA } from './social-dataset.js';
import { consume, time } from './workload.js';

const QUERIES: Record<string, string> = {
  countPersons: 'match $p isa person; get; count;',
  countThings: 'match $x isa thing; get; count;',
  emailsContaining: 'match $e isa email; $e contains "77"; get; count;',
  personsWithEmailContaining: 'match $p isa person, has email $e; $e contains "77"; get; count;',
  personsWithEmail: 'match $p isa person, has email $e; get; count;',
  getPersons: 'match $p isa person; get;',
  friendPairs: 'match $f (friend: $a, friend: $b) isa friendship; get; count;',
};

export async function benchScans(args: Map<string, string>): Promise<Record<string, unknown>> {
  const things = Number(args.get('things') ?? 1_000_000);
  const repeats = Number(args.get('repeats') ?? 5);
  const dir = mkdtempSync(join(args.get('dir') ?? tmpdir(), 'strata-bench-scans-'));
  try {
    const file = join(dir, 'social.typedb');
    await generateSocialDataset(file, things, 1);
    const manager = openDatabaseManager(join(dir, 'data'));
    try {
      await importDatabase(manager, 'social', { dataFile: file, schemaText: SOCIAL_SCHEMA });
      const session = manager.session('social', 'data');
      const results: Record<string, unknown> = { things, repeats };
      for (const [name, query] of Object.entries(QUERIES)) {
        const samples: number[] = [];
        let answer = '';
        for (let i = 0; i < repeats; i++) {
          const tx = session.transaction('read');
          const [result, ms] = time(() => {
            const r = tx.query(query);
            return r.kind === 'aggregate' ? String(r.value?.value) : String(consume(r));
          });
          tx.close();
          samples.push(ms);
          answer = result;
        }
        results[`${name}Ms`] = Math.round(percentile(samples, 50));
        results[`${name}BestMs`] = Math.round(Math.min(...samples));
        results[`${name}Answer`] = answer;
      }
      session.close();
      results.peakRssMiB = rssMiB();
      console.log(formatTable('scans', results));
      return results;
    } finally {
      manager.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
