// The harness engine of this process, chosen by the runner through $STRATA_CONFORMANCE_VIA (`embedded`, the default,
// or `driver`). It is kept on globalThis: the worker and the support code cucumber imports must share the one
// instance (and with it the driver mode's server process), whichever module URL each imported it under.
import { DriverEngine } from './driver.js';
import { EmbeddedEngine } from './embedded.js';
import type { HarnessEngine } from './harness-engine.js';
import { VIA_VARIABLE, parseVia } from './via.js';

export type * from './harness-engine.js';
export { VIA_VARIABLE, parseVia };

const KEY = Symbol.for('strata.conformance.engine');
type Holder = { [KEY]?: HarnessEngine };

export function harnessEngine(): HarnessEngine {
  const holder = globalThis as Holder;
  holder[KEY] ??= parseVia(process.env[VIA_VARIABLE]) === 'driver' ? new DriverEngine() : new EmbeddedEngine();
  return holder[KEY];
}

/** Releases the engine if this process created one (the worker calls this before it exits). */
export async function shutdownHarnessEngine(): Promise<void> {
  const holder = globalThis as Holder;
  const engine = holder[KEY];
  delete holder[KEY];
  await engine?.shutdown();
}
