// The CLI side of export/import/backup: a plaintext gRPC client of the server's migrator service on
// localhost:<port>, as TypeDB's CLI does (the server reads and writes the files).
import { basename, dirname, join } from 'node:path';
import { connectivityState, credentials, makeGenericClientConstructor, status, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { ANSWER_TIMEOUT_MS, notATypeDBServer, notATypeDBServerAnswer, somethingListens } from '../common/server-probe.js';
import { MIGRATOR_SERVICE, type CountedExportProgressMessage, type ImportProgressMessage } from '../server/migrator/protocol.js';
import type { MigrationProgress } from '../server/migrator/jobs.js';

type Method = keyof typeof MIGRATOR_SERVICE;
const MigratorClient = makeGenericClientConstructor(MIGRATOR_SERVICE, 'Migrator');

export function fromProgressMessage(m: Partial<ImportProgressMessage & CountedExportProgressMessage>): MigrationProgress {
  const c = (current = 0, total = 0) => ({ current: Number(current), total: Number(total) });
  return {
    initialising: m.initialising ?? false,
    attributes: c(m.attributes_current, m.attributes),
    entities: c(m.entities_current, m.entities),
    relations: c(m.relations_current, m.relations),
    ownerships: c(m.ownerships_current, m.ownerships),
    roles: c(m.roles_current, m.roles),
    edgesCounted: m.edges_counted === true,
  };
}

type Job = 'export' | 'import' | 'backup';

/** A request's fields (by their protocol names). */
type MigratorRequest = { readonly data_file?: string; readonly directory?: string; readonly [field: string]: unknown };

function jobOf(method: Method): Job {
  if (/^import/i.test(method)) return 'import';
  if (/^export/i.test(method)) return 'export';
  return 'backup';
}

/** What a job cut short (server stopped or gone) leaves, and what to do. */
function afterLoss(job: Job, request: MigratorRequest): string {
  // A server that crashed (rather than shut down) cannot remove what it was writing beside the target.
  const beside = (path: string, pattern: string) => `If the server crashed, delete '${join(dirname(path), `.${basename(path)}${pattern}`)}' if present.`;
  switch (job) {
    case 'import':
      return (
        'An import is all or nothing: unless it had just completed, nothing was imported and the database is as it was ' +
        "(the server removes the import's files when it next starts). Once the server runs again, check with 'database list' " +
        'and run the import again.'
      );
    case 'export':
      return (
        'The file is written under a temporary name and renamed only when complete: any previous file at that path is as ' +
        `it was. ${request.data_file ? beside(request.data_file, '.*') + ' ' : ''}Run the export again once the server runs.`
      );
    case 'backup':
      return (
        'A backup is written beside the target and renamed only when complete: the target is as it was. ' +
        `${request.directory ? beside(request.directory, '.partial-*') + ' ' : ''}Run the backup again once the server runs.`
      );
  }
}

/** What the server does with a job whose command was interrupted. */
function afterInterrupt(job: Job): string {
  switch (job) {
    case 'import':
      return "The server stops the import and removes its files: nothing was imported, unless it had just completed (check with 'database list').";
    case 'export':
      return 'The server stops the export and removes its temporary file: any previous file at that path is as it was.';
    case 'backup':
      return 'The server stops the backup once the store copy under way is done, and removes what it wrote: the target is as it was.';
  }
}

/**
 * How long a job's stream may stay without a message before the server is taken for gone. Strata's server, like
 * TypeDB's, sends progress every second; a server frozen (SIGSTOP, a suspended machine) or a silent network would
 * otherwise leave the command waiting forever. Generous, so that a server busy with another client's long commit is
 * not taken for gone. STRATA_MIGRATOR_SILENCE_MS shortens it (tests).
 */
const SILENCE_MS = Number(/^\d+$/.exec(process.env.STRATA_MIGRATOR_SILENCE_MS ?? '')?.[0] ?? 60_000);

const noServer = (address: string) => `No server is listening on ${address}. Start it with 'strata server' (or pass --port=<port> of the running server).`;

/**
 * Fails fast when nothing listens or the listener refuses gRPC (an HTTP/1 server answers its handshake and closes),
 * and within ANSWER_TIMEOUT_MS when the listener stays silent.
 */
async function whenAnswering(client: Client, port: number, address: string): Promise<void> {
  if (!(await somethingListens('localhost', port))) throw new Error(noServer(address));
  const outcome = await channelReady(client, Date.now() + ANSWER_TIMEOUT_MS);
  if (outcome === 'ready') return;
  if (outcome === 'silent') throw new Error(notATypeDBServer(address));
  // The connection failed: the listener refused gRPC, unless it has just gone away.
  throw new Error((await somethingListens('localhost', port)) ? notATypeDBServerAnswer(address) : noServer(address));
}

/** Connects the client's channel: ready, failed (every address tried), or still not ready at the deadline. */
function channelReady(client: Client, deadline: number): Promise<'ready' | 'failed' | 'silent'> {
  const channel = client.getChannel();
  return new Promise((resolve) => {
    const next = () => {
      const state = channel.getConnectivityState(true);
      if (state === connectivityState.READY) return resolve('ready');
      if (state === connectivityState.TRANSIENT_FAILURE || state === connectivityState.SHUTDOWN) return resolve('failed');
      channel.watchConnectivityState(state, deadline, (timedOut) => (timedOut ? resolve('silent') : next()));
    };
    next();
  });
}

/** Calls one streaming RPC; resolves when the server completes it, rejects with a user-facing message. */
export async function callMigrator(port: number, method: Method, request: MigratorRequest, onMessage: (m: Record<string, unknown>) => void): Promise<void> {
  const address = `localhost:${port}`;
  const client = new MigratorClient(address, credentials.createInsecure());
  try {
    await whenAnswering(client, port, address);
  } catch (e) {
    client.close();
    throw e;
  }
  return new Promise<void>((resolve, reject) => {
    // A call that ends without a status (a server that could not send it) leaves nothing to wait for: the process
    // would run out of work and exit 0 in silence. Fail it instead, saying what may be left.
    const unanswered = () => {
      client.close();
      reject(
        new Error(
          `The server on ${address} ended the ${jobOf(method)} without saying whether it succeeded. ` +
            "Check the server's output for the reason, and with 'database list' what it left; then run it again.",
        ),
      );
    };
    process.once('beforeExit', unanswered);
    // Ctrl-C or a kill of the command: the connection closes, and the server stops the job and removes what it
    // wrote. Say so, rather than end in silence.
    const interrupted = (signal: NodeJS.Signals) => {
      call.cancel();
      process.stderr.write(`\nThe ${jobOf(method)} was interrupted (${signal}). ${afterInterrupt(jobOf(method))}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    // A stream with no message for SILENCE_MS: the server or the network to it has stopped.
    let lastMessageAt = Date.now();
    const silence = setInterval(() => {
      const silentMs = Date.now() - lastMessageAt;
      if (silentMs < SILENCE_MS) return;
      settle();
      reject(
        new Error(
          `The server on ${address} has sent nothing for ${Math.round(silentMs / 1000)} s during the ${jobOf(method)} ` +
            '(it sends progress every second): it is frozen or overloaded, or the connection is lost. The command gave up. ' +
            afterLoss(jobOf(method), request),
        ),
      );
      call.cancel();
    }, Math.min(1_000, SILENCE_MS / 4));
    // The open connection keeps the process alive while the call lasts; a call that ends without a status must still
    // let the process run out of work and reach `unanswered` above.
    silence.unref();
    const settle = () => {
      clearInterval(silence);
      process.off('beforeExit', unanswered);
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      client.close();
    };
    const call = (client as unknown as Record<Method, (req: object) => ClientReadableStream<Record<string, unknown>>>)[method](request);
    call.on('data', (message: Record<string, unknown>) => {
      lastMessageAt = Date.now();
      onMessage(message);
    });
    call.on('error', (e: ServiceError) => {
      settle();
      const lost = e.code === status.CANCELLED || (e.code === status.UNAVAILABLE && !/No connection established|ECONNREFUSED/.test(e.details ?? ''));
      if (lost) {
        const why = e.code === status.CANCELLED ? 'the server stopped' : 'the server stopped or the connection broke';
        reject(new Error(`The ${jobOf(method)} was cut short: ${why} (${address}) before it finished. ${afterLoss(jobOf(method), request)}`));
      } else if (e.code === status.UNAVAILABLE) {
        reject(new Error(noServer(address)));
      } else if (e.code === status.UNIMPLEMENTED) {
        reject(new Error(`The server on ${address} does not offer '${method}': is it a Strata server (or TypeDB 2.19+)?`));
      } else {
        reject(new Error(e.details || e.message));
      }
    });
    call.on('end', () => {
      settle();
      resolve();
    });
  });
}
