// Makes typedb-driver@2.29.7 usable inside this repository. Strata depends on @grpc/grpc-js 1.14, so npm cannot
// hoist the driver's pinned 1.9.0 and installs two separate copies (under typedb-driver/ and typedb-protocol/).
// The driver then creates channel credentials with one copy and hands them to the other copy's client, which
// rejects them ("Channel credentials must be a ChannelCredentials object"). Projects that install only the driver
// get a single hoisted copy and never see this. The proper fix is in package.json (an `overrides` entry or a
// shared grpc-js version); until then, this module — imported before typedb-driver — points both packages at the
// same copy. It must stay the first import of any file that loads the driver.
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const protocolDir = dirname(require.resolve('typedb-protocol/package.json'));
const shared = createRequire(join(protocolDir, 'package.json')).resolve('@grpc/grpc-js');

type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
const driverPackages = /node_modules[\\/]typedb-(driver|protocol)[\\/]/;

loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
  if (request === '@grpc/grpc-js' && parent?.filename && driverPackages.test(parent.filename)) return shared;
  return original.call(this, request, parent, ...rest);
};
