// LogicManager and Rule requests inside a transaction stream, answered by the engine's rule API
// (Transaction.concepts().rules), so that the driver sees the same validation and errors as `define` gives:
// get_rule, put_rule, get_rules (streamed in parts), and a rule's delete and set_label.
import { TransactionRes, TransactionResPart } from 'typedb-protocol/proto/transaction.js';
import {
  LogicManagerGetRuleRes,
  LogicManagerGetRulesResPart,
  LogicManagerPutRuleRes,
  LogicManagerRes,
  LogicManagerResPart,
  RuleDeleteRes,
  RuleRes,
  RuleSetLabelRes,
  type LogicManagerReq,
  type RuleReq,
} from 'typedb-protocol/proto/logic.js';
import type { Transaction } from '../database/api.js';
import { streamConcepts } from './concept-queries.js';
import { ServerErrors } from './errors.js';
import { encodeRule } from './logic-encoding.js';
import type { RequestOutcome } from './query-requests.js';

export function runLogicManagerRequest(tx: Transaction, reqId: Uint8Array, req: LogicManagerReq, prefetchSize: number): RequestOutcome {
  const rules = tx.concepts().rules;
  switch (req.req) {
    case 'get_rule_req': {
      const rule = rules.get(req.get_rule_req.label);
      return logicRes(reqId, new LogicManagerRes({ get_rule_res: rule ? new LogicManagerGetRuleRes({ rule: encodeRule(rule) }) : new LogicManagerGetRuleRes() }));
    }
    case 'put_rule_req': {
      const { label, when, then } = req.put_rule_req;
      return logicRes(reqId, new LogicManagerRes({ put_rule_res: new LogicManagerPutRuleRes({ rule: encodeRule(rules.put(label, when, then)) }) }));
    }
    case 'get_rules_req':
      return streamConcepts(
        reqId,
        rules.all(),
        encodeRule,
        (id, batch) => new TransactionResPart({ req_id: id, logic_manager_res_part: new LogicManagerResPart({ get_rules_res_part: new LogicManagerGetRulesResPart({ rules: batch }) }) }),
        prefetchSize,
        (rule) => 32 + 3 * (rule.label.length + rule.when.length + rule.then.length),
      );
    default:
      throw ServerErrors.missingRequest(`logic_manager_req.${req.req}`);
  }
}

export function runRuleRequest(tx: Transaction, reqId: Uint8Array, req: RuleReq): RequestOutcome {
  const rules = tx.concepts().rules;
  // As TypeDB's RuleService: a request on a rule not (or no longer) in the transaction.
  if (!rules.get(req.label)) throw ServerErrors.missingConcept('rule', req.label);
  switch (req.req) {
    case 'rule_delete_req':
      rules.delete(req.label);
      return ruleRes(reqId, new RuleRes({ rule_delete_res: new RuleDeleteRes() }));
    case 'rule_set_label_req':
      rules.setLabel(req.label, req.rule_set_label_req.label);
      return ruleRes(reqId, new RuleRes({ rule_set_label_res: new RuleSetLabelRes() }));
    default:
      throw ServerErrors.missingRequest(`rule_req.${req.req}`);
  }
}

function logicRes(reqId: Uint8Array, res: LogicManagerRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, logic_manager_res: res }) };
}

function ruleRes(reqId: Uint8Array, res: RuleRes): RequestOutcome {
  return { kind: 'single', res: new TransactionRes({ req_id: reqId, rule_res: res }) };
}
