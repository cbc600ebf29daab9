// Cucumber parameter types of the TypeDB 2.x behaviour suite (the Node driver's set; reference/behaviour-steps.md §1).
import { defineParameterType } from '@cucumber/cucumber';
import type { TransactionType } from '../src/database/api.js';
import type { ValueType } from '../src/common/values.js';
import type { TypeRoot } from '../src/concept/concepts.js';

/** A concept-API datetime literal `1990-01-01 11:22:33`: zone-free, as epoch milliseconds of that UTC-naive time. */
export function parseStepDatetime(text: string): number {
  const [date, time] = text.split(' ');
  const millis = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(millis)) throw new Error(`invalid datetime in step: ${text}`);
  return millis;
}

export function parseBool(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`expected true or false, got ${text}`);
}

defineParameterType({ name: 'bool', regexp: /true|false/, transformer: parseBool });

defineParameterType({ name: 'number', regexp: /[0-9]+/, transformer: (s: string) => Number(s) });

defineParameterType({
  name: 'datetime',
  regexp: /\d\d\d\d-\d\d-\d\d \d\d:\d\d:\d\d/,
  transformer: parseStepDatetime,
});

defineParameterType({ name: 'Timezone', regexp: /[A-Za-z]+\/[A-Za-z]+/, transformer: (s: string) => s });

defineParameterType({ name: 'words', regexp: /[\w_-]+/, transformer: (s: string) => s });

defineParameterType({
  name: 'root_label',
  regexp: /entity|attribute|relation|thing/,
  transformer: (s: string) => s as TypeRoot,
});

defineParameterType({ name: 'scoped_label', regexp: /[a-zA-Z0-9_-]+:[a-zA-Z0-9_-]+/, transformer: (s: string) => s });

defineParameterType({
  name: 'value_type',
  regexp: /long|double|string|boolean|datetime/,
  transformer: (s: string) => s as ValueType,
});

/** Concept-API variables (`$a`); the world keys them by the name without `$`. */
defineParameterType({ name: 'var', regexp: /\$([a-zA-Z0-9]+)/, transformer: (name: string) => name });

defineParameterType({ name: 'type_label', regexp: /[a-zA-Z0-9_-]+/, transformer: (s: string) => s });

defineParameterType({
  name: 'annotations',
  regexp: /(\s*([\w_-]+,\s*)*[\w_-]*\s*)/,
  transformer: (s: string) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a.length > 0),
});

defineParameterType({
  name: 'transaction_type',
  regexp: /read|write/,
  transformer: (s: string) => s as TransactionType,
});
