// The on-disk encoding version of a database directory. Bump it whenever a key layout or value codec changes;
// a server refuses databases whose version it does not support (see docs/migration.md).
export const ENCODING_VERSION = 1;
export const SUPPORTED_ENCODING_VERSIONS: readonly number[] = [1];
