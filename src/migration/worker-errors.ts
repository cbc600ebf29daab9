// Errors crossing a worker-thread boundary of an import or export, with their class, code and text intact
// (structured cloning would turn a StrataError into a plain Error).

import { StrataError } from '../common/errors.js';
import { CodecError, type CodecErrorCode } from './codec/errors.js';
import { MigrationError } from './errors.js';

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly byteOffset?: number;
  /** A system error's code (ENOSPC, EIO, …). */
  readonly systemCode?: string;
  readonly stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  const error = e instanceof Error ? e : new Error(String(e));
  return {
    name: error.name,
    message: error.message,
    code: error instanceof StrataError ? error.code : undefined,
    byteOffset: error instanceof CodecError ? error.byteOffset : undefined,
    systemCode: systemCode(error),
    stack: error.stack,
  };
}

/** The same error class, code and text as in the worker. */
export function deserializeError(remote: SerializedError): Error {
  let error: Error;
  const number = remote.code === undefined ? NaN : Number(remote.code.slice(3));
  if (remote.name === 'CodecError' && Number.isFinite(number)) error = new CodecError(number as CodecErrorCode, '', remote.byteOffset);
  else if (remote.name === 'MigrationError' && Number.isFinite(number)) error = new MigrationError(number as never, '');
  else if (remote.code !== undefined && Number.isFinite(number)) error = new StrataError(remote.code.slice(0, 3) as never, number, '');
  else error = new Error('');
  error.message = remote.message;
  if (remote.systemCode !== undefined) (error as NodeJS.ErrnoException).code = remote.systemCode;
  if (remote.stack !== undefined) error.stack = remote.stack;
  return error;
}

/** The code of a system error (Node's `code` such as 'ENOSPC'), undefined for other errors. */
export function systemCode(error: unknown): string | undefined {
  if (error instanceof StrataError || !(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
