// The migrator service implementation: checks the caller, runs the job, streams progress about every second
// (as TypeDB does) and a final message, and reports failures as INTERNAL with the error text.
import { status, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { StrataError } from '../../common/errors.js';
import { sendableDetails } from '../status-details.js';
import type { BackupRequest, CountedExportProgressMessage, ExportProgressMessage, ExportRequest, ImportProgressMessage, ImportRequest } from './protocol.js';
import { emptyProgress, type MigrationJobs, type MigrationProgress } from './jobs.js';

const PROGRESS_INTERVAL_MILLIS = 1000;

export interface MigratorServiceOptions {
  readonly jobs: MigrationJobs;
  /** Accept callers that are not on the loopback interface (off by default: file paths are server-side). */
  readonly allowRemote?: boolean;
}

/** Whether a grpc-js peer string (`127.0.0.1:5000`, `[::1]:5000`, older `ipv4:…`/`ipv6:…` forms, `unix:…`) is this machine. */
export function isLoopbackPeer(peer: string): boolean {
  if (peer.startsWith('unix:')) return true;
  const address = peer.replace(/^ipv[46]:/, '');
  if (/^127\.\d+\.\d+\.\d+:\d+$/.test(address)) return true;
  return /^\[(::1|::ffff:127\.\d+\.\d+\.\d+)\]:\d+$/.test(address);
}

function toExportMessage(p: MigrationProgress): ExportProgressMessage {
  return {
    attributes_current: p.attributes.current,
    attributes: p.attributes.total,
    entities_current: p.entities.current,
    entities: p.entities.total,
    relations_current: p.relations.current,
    relations: p.relations.total,
  };
}

function toCountedExportMessage(p: MigrationProgress): CountedExportProgressMessage {
  return { ...toExportMessage(p), ownerships_current: p.ownerships.current, roles_current: p.roles.current, edges_counted: true };
}

function toImportMessage(p: MigrationProgress): ImportProgressMessage {
  return {
    ...toExportMessage(p),
    initialising: p.initialising,
    ownerships_current: p.ownerships.current,
    ownerships: p.ownerships.total,
    roles_current: p.roles.current,
    roles: p.roles.total,
  };
}

function toJobMessage(p: MigrationProgress) {
  const current = p.attributes.current + p.entities.current + p.relations.current;
  const total = p.attributes.total + p.entities.total + p.relations.total;
  return { progress: { current, total } };
}

type Call = ServerWritableStream<object, object>;

function fail(call: Call, code: status, message: string): void {
  call.emit('error', { code, details: sendableDetails(message) });
}

/**
 * Runs a job, writing progress every second and once at the end, then closes the stream. A call cancelled by
 * its client (the command killed or its connection gone) stops the job.
 */
function runStreaming(
  call: Call,
  run: (onProgress: (p: MigrationProgress) => void, cancelled: AbortSignal) => Promise<void>,
  encode: (p: MigrationProgress, final: boolean) => object,
): void {
  let latest = emptyProgress();
  let finished = false;
  const cancelled = new AbortController();
  call.on('cancelled', () => cancelled.abort());
  if (call.cancelled) cancelled.abort();
  const timer = setInterval(() => {
    if (!finished && !call.cancelled) call.write(encode(latest, false));
  }, PROGRESS_INTERVAL_MILLIS);
  run((p) => (latest = p), cancelled.signal).then(
    () => {
      finished = true;
      clearInterval(timer);
      if (call.cancelled) return;
      call.write(encode(latest, true));
      call.end();
    },
    (e: unknown) => {
      finished = true;
      clearInterval(timer);
      if (call.cancelled) return;
      fail(call, status.INTERNAL, e instanceof Error ? e.message : String(e));
    },
  );
}

export function createMigratorService(options: MigratorServiceOptions): UntypedServiceImplementation {
  const { jobs } = options;
  const guard = (call: Call): boolean => {
    if (options.allowRemote || isLoopbackPeer(call.getPeer())) return true;
    fail(
      call,
      status.PERMISSION_DENIED,
      new StrataError('MIG', 60, `The migrator service accepts only callers on this machine (loopback); '${call.getPeer()}' is not. Run the command on the server's machine.`).message,
    );
    return false;
  };
  const required = (call: Call, value: string, what: string): boolean => {
    if (value) return true;
    fail(call, status.INVALID_ARGUMENT, new StrataError('MIG', 61, `The request names no ${what}.`).message);
    return false;
  };

  const exportDatabase = (encode: (p: MigrationProgress) => object) => (call: Call) => {
    const req = call.request as ExportRequest;
    if (!guard(call) || !required(call, req.database, 'database') || !required(call, req.data_file, 'data file')) return;
    runStreaming(call, (onProgress, cancelled) => jobs.exportDatabase({ database: req.database, dataFile: req.data_file, schemaFile: req.schema_file || undefined }, onProgress, cancelled), encode);
  };
  const importDatabase = (encode: (p: MigrationProgress) => object) => (call: Call) => {
    const req = call.request as ImportRequest;
    if (!guard(call) || !required(call, req.database, 'database') || !required(call, req.data_file, 'data file')) return;
    runStreaming(call, (onProgress, cancelled) => jobs.importDatabase({ database: req.database, dataFile: req.data_file, schemaFile: req.schema_file || undefined }, onProgress, cancelled), encode);
  };
  const legacy = (kind: 'export' | 'import') => (call: Call) => {
    const req = call.request as { database: string; filename: string };
    if (!guard(call) || !required(call, req.database, 'database') || !required(call, req.filename, 'file')) return;
    const job = { database: req.database, dataFile: req.filename };
    runStreaming(call, (onProgress, cancelled) => (kind === 'export' ? jobs.exportDatabase(job, onProgress, cancelled) : jobs.importDatabase(job, onProgress, cancelled)), toJobMessage);
  };

  return {
    ExportDatabase: exportDatabase(toCountedExportMessage),
    ImportDatabase: importDatabase(toImportMessage),
    ExportData: exportDatabase(toCountedExportMessage),
    ImportData: importDatabase(toImportMessage),
    exportData: legacy('export'),
    importData: legacy('import'),
    BackupDatabase: (call: Call) => {
      const req = call.request as BackupRequest;
      if (!guard(call) || !required(call, req.database, 'database') || !required(call, req.directory, 'directory')) return;
      runStreaming(call, (_onProgress, cancelled) => jobs.backupDatabase({ database: req.database, directory: req.directory }, cancelled), (_p, final) => ({ done: final }));
    },
  };
}
