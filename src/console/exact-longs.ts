// Longs read exactly. The protocol's generated code reads a sint64 field through a JS number, which rounds beyond
// 2^53: the console printed the attribute 9007199254740993 as 9007199254740992, and fetched 2^63 − 1 as
// 9.223372036854776E18, where TypeDB's console prints every long exactly. In the console's process, sint64 fields
// (the protocol's longs, and datetimes, whose milliseconds are always safe integers) are read from their decimal
// text instead: a safe integer stays a number, anything beyond becomes a bigint, which the printer prints digit
// for digit. (Only the console's process: the driver's users elsewhere get what the driver gives.)
import { BinaryReader } from 'google-protobuf';

let installed = false;

export function readLongsExactly(): void {
  if (installed) return;
  installed = true;
  BinaryReader.prototype.readSint64 = function readSint64(this: BinaryReader): number {
    const text = this.readSint64String();
    const value = Number(text);
    // Typed as a number, as the generated code expects; only the printer looks at a value this large.
    return Number.isSafeInteger(value) ? value : (BigInt(text) as unknown as number);
  };
}
