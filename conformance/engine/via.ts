// How the harness reaches the engine, as the runner passes it to its workers (no engine code here: the runner
// process itself never loads an engine or the driver).
import type { EngineVia } from './harness-engine.js';

export type { EngineVia };

/** The variable the runner sets for its workers: `embedded` (default) or `driver`. */
export const VIA_VARIABLE = 'STRATA_CONFORMANCE_VIA';

export function parseVia(text: string | undefined): EngineVia {
  if (text === undefined || text === '' || text === 'embedded') return 'embedded';
  if (text === 'driver') return 'driver';
  throw new Error(`unknown engine mode '${text}': expected embedded or driver`);
}
