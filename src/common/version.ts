// The server's own version, reported by --version, in manifests and in export headers.
export const STRATA_VERSION = '0.1.0';
/** The TypeDB version whose behaviour and protocol Strata matches. */
export const TYPEDB_COMPATIBLE_VERSION = '2.29.1';
