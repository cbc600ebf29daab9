// Extracts every TypeQL query from the TypeDB 2.x behaviour feature files: the doc strings of steps that carry
// TypeQL, with Scenario Outlines expanded over their Examples rows and answer templates (`<answer.x.iid>`) filled
// with a dummy iid. Used by the parse/print round-trip test.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FeatureQuery {
  /** Path relative to the behaviour suite root, e.g. `query/language/match.feature`. */
  readonly file: string;
  /** 1-based line of the step that owns the doc string. */
  readonly line: number;
  /** The step text without its keyword. */
  readonly step: string;
  /** Index of the Examples row the query was expanded from, for Scenario Outlines. */
  readonly example?: number;
  readonly text: string;
  /** The step expects the query to fail (`…; throws exception`). */
  readonly throws: boolean;
  /** 1-based line of the Scenario (or Background) that holds the step: queries of one scenario share it. */
  readonly scenario: number;
  /** The step is in the file's Background, which runs before each of its scenarios. */
  readonly background: boolean;
}

const TYPEQL_STEP = /typeql|reasoning (schema|data|query)|verify answer set is equivalent for query|each answer satisfies/;
const STEP_KEYWORD = /^(Given|When|Then|And|But|\*)\s+/;
const DUMMY_IID = '0x0123456789abcdef';

/** The repository root: the nearest ancestor of this file holding a package.json (works from src and dist). */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the test file');
    dir = parent;
  }
  return dir;
}

export function behaviourSuiteRoot(): string {
  return resolve(repositoryRoot(), '../shared/conformance/typedb-behaviour-2.x');
}

export function featureFiles(dir: string = behaviourSuiteRoot()): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...featureFiles(path));
    else if (entry.name.endsWith('.feature')) files.push(path);
  }
  return files.sort();
}

interface Step {
  readonly line: number;
  readonly text: string;
  readonly doc: string;
}

interface Block {
  readonly line: number;
  readonly background: boolean;
  readonly outline: boolean;
  readonly steps: Step[];
  readonly examples: { header: string[]; rows: string[][] }[];
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

export function extractQueries(root = behaviourSuiteRoot()): FeatureQuery[] {
  const queries: FeatureQuery[] = [];
  for (const path of featureFiles(root)) {
    const file = relative(root, path);
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    let block: Block = { line: 0, background: false, outline: false, steps: [], examples: [] };
    let inExamples = false;
    let lastStep: { line: number; text: string } | undefined;

    const flush = (): void => {
      for (const step of block.steps) {
        if (!TYPEQL_STEP.test(step.text)) continue;
        const throws = step.text.includes('throws exception');
        const scenario = { scenario: block.line, background: block.background };
        const rows = block.outline ? block.examples.flatMap((e) => e.rows.map((row) => ({ header: e.header, row }))) : [];
        if (!block.outline || rows.length === 0) {
          queries.push({ file, line: step.line, step: step.text, text: fillTemplates(step.doc), throws, ...scenario });
          continue;
        }
        rows.forEach(({ header, row }, example) => {
          let text = step.doc;
          header.forEach((name, i) => (text = text.replaceAll(`<${name}>`, row[i] ?? '')));
          queries.push({ file, line: step.line, step: step.text, example, text: fillTemplates(text), throws, ...scenario });
        });
      }
    };

    for (let i = 0; i < lines.length; i++) {
      const trimmed = lines[i]!.trim();
      if (/^(Scenario Outline|Scenario Template):/.test(trimmed)) {
        flush();
        block = { line: i + 1, background: false, outline: true, steps: [], examples: [] };
        inExamples = false;
      } else if (/^(Scenario|Example|Background|Rule|Feature):/.test(trimmed)) {
        flush();
        block = { line: i + 1, background: trimmed.startsWith('Background:'), outline: false, steps: [], examples: [] };
        inExamples = false;
      } else if (/^(Examples|Scenarios):/.test(trimmed)) {
        inExamples = true;
        block.examples.push({ header: [], rows: [] });
      } else if (trimmed.startsWith('|') && inExamples) {
        const examples = block.examples[block.examples.length - 1]!;
        if (examples.header.length === 0) examples.header = tableCells(trimmed);
        else examples.rows.push(tableCells(trimmed));
      } else if (STEP_KEYWORD.test(trimmed)) {
        lastStep = { line: i + 1, text: trimmed.replace(STEP_KEYWORD, '') };
      } else if (trimmed.startsWith('"""')) {
        const indent = lines[i]!.indexOf('"""');
        const content: string[] = [];
        for (i++; i < lines.length && !lines[i]!.trim().startsWith('"""'); i++) {
          const line = lines[i]!;
          const strip = Math.min(indent, line.length - line.trimStart().length);
          content.push(line.slice(strip));
        }
        if (lastStep) block.steps.push({ line: lastStep.line, text: lastStep.text, doc: content.join('\n') });
      }
    }
    flush();
  }
  return queries;
}

function fillTemplates(text: string): string {
  return text.replace(/<answer\.[^>]+\.iid>/g, DUMMY_IID);
}
