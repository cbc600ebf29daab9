// The server layer: the TypeDB 2.x gRPC protocol over the embedded database API.
export { StrataServer, splitAddress, type ServerConfig } from './server.js';
export { SessionRegistry, type RegistryStats } from './sessions.js';
export type { ServerLog } from './transaction-stream.js';
