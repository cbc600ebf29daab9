// A Value message whose long is written exactly. The protocol's generated code writes a sint64 through a JS
// number: above 2^53 it rounds, and at the ends of the long range (2^63 − 1 rounds to 2^63) the write fails and
// the whole answer with it. google-protobuf can write a sint64 from its decimal text instead, which is exact, so
// drivers that read int64 exactly (Java, Python) get the stored value. (The Node.js driver reads a number.)
import { BinaryWriter } from 'google-protobuf';
import { Value as ValueProto } from 'typedb-protocol/proto/concept.js';

/** The field number of `long` in the Value message (concept.proto). */
const LONG_FIELD = 3;

export class ExactLongValue extends ValueProto {
  constructor(private readonly exact: bigint) {
    super({ long: Number(exact) });
  }

  override serialize(): Uint8Array;
  override serialize(w: BinaryWriter): void;
  override serialize(w?: BinaryWriter): Uint8Array | void {
    const writer = w ?? new BinaryWriter();
    writer.writeSint64String(LONG_FIELD, this.exact.toString());
    if (!w) return writer.getResultBuffer();
  }
}
