// How Strata names itself in `--version` and the startup banner.
import { STRATA_VERSION, TYPEDB_COMPATIBLE_VERSION } from '../common/version.js';

export const VERSION_TEXT = `Strata ${STRATA_VERSION} (TypeDB ${TYPEDB_COMPATIBLE_VERSION} compatible)`;
