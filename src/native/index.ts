// Loads Strata's native module (native/, built by `npm ci` with node-gyp): the few hot loops of bulk import and
// export that a benchmark showed JavaScript could not run fast enough. Loaded once per thread, on first use.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { StrataError } from '../common/errors.js';

/** Bumped with STRATA_NATIVE_ABI in native/src/abi.c whenever a kernel's signature changes. */
const EXPECTED_ABI = 1;

/** The functions the native module exports; each kernel's file documents its own. */
export interface NativeModule {
  abi(): number;
}

// From dist/src/native/index.js to the package's root.
const MODULE_PATH = fileURLToPath(new URL('../../../native/build/Release/strata_native.node', import.meta.url));

let loaded: NativeModule | undefined;

export function nativeModule(): NativeModule {
  if (loaded !== undefined) return loaded;
  let module: NativeModule;
  try {
    module = createRequire(import.meta.url)(MODULE_PATH) as NativeModule;
  } catch (e) {
    throw new StrataError(
      'INT',
      8,
      `Strata's native module could not be loaded from '${MODULE_PATH}' (${(e as Error).message.split('\n')[0]}). ` +
        'Build it with `npm ci` or `npm run build:native` (needs python3, make and a C compiler).',
    );
  }
  if (module.abi() !== EXPECTED_ABI) {
    throw new StrataError(
      'INT',
      8,
      `Strata's native module at '${MODULE_PATH}' was built from other sources (interface ${module.abi()}, ` +
        `expected ${EXPECTED_ABI}). Rebuild it with \`npm run build:native\`.`,
    );
  }
  loaded = module;
  return module;
}
