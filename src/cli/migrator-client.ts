// The CLI side of export/import/backup: a plaintext gRPC client of the server's migrator service on
// localhost:<port>, as TypeDB's CLI does (the server reads and writes the files).
import { credentials, makeGenericClientConstructor, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { MIGRATOR_SERVICE, type ExportProgressMessage, type ImportProgressMessage } from '../server/migrator/protocol.js';
import type { MigrationProgress } from '../server/migrator/jobs.js';

type Method = keyof typeof MIGRATOR_SERVICE;
const MigratorClient = makeGenericClientConstructor(MIGRATOR_SERVICE, 'Migrator');

export function fromProgressMessage(m: Partial<ImportProgressMessage & ExportProgressMessage>): MigrationProgress {
  const c = (current = 0, total = 0) => ({ current: Number(current), total: Number(total) });
  return {
    initialising: m.initialising ?? false,
    attributes: c(m.attributes_current, m.attributes),
    entities: c(m.entities_current, m.entities),
    relations: c(m.relations_current, m.relations),
    ownerships: c(m.ownerships_current, m.ownerships),
    roles: c(m.roles_current, m.roles),
  };
}

/** Calls one streaming RPC; resolves when the server completes it, rejects with a user-facing message. */
export function callMigrator(port: number, method: Method, request: object, onMessage: (m: Record<string, unknown>) => void): Promise<void> {
  const address = `localhost:${port}`;
  const client = new MigratorClient(address, credentials.createInsecure());
  return new Promise<void>((resolve, reject) => {
    const call = (client as unknown as Record<Method, (req: object) => ClientReadableStream<Record<string, unknown>>>)[method](request);
    call.on('data', onMessage);
    call.on('error', (e: ServiceError) => {
      client.close();
      if (e.code === status.UNAVAILABLE) {
        reject(new Error(`No server is listening on ${address}. Start it with 'strata server' (or pass --port=<port> of the running server).`));
      } else if (e.code === status.UNIMPLEMENTED) {
        reject(new Error(`The server on ${address} does not offer '${method}': is it a Strata server (or TypeDB 2.19+)?`));
      } else {
        reject(new Error(e.details || e.message));
      }
    });
    call.on('end', () => {
      client.close();
      resolve();
    });
  });
}
