// Longs read exactly from protocol messages. The protocol's generated code reads a sint64 field through a JS
// number, which rounds beyond 2^53: the console printed the attribute 9007199254740993 as 9007199254740992 (and
// fetched 2^63 − 1 as 9.223372036854776E18), and a server given 9007199254740993 by a Java or Python driver's
// `put` stored 9007199254740992. Installed by a process that only reads such messages for itself (the console,
// the server), sint64 fields (the protocol's longs, and datetimes, whose milliseconds are always safe integers)
// are read from their decimal text instead: a safe integer stays a number, anything beyond becomes a bigint. Not
// installed elsewhere: a program using `typedb-driver` itself gets numbers, as the driver gives them.
import { BinaryReader } from 'google-protobuf';

let installed = false;

export function readLongsExactly(): void {
  if (installed) return;
  installed = true;
  BinaryReader.prototype.readSint64 = function readSint64(this: BinaryReader): number {
    const text = this.readSint64String();
    const value = Number(text);
    // Typed as a number, as the generated code expects; the readers of a long (the console's printer, the
    // server's decodeValue) take a bigint too.
    return Number.isSafeInteger(value) ? value : (BigInt(text) as unknown as number);
  };
}
