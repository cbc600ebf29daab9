// The statements of a write clause about one variable merge as TypeDB's variable registry merges them: a variable
// takes one `isa` and one relation constraint, which further statements may only repeat identically.
import type { ThingStatement } from '../typeql/ast.js';
import { printPatterns, printTypeRef } from '../typeql/index.js';
import { StrataError } from '../common/errors.js';

export class VariableConstraints {
  /** Per variable, its `isa` (as written, `isa!` included) and the type it names. */
  private readonly isas = new Map<string, { written: string; type: string }>();
  /** Per variable, its relation constraint as text. */
  private readonly relations = new Map<string, string>();

  /** Adds the `isa` and relation of a statement about `name`: [QRY09] or [QRY10] when they contradict earlier ones. */
  add(name: string, s: ThingStatement): void {
    if (s.isa) {
      const type = printTypeRef(s.isa.type);
      const written = `${s.isa.explicit ? 'isa!' : 'isa'} ${type}`;
      const earlier = this.isas.get(name);
      if (earlier !== undefined && earlier.written !== written) {
        throw new StrataError('QRY', 9, `The thing variable '$${name}' has multiple 'isa' constraints, '${type}' and '${earlier.type}'.`);
      }
      this.isas.set(name, { written, type });
    }
    if (s.relation) {
      const relation = printPatterns([{ ...s, isa: undefined, iid: undefined, has: [], predicate: undefined }]);
      const earlier = this.relations.get(name);
      if (earlier !== undefined && earlier !== relation) {
        throw new StrataError('QRY', 10, `The relation variable '$${name}' has multiple 'relation' constraints`);
      }
      this.relations.set(name, relation);
    }
  }
}
