// What the Concept API needs from the transaction it runs in. Accessors, not values: a rollback replaces the
// transaction's view, writer and (in schema transactions) its copy of the schema.
import type { InstanceChecks, SchemaType, TypeGraph } from '../../schema/index.js';
import type { ThingReader } from '../things.js';
import type { ThingWriter } from '../thing-writer.js';

export interface ConceptContext {
  /** The schema this transaction sees (its private copy in a schema write transaction). */
  schema(): TypeGraph;
  /** Reads of things in this transaction's view. */
  things(): ThingReader;
  /** The schema to mutate; throws the transaction's error unless this is a schema write transaction. */
  schemaWriter(): TypeGraph;
  /**
   * The thing writer; throws the transaction's error unless this is a write transaction of a data session, or of a
   * schema session (whose commit then fails, as TypeDB's does when such a transaction wrote data).
   */
  dataWriter(): ThingWriter;
  /** Throws the transaction's error when `type` was created by this transaction: its instances wait for its commit. */
  assertTypeCommitted(type: SchemaType): void;
  /** Data checks for schema mutations, over this transaction's view. */
  instanceChecks(): InstanceChecks;
}
