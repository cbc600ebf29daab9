// Templated queries: `<answer.x.iid>` is replaced by the IID of the thing bound to x in a previous answer.
import { isThing, type ConceptMap } from '../../src/concept/concepts.js';

export function applyTemplate(template: string, answer: ConceptMap): string {
  return template.replace(/<(.+?)>/g, (_match, placeholder: string) => {
    if (!placeholder.endsWith('.iid')) {
      throw new Error(`cannot fill template placeholder <${placeholder}>: only <answer.VAR.iid> is supported`);
    }
    const variable = placeholder.slice(0, -'.iid'.length).replace(/^answer\./, '');
    const concept = answer.get(variable);
    if (concept === undefined) throw new Error(`no IID available for template placeholder <${placeholder}>`);
    if (!isThing(concept)) throw new TypeError(`cannot apply IID templating to a ${concept.kind} (<${placeholder}>)`);
    return concept.iid;
  });
}
