// The PostgreSQL 15 baseline of the migration benchmark: the same logical data as a social-network .typedb file,
// held in tables with primary and foreign keys, timed with `pg_dump -Fc` and `pg_restore`. The benchmark installs
// PostgreSQL from Debian's packages if needed, runs its own server on loopback in a temporary directory, and stops
// it by its process id.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readItems } from '../src/migration/codec/index.js';
import type { Value } from '../src/common/values.js';
import { formatDatetime } from '../src/common/values.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresTimings {
  readonly rows: number;
  readonly dumpSeconds: number;
  readonly restoreSeconds: number;
  readonly dumpBytes: number;
}

/** Installs PostgreSQL 15 from Debian's packages when its binaries are missing. */
function ensureInstalled(): void {
  if (existsSync(join(PG_BIN, 'postgres')) && existsSync('/usr/bin/pg_dump')) return;
  console.log('installing postgresql-15 from Debian packages…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql-15'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function postgresUser(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

class PostgresServer {
  private constructor(
    readonly port: number,
    private readonly process: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PostgresServer> {
    ensureInstalled();
    const user = postgresUser();
    const dir = mkdtempSync(join(tmpdir(), 'strata-pg-'));
    chownSync(dir, user.uid, user.gid);
    const data = join(dir, 'data');
    const sockets = join(dir, 'sockets');
    mkdirSync(sockets);
    chownSync(sockets, user.uid, user.gid);
    execFileSync(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8'], { ...user, stdio: 'ignore' });
    const port = await freePort();
    const child = spawn(join(PG_BIN, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', sockets], {
      ...user,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const server = new PostgresServer(port, child, dir);
    await server.waitReady();
    return server;
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      try {
        this.psql('postgres', 'select 1', true);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('PostgreSQL did not start within 20 s');
  }

  private connection(): string[] {
    return ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres'];
  }

  psql(database: string, sql: string, quiet = false): string {
    return execFileSync('psql', [...this.connection(), '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], {
      stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'],
    }).toString();
  }

  run(program: string, args: string[]): number {
    const start = process.hrtime.bigint();
    execFileSync(program, [...this.connection(), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    return Number(process.hrtime.bigint() - start) / 1e9;
  }

  /** Stops the server by its process id (fast shutdown), then removes its directory. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.pid !== undefined) {
      const exited = new Promise((r) => this.process.once('exit', r));
      process.kill(this.process.pid, 'SIGINT');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const TABLES = `
create table person (id bigint primary key, email text not null unique, name text, age bigint, joined timestamp, active boolean);
create table company (id bigint primary key, name text not null unique);
create table post (id bigint primary key, joined timestamp, score double precision);
create table comment (id bigint primary key, joined timestamp, score double precision);
create table friendship (id bigint primary key, friend_a bigint not null references person, friend_b bigint not null references person, joined timestamp);
create table employment (id bigint primary key, employee bigint not null references person, employer bigint not null references company,
                         referral bigint references friendship, active boolean);
create table authorship (id bigint primary key, author bigint not null references person, work_post bigint references post, work_comment bigint references comment);
create table reply (id bigint primary key, child bigint not null references comment, parent_post bigint references post, parent_comment bigint references comment);
`;

function csvValue(v: Value | undefined): string {
  if (v === undefined) return '';
  switch (v.type) {
    case 'string':
      return `"${v.value.replace(/"/g, '""')}"`;
    case 'datetime':
      return formatDatetime(v.value).replace('T', ' ');
    default:
      return String(v.value);
  }
}

/**
 * Converts a social-network .typedb file into one CSV file per table: pass 1 reads attribute values and gives
 * every entity and relation an integer key, pass 2 writes the rows. (A benchmark tool: it holds the ID maps in
 * memory, which is fine up to a few million things.)
 */
async function toCsv(file: string, dir: string): Promise<{ tables: string[]; rows: number }> {
  const values = new Map<string, { label: string; value: Value }>();
  const keys = new Map<string, number>();
  const posts = new Set<string>();
  for await (const { item } of readItems(file)) {
    if (item.kind === 'attribute') values.set(item.id, { label: item.label, value: item.value });
    else if (item.kind === 'entity' || item.kind === 'relation') keys.set(item.id, keys.size + 1);
    if (item.kind === 'entity' && item.label === 'post') posts.add(item.id);
  }
  const streams = new Map<string, WriteStream>();
  const out = (table: string, fields: string[]) => {
    let s = streams.get(table);
    if (!s) streams.set(table, (s = createWriteStream(join(dir, `${table}.csv`))));
    if (!s.write(fields.join(',') + '\n')) return new Promise<void>((r) => s!.once('drain', () => r()));
    return undefined;
  };
  const attrs = (ids: readonly string[]) => {
    const byLabel = new Map<string, Value>();
    for (const id of ids) {
      const a = values.get(id);
      if (a) byLabel.set(a.label, a.value);
    }
    return byLabel;
  };
  const key = (id: string | undefined) => (id === undefined ? '' : String(keys.get(id)));
  let rows = 0;
  for await (const { item } of readItems(file)) {
    let pending: Promise<void> | undefined;
    if (item.kind === 'entity') {
      const a = attrs(item.ownerships);
      const k = key(item.id);
      if (item.label === 'person') pending = out('person', [k, csvValue(a.get('email')), csvValue(a.get('name')), csvValue(a.get('age')), csvValue(a.get('joined')), csvValue(a.get('active'))]);
      else if (item.label === 'company') pending = out('company', [k, csvValue(a.get('name'))]);
      else pending = out(item.label, [k, csvValue(a.get('joined')), csvValue(a.get('score'))]);
      rows++;
    } else if (item.kind === 'relation') {
      const a = attrs(item.ownerships);
      const players = (role: string) => item.roles.find((r) => r.label === role)?.players ?? [];
      const k = key(item.id);
      if (item.label === 'friendship') {
        const [x, y] = players('friendship:friend');
        pending = out('friendship', [k, key(x), key(y ?? x), csvValue(a.get('joined'))]);
      } else if (item.label === 'employment') {
        pending = out('employment', [k, key(players('employment:employee')[0]), key(players('employment:employer')[0]), key(players('employment:referral')[0]), csvValue(a.get('active'))]);
      } else if (item.label === 'authorship') {
        const work = players('authorship:work')[0];
        const isPost = work !== undefined && posts.has(work);
        pending = out('authorship', [k, key(players('authorship:author')[0]), isPost ? key(work) : '', isPost ? '' : key(work)]);
      } else if (item.label === 'reply') {
        const parent = players('reply:parent')[0];
        const isPost = parent !== undefined && posts.has(parent);
        pending = out('reply', [k, key(players('reply:child')[0]), isPost ? key(parent) : '', isPost ? '' : key(parent)]);
      }
      rows++;
    }
    if (pending) await pending;
  }
  await Promise.all([...streams.values()].map((s) => new Promise<void>((r) => s.end(() => r()))));
  return { tables: [...streams.keys()], rows };
}

/**
 * PostgreSQL holding the dataset, loaded once, for timing `pg_dump -Fc` and `pg_restore` as often as asked (the
 * benchmark alternates them with Strata's runs). Stop it with stop().
 */
export class PostgresBaseline {
  private constructor(
    private readonly server: PostgresServer,
    private readonly work: string,
    readonly rows: number,
  ) {}

  static async load(file: string): Promise<PostgresBaseline> {
    const work = mkdtempSync(join(tmpdir(), 'strata-pg-csv-'));
    let server: PostgresServer | undefined;
    try {
      server = await PostgresServer.start();
      const { rows } = await toCsv(file, work);
      server.psql('postgres', 'create database social');
      server.psql('social', TABLES);
      // Load order respects the foreign keys.
      for (const table of ['person', 'company', 'post', 'comment', 'friendship', 'employment', 'authorship', 'reply']) {
        const path = join(work, `${table}.csv`);
        if (existsSync(path)) server.psql('social', `\\copy ${table} from '${path}' with (format csv)`);
      }
      // Nothing left for the server to do in the background while Strata's steps run: vacuumed (so autovacuum
      // has no reason to visit the new tables), analyzed, and checkpointed.
      server.psql('social', 'vacuum analyze');
      server.psql('social', 'checkpoint');
      return new PostgresBaseline(server, work, rows);
    } catch (e) {
      await server?.stop();
      rmSync(work, { recursive: true, force: true });
      throw e;
    }
  }

  /** One `pg_dump -Fc` of the data and one `pg_restore` of that dump into a new database, whose rows are counted. */
  time(): PostgresTimings {
    const { server, rows } = this;
    const dump = join(this.work, 'social.dump');
    rmSync(dump, { force: true });
    const dumpSeconds = server.run('pg_dump', ['-Fc', '-f', dump, 'social']);
    server.psql('postgres', 'drop database if exists restored', true);
    server.psql('postgres', 'create database restored');
    const restoreSeconds = server.run('pg_restore', ['-d', 'restored', dump]);
    const restoredRows = Number(server.psql('restored', 'select (select count(*) from person) + (select count(*) from company) + (select count(*) from post) + (select count(*) from comment) + (select count(*) from friendship) + (select count(*) from employment) + (select count(*) from authorship) + (select count(*) from reply)').trim());
    if (restoredRows !== rows) throw new Error(`pg_restore restored ${restoredRows} rows, expected ${rows}`);
    const dumpBytes = statSync(dump).size;
    // As after the load: the restored copy gone and everything written out before Strata's next step starts.
    server.psql('postgres', 'drop database restored', true);
    server.psql('postgres', 'checkpoint', true);
    return { rows, dumpSeconds, restoreSeconds, dumpBytes };
  }

  /** Stops the server by its process id and removes the working files. */
  async stop(): Promise<void> {
    try {
      await this.server.stop();
    } finally {
      rmSync(this.work, { recursive: true, force: true });
    }
  }
}
