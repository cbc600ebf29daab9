// QueryManager requests: run one TypeQL query on the engine transaction and shape the result as the single
// response or the answer stream that the driver's method (query.get, query.insert, …) expects.
import type { Pending, Steps } from '../common/steps.js';
import type { QueryManagerReq } from 'typedb-protocol/proto/query.js';
import {
  QueryManagerDefineRes,
  QueryManagerDeleteRes,
  QueryManagerExplainResPart,
  QueryManagerFetchResPart,
  QueryManagerGetAggregateRes,
  QueryManagerGetGroupAggregateResPart,
  QueryManagerGetGroupResPart,
  QueryManagerGetResPart,
  QueryManagerInsertResPart,
  QueryManagerRes,
  QueryManagerResPart,
  QueryManagerUndefineRes,
  QueryManagerUpdateResPart,
} from 'typedb-protocol/proto/query.js';
import { TransactionRes, TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import type { ConceptMap as ConceptMapProto, ConceptMapGroup, ReadableConceptTree, ValueGroup } from 'typedb-protocol/proto/answer.js';
import type { Explanation } from 'typedb-protocol/proto/logic.js';
import { parseQuery } from '../typeql/index.js';
import type { Query } from '../typeql/index.js';
import type { QueryOptions, QueryResult, Transaction } from '../database/api.js';
import { StrataError } from '../common/errors.js';
import {
  encodeConceptMap,
  encodeConceptMapGroup,
  encodeFetchAnswer,
  encodeValue,
  encodeValueGroup,
  estimateConceptMapSize,
  estimateConceptSize,
  estimateJSONSize,
} from './answer-encoding.js';
import { AnswerStream, encodeAll, type EncodedAnswer } from './answer-stream.js';
import { encodeExplanation, estimateExplanationSize } from './logic-encoding.js';
import { ServerErrors } from './errors.js';

/** What a request produces: exactly one Res, or a stream of ResParts ending in DONE. */
export type RequestOutcome =
  | { readonly kind: 'single'; readonly res: TransactionRes }
  | { readonly kind: 'stream'; readonly stream: AnswerStream<unknown>; readonly prefetchByDefault: boolean };

type QueryRequestCase = Exclude<QueryManagerReq['req'], 'none' | 'explain_req'>;

/** The query kind each driver method accepts (TypeDB rejects e.g. an insert sent through `query.get`). */
const EXPECTED_KIND: Record<QueryRequestCase, Query['kind']> = {
  define_req: 'define',
  undefine_req: 'undefine',
  get_req: 'get',
  get_aggregate_req: 'get-aggregate',
  get_group_req: 'get-group',
  get_group_aggregate_req: 'get-group-aggregate',
  fetch_req: 'fetch',
  insert_req: 'insert',
  delete_req: 'delete',
  update_req: 'update',
};

const DRIVER_METHOD: Record<Query['kind'], string> = {
  define: 'define',
  undefine: 'undefine',
  get: 'get',
  'get-aggregate': 'getAggregate',
  'get-group': 'getGroup',
  'get-group-aggregate': 'getGroupAggregate',
  fetch: 'fetch',
  insert: 'insert',
  delete: 'delete',
  update: 'update',
};

function queryText(req: QueryManagerReq, which: QueryRequestCase): string {
  return (req[which] as { query: string }).query;
}

/**
 * Rejects a query sent through the wrong driver method before anything runs, so that an `insert` sent through
 * `query.get` fails without writing. The engine then runs the parse given here.
 */
function parseOfKind(text: string, which: QueryRequestCase): Query {
  const query = parseQuery(text);
  const actual = query.kind;
  const expected = EXPECTED_KIND[which];
  if (actual !== expected) {
    throw new StrataError(
      'TQL',
      4,
      `Illegal casting operation: a '${actual}' query was sent as a '${expected}' query. Use query.${DRIVER_METHOD[actual]}() for it.`,
    );
  }
  return query;
}

function unexpectedResult(result: QueryResult<Pending>, which: QueryRequestCase): never {
  throw new StrataError('INT', 6, `The engine answered a ${which} with a '${result.kind}' result.`);
}

function single(reqId: Uint8Array, res: QueryManagerRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, query_manager_res: res }) };
}

function stream<M>(
  reqId: Uint8Array,
  answers: Iterator<EncodedAnswer<M> | Pending>,
  toPart: (batch: M[]) => QueryManagerResPart,
  prefetchSize: number,
  isWrite: boolean,
): RequestOutcome {
  const answerStream = new AnswerStream<M>(
    reqId,
    answers,
    (id, batch) => new TransactionResPart({ req_id: id, query_manager_res_part: toPart(batch) }),
    prefetchSize,
  );
  return { kind: 'stream', stream: answerStream as AnswerStream<unknown>, prefetchByDefault: !isWrite };
}

/**
 * The request as work in steps (common/steps.ts): the query may pause while it computes. `options` are the query's
 * as cascaded over the transaction's (its `explain` is honoured per query, as TypeDB's reasoner reads it).
 */
export function* queryRequestSteps(
  tx: Transaction,
  reqId: Uint8Array,
  req: QueryManagerReq,
  prefetchSize: number,
  options: QueryOptions = {},
): Steps<RequestOutcome> {
  const which = req.req;
  if (which === 'none') throw ServerErrors.missingRequest('query_manager_req');
  if (which === 'explain_req') {
    return stream<Explanation>(
      reqId,
      encodeAll(tx.explain(req.explain_req.explainable_id), encodeExplanation, estimateExplanationSize),
      (explanations) => new QueryManagerResPart({ explain_res_part: new QueryManagerExplainResPart({ explanations }) }),
      prefetchSize,
      false,
    );
  }
  const text = queryText(req, which);
  const query = parseOfKind(text, which);
  const result = yield* tx.queryInSteps(text, options, query);
  switch (which) {
    case 'define_req':
      if (result.kind !== 'define') unexpectedResult(result, which);
      return single(reqId, new QueryManagerRes({ define_res: new QueryManagerDefineRes() }));
    case 'undefine_req':
      if (result.kind !== 'undefine') unexpectedResult(result, which);
      return single(reqId, new QueryManagerRes({ undefine_res: new QueryManagerUndefineRes() }));
    case 'delete_req':
      if (result.kind !== 'delete') unexpectedResult(result, which);
      return single(reqId, new QueryManagerRes({ delete_res: new QueryManagerDeleteRes() }));
    case 'get_aggregate_req': {
      if (result.kind !== 'aggregate') unexpectedResult(result, which);
      // An absent answer is how the driver learns that the aggregate is empty (e.g. the max of nothing).
      const res =
        result.value === undefined ? new QueryManagerGetAggregateRes() : new QueryManagerGetAggregateRes({ answer: encodeValue(result.value) });
      return single(reqId, new QueryManagerRes({ get_aggregate_res: res }));
    }
    case 'get_req':
      if (result.kind !== 'get') unexpectedResult(result, which);
      return stream<ConceptMapProto>(
        reqId,
        encodeAll(result.answers, (answer) => encodeConceptMap(answer, result.explainables?.(answer)), estimateConceptMapSize),
        (answers) => new QueryManagerResPart({ get_res_part: new QueryManagerGetResPart({ answers }) }),
        prefetchSize,
        false,
      );
    case 'insert_req':
      if (result.kind !== 'insert') unexpectedResult(result, which);
      return stream<ConceptMapProto>(
        reqId,
        encodeAll(result.answers, encodeConceptMap, estimateConceptMapSize),
        (answers) => new QueryManagerResPart({ insert_res_part: new QueryManagerInsertResPart({ answers }) }),
        prefetchSize,
        true,
      );
    case 'update_req':
      if (result.kind !== 'update') unexpectedResult(result, which);
      return stream<ConceptMapProto>(
        reqId,
        encodeAll(result.answers, encodeConceptMap, estimateConceptMapSize),
        (answers) => new QueryManagerResPart({ update_res_part: new QueryManagerUpdateResPart({ answers }) }),
        prefetchSize,
        true,
      );
    case 'get_group_req':
      if (result.kind !== 'group') unexpectedResult(result, which);
      return stream<ConceptMapGroup>(
        reqId,
        encodeAll(
          result.groups,
          (g) => encodeConceptMapGroup(g.owner, g.answers),
          (g) => g.answers.reduce((n, a) => n + estimateConceptMapSize(a), estimateConceptSize(g.owner)),
        ),
        (answers) => new QueryManagerResPart({ get_group_res_part: new QueryManagerGetGroupResPart({ answers }) }),
        prefetchSize,
        false,
      );
    case 'get_group_aggregate_req':
      if (result.kind !== 'group-aggregate') unexpectedResult(result, which);
      return stream<ValueGroup>(
        reqId,
        encodeAll(
          result.groups,
          (g) => encodeValueGroup(g.owner, g.value),
          (g) => estimateConceptSize(g.owner) + 32,
        ),
        (answers) => new QueryManagerResPart({ get_group_aggregate_res_part: new QueryManagerGetGroupAggregateResPart({ answers }) }),
        prefetchSize,
        false,
      );
    case 'fetch_req':
      if (result.kind !== 'fetch') unexpectedResult(result, which);
      return stream<ReadableConceptTree>(
        reqId,
        encodeAll(result.answers, encodeFetchAnswer, estimateJSONSize),
        (answers) => new QueryManagerResPart({ fetch_res_part: new QueryManagerFetchResPart({ answers }) }),
        prefetchSize,
        false,
      );
  }
}
