// The `migrator.Migrator` gRPC service of TypeDB 2.x (reference: export-format.md §10), in all three RPC-name
// generations so that any 2.x `typedb server export|import` client can drive Strata, plus Strata's own
// BackupDatabase. Messages are defined from their .proto shapes with protobufjs; the service definitions are
// built for grpc-js by hand because the official typedb-protocol package does not ship the migrator.
import protobuf from 'protobufjs';
import type { ServiceDefinition } from '@grpc/grpc-js';

const MIGRATOR_PROTO = `
syntax = "proto3";
package migrator;

// 2.0.0 – 2.2.x
message ExportData { message Req { string database = 1; string filename = 2; } }
message ImportData { message Req { string database = 1; string filename = 2; map<string, string> remap_labels = 3; } }
message Job {
  message Res { Progress progress = 1; }
  message Progress { uint64 total = 1; uint64 current = 2; }
}

// 2.3.0 – 2.29.1 (2.3 – 2.18 send only database and filename, which is field 2 like data_file)
message Export {
  message Req { string database = 1; string data_file = 2; string schema_file = 3; }
  message Progress {
    uint64 attributes_current = 1; uint64 attributes = 2; uint64 entities_current = 3;
    uint64 entities = 4; uint64 relations_current = 5; uint64 relations = 6;
    // Strata's: the ownerships and role players written, so that the export's summary names all five checksums.
    // TypeDB's clients skip these fields; from TypeDB's servers they are absent (edges_counted false).
    uint64 ownerships_current = 7; uint64 roles_current = 8; bool edges_counted = 9;
  }
}
message Import {
  message Req { string database = 1; string data_file = 2; string schema_file = 3; }
  message Progress {
    bool initialising = 1; uint64 attributes_current = 2; uint64 attributes = 3;
    uint64 entities_current = 4; uint64 entities = 5; uint64 relations_current = 6;
    uint64 relations = 7; uint64 ownerships_current = 8; uint64 ownerships = 9;
    uint64 roles_current = 10; uint64 roles = 11;
  }
}

// Strata: online backup (TypeDB 2.x needs the server stopped to copy a database).
message Backup {
  message Req { string database = 1; string directory = 2; }
  message Progress { bool done = 1; }
}
`;

const root = protobuf.parse(MIGRATOR_PROTO, { keepCase: true }).root;
const type = (name: string) => root.lookupType(`migrator.${name}`);

export const Messages = {
  exportDataReq: type('ExportData.Req'),
  importDataReq: type('ImportData.Req'),
  jobRes: type('Job.Res'),
  exportReq: type('Export.Req'),
  exportProgress: type('Export.Progress'),
  importReq: type('Import.Req'),
  importProgress: type('Import.Progress'),
  backupReq: type('Backup.Req'),
  backupProgress: type('Backup.Progress'),
} as const;

export interface ExportRequest {
  readonly database: string;
  readonly data_file: string;
  readonly schema_file: string;
}
export type ImportRequest = ExportRequest;
export interface BackupRequest {
  readonly database: string;
  readonly directory: string;
}

export interface ExportProgressMessage {
  attributes_current: number;
  attributes: number;
  entities_current: number;
  entities: number;
  relations_current: number;
  relations: number;
}

/** Export.Progress as Strata sends it: TypeDB's fields and Strata's counts of ownerships and role players. */
export interface CountedExportProgressMessage extends ExportProgressMessage {
  ownerships_current: number;
  roles_current: number;
  edges_counted: boolean;
}

export interface ImportProgressMessage extends ExportProgressMessage {
  initialising: boolean;
  ownerships_current: number;
  ownerships: number;
  roles_current: number;
  roles: number;
}

function codec<T extends object>(message: protobuf.Type) {
  return {
    serialize: (value: T): Buffer => Buffer.from(message.encode(message.fromObject(value as Record<string, unknown>)).finish()),
    deserialize: (bytes: Buffer): T =>
      message.toObject(message.decode(bytes), { longs: Number, defaults: true }) as T,
  };
}

function serverStream<Req extends object, Res extends object>(path: string, request: protobuf.Type, response: protobuf.Type) {
  const req = codec<Req>(request);
  const res = codec<Res>(response);
  return {
    path,
    requestStream: false,
    responseStream: true,
    requestSerialize: req.serialize,
    requestDeserialize: req.deserialize,
    responseSerialize: res.serialize,
    responseDeserialize: res.deserialize,
  };
}

/** The RPCs a 2.19+ client calls; the CLI uses this one. */
export const MIGRATOR_SERVICE = {
  ExportDatabase: serverStream<ExportRequest, ExportProgressMessage>('/migrator.Migrator/ExportDatabase', Messages.exportReq, Messages.exportProgress),
  ImportDatabase: serverStream<ImportRequest, ImportProgressMessage>('/migrator.Migrator/ImportDatabase', Messages.importReq, Messages.importProgress),
  BackupDatabase: serverStream<BackupRequest, { done: boolean }>('/migrator.Migrator/BackupDatabase', Messages.backupReq, Messages.backupProgress),
} as const;

/** Every generation's RPC names, all served on the same port as the TypeDB service. */
export const MIGRATOR_SERVICE_ALL_GENERATIONS = {
  ...MIGRATOR_SERVICE,
  // 2.3.0 – 2.18.x
  ExportData: serverStream<ExportRequest, ExportProgressMessage>('/migrator.Migrator/ExportData', Messages.exportReq, Messages.exportProgress),
  ImportData: serverStream<ImportRequest, ImportProgressMessage>('/migrator.Migrator/ImportData', Messages.importReq, Messages.importProgress),
  // 2.0.0 – 2.2.x
  exportData: serverStream<{ database: string; filename: string }, { progress: { total: number; current: number } }>(
    '/migrator.Migrator/exportData',
    Messages.exportDataReq,
    Messages.jobRes,
  ),
  importData: serverStream<{ database: string; filename: string }, { progress: { total: number; current: number } }>(
    '/migrator.Migrator/importData',
    Messages.importDataReq,
    Messages.jobRes,
  ),
} satisfies ServiceDefinition;
