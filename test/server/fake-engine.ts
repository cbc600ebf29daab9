// A deterministic in-memory stand-in for the embedded API, for protocol tests that must not depend on the
// engine's query semantics: lazy answer streams of any length, failures in the middle of a stream, and counts of
// open engine transactions. Queries must still be valid TypeQL (the server parses them to check their kind);
// the fake looks only at a few words:
//   get:             `match $x isa item; get; limit N;` → N answers {x: entity}, produced lazily
//                    `match $x isa failing; get; limit N;` → 3 answers, then a StrataError
//   insert:          one answer {x: entity} per query
//   aggregate:       count → the number of inserted things (long); other methods → empty
//   group:           two groups; group-aggregate: two groups with values
//   fetch:           one answer in the engine's JSON shape
//   any query naming the label `broken` throws a StrataError when run
import type { Steps, WaitingSteps } from '../../src/common/steps.js';
import type { Concept, ConceptMap, ThingConcept, TypeConcept, AttributeConcept } from '../../src/concept/concepts.js';
import type { ConceptApi } from '../../src/concept/api/index.js';
import type {
  DatabaseManagerApi,
  JSONValue,
  QueryResult,
  Explanation,
  Session,
  SessionType,
  Transaction,
  TransactionOptions,
  TransactionType,
} from '../../src/database/api.js';
import { StrataError } from '../../src/common/errors.js';

const personType: TypeConcept = { kind: 'type', root: 'entity', label: { name: 'person' }, abstract: false };
const nameType: TypeConcept = { kind: 'type', root: 'attribute', label: { name: 'name' }, abstract: false, valueType: 'string' };

export class FakeEngine implements DatabaseManagerApi {
  readonly databases = new Map<string, { schema: string; things: number }>();
  openTransactions = 0;
  closed = false;

  create(name: string): void {
    if (this.databases.has(name)) throw new StrataError('DBS', 4, `The database with the name '${name}' already exists.`);
    this.databases.set(name, { schema: '', things: 0 });
  }
  contains(name: string): boolean {
    return this.databases.has(name);
  }
  all(): string[] {
    return [...this.databases.keys()].sort();
  }
  delete(name: string): void {
    this.db(name);
    this.databases.delete(name);
  }
  schema(database: string): string {
    return this.db(database).schema;
  }
  close(): void {
    this.closed = true;
  }
  private db(name: string) {
    const db = this.databases.get(name);
    if (!db) throw new StrataError('DBS', 6, `The database with the name '${name}' does not exist.`);
    return db;
  }

  session(database: string, type: SessionType): Session {
    const db = this.db(database);
    const engine = this;
    let open = true;
    return {
      type,
      databaseName: database,
      isOpen: () => open,
      close: () => {
        open = false;
      },
      transaction(txType: TransactionType, _options?: TransactionOptions): Transaction {
        if (!open) throw new StrataError('SSN', 2, 'The session has been closed.');
        engine.openTransactions++;
        return new FakeTransaction(engine, db, type, txType);
      },
    };
  }
}

let nextIid = 1;

function entity(): ThingConcept {
  return { kind: 'entity', iid: '0x' + (nextIid++).toString(16).padStart(24, '0'), type: personType, inferred: false };
}

class FakeTransaction implements Transaction {
  private open = true;
  private pendingThings = 0;

  constructor(
    private readonly engine: FakeEngine,
    private readonly db: { schema: string; things: number },
    readonly sessionType: SessionType,
    readonly type: TransactionType,
  ) {}

  isOpen(): boolean {
    return this.open;
  }

  private fail(error: StrataError): never {
    this.close();
    throw error;
  }

  // eslint-disable-next-line require-yield
  *queryInSteps(text: string): Steps<QueryResult> {
    return this.query(text);
  }

  query(text: string): QueryResult {
    if (!this.open) throw new StrataError('TXN', 5, 'The transaction has been closed and no further operation is allowed.');
    if (/\bbroken\b/.test(text)) this.fail(new StrataError('QRY', 1, 'The type label \'broken\' was not found.'));
    const limit = Number(/limit (\d+)/.exec(text)?.[1] ?? '1');
    if (/^\s*define/.test(text)) {
      if (this.sessionType !== 'schema') this.fail(new StrataError('TXN', 12, 'Attempted schema writes when session type does not allow.'));
      this.db.schema = (this.db.schema ? this.db.schema + '\n' : '') + text.trim();
      return { kind: 'define' };
    }
    if (/^\s*insert/.test(text)) {
      if (this.type !== 'write') this.fail(new StrataError('TXN', 8, 'Attempted data writes when transaction type does not allow.'));
      this.pendingThings++;
      return { kind: 'insert', answers: [new Map<string, Concept>([['x', entity()]])] };
    }
    if (/group \$\w+;\s*count;/.test(text) || /group \$\w+; (max|min|sum)/.test(text)) {
      return { kind: 'group-aggregate', groups: [{ owner: personType, value: { type: 'long', value: 2n } }, { owner: nameType, value: undefined }] };
    }
    if (/group \$/.test(text)) {
      const owner: AttributeConcept = { kind: 'attribute', iid: '0x0a01', type: nameType, inferred: false, value: { type: 'string', value: 'Alice' } };
      return { kind: 'group', groups: [{ owner, answers: [new Map([['x', entity()]])] }] };
    }
    if (/\bcount;/.test(text)) return { kind: 'aggregate', value: { type: 'long', value: BigInt(this.db.things + this.pendingThings) } };
    if (/\b(max|min|sum|mean|median|std) \$/.test(text) && !/group/.test(text)) return { kind: 'aggregate', value: undefined };
    if (/\bfetch\b/.test(text)) {
      const answer: JSONValue = {
        p: {
          type: { label: 'person', root: 'entity' },
          name: [{ value: 'Alice', type: { label: 'name', root: 'attribute', value_type: 'string' } }],
          born: [{ value: '2001-02-03T04:05:06.007', type: { label: 'born', root: 'attribute', value_type: 'datetime' } }],
        },
        n: { value: 2, value_type: 'long' },
        missing: null,
      };
      return { kind: 'fetch', answers: [answer] };
    }
    const failing = /isa failing/.test(text);
    const self = this;
    return {
      kind: 'get',
      answers: {
        *[Symbol.iterator](): Iterator<ConceptMap> {
          for (let i = 0; i < limit; i++) {
            if (failing && i === 3) self.fail(new StrataError('QRY', 2, 'The answer stream failed while being iterated.'));
            yield new Map<string, Concept>([['x', entity()]]);
          }
        },
      },
    };
  }

  explain(explainableId: number): Explanation[] {
    return this.fail(new StrataError('RSN', 9, `There is no explainable with id ${explainableId} in this transaction.`));
  }

  ownedAttributes(): AttributeConcept[] {
    return [{ kind: 'attribute', iid: '0x0a01', type: nameType, inferred: false, value: { type: 'string', value: 'Alice' } }];
  }

  concepts(): ConceptApi {
    throw new StrataError('TXN', 1, 'The fake engine has no Concept API.');
  }

  // eslint-disable-next-line require-yield
  *conceptsInSteps<T>(call: (api: ConceptApi) => T): Steps<T> {
    return call(this.concepts());
  }

  commit(): void {
    if (!this.open) throw new StrataError('TXN', 5, 'The transaction has been closed and no further operation is allowed.');
    if (this.type === 'read') this.fail(new StrataError('TXN', 6, 'Only write transactions can be committed.'));
    this.db.things += this.pendingThings;
    this.close();
  }

  // eslint-disable-next-line require-yield -- the fake's commit has nothing to pause for
  *commitInSteps(): WaitingSteps<void> {
    this.commit();
  }

  rollback(): void {
    this.pendingThings = 0;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.engine.openTransactions--;
  }
}
