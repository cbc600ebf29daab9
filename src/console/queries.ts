// Running TypeQL inside the console's open transaction: a query input or a `source` file is parsed here first, so
// a syntax error shows its line and a caret under the column, and nothing is sent; then each query goes to the driver method for its
// kind and its answers are printed as TypeDB's console prints them. Server errors are thrown to the caller (the
// server has already closed the transaction); parse and file errors are printed and reported as `false`.
import { readFileSync } from 'node:fs';
import type { Stream } from 'typedb-driver';
import { StrataError } from '../common/errors.js';
import { parseQueries, printQuery, type Query } from '../typeql/index.js';
import type { OpenTransaction } from './connection.js';
import { MESSAGES } from './errors.js';
import type { ConsoleOutput } from './output.js';
import { AnswerPrinter, aggregateText, jsonText } from './printer.js';

/** Ctrl-C while answers are printing (REPL only). */
export interface InterruptSource {
  /** Calls `handler` on the next Ctrl-C, until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
}

const CANCELLED = Symbol('cancelled');
/**
 * How much query text `source` sends before it waits for the answers of what it sent a window before. The driver
 * puts every query queued at once into one gRPC message: a whole file sent in one go became one message as large as
 * the file, beyond what a server takes (64 MiB for Strata, 4 MiB for TypeDB 2.x), and held the file's requests in
 * memory twice over. At most three windows are unanswered: the server has work while the next is sent.
 */
export const SOURCE_WINDOW_BYTES = 1 << 20;

/** TypeDB counts at most this many matches of a delete before running it. */
const DELETE_COUNT_LIMIT = 20;

function isWriteQuery(query: Query): boolean {
  return ['define', 'undefine', 'insert', 'delete', 'update'].includes(query.kind);
}

export class QueryRunner {
  /** Whether anything may have changed since the transaction opened: the prompt's `*`. */
  hasChanges = false;
  private readonly printer: AnswerPrinter;

  constructor(
    private readonly open: OpenTransaction,
    private readonly out: ConsoleOutput,
    private readonly interrupts?: InterruptSource,
  ) {
    this.printer = new AnswerPrinter(open.tx, out.style);
  }

  /** Parses one input; prints why it is not TypeQL and returns undefined when it is not. */
  private parse(text: string): Query[] | undefined {
    let queries: Query[];
    try {
      queries = parseQueries(text);
    } catch (e) {
      if (!(e instanceof StrataError)) throw e;
      this.out.error(e.message);
      return undefined;
    }
    if (queries.length === 0) {
      this.out.error(MESSAGES.emptyQuery);
      return undefined;
    }
    return queries;
  }

  /** Runs every query of `text` in order, printing all answers. False if it does not parse. */
  async runPrintAnswers(text: string): Promise<boolean> {
    const queries = this.parse(text);
    if (!queries) return false;
    for (const query of queries) await this.runOne(query);
    return true;
  }

  /**
   * `source <file> [--print-answers]`. Without printing, as in TypeDB: define/undefine run and say so, the other
   * queries are all sent, then only their first answers are awaited.
   */
  async runSource(file: string, printAnswers: boolean): Promise<boolean> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      this.out.error(MESSAGES.failedToOpenFile(file, e));
      return false;
    }
    if (printAnswers) return this.runPrintAnswers(text);
    const queries = this.parse(text);
    if (!queries) return false;
    const pending: Promise<unknown>[] = [];
    // Answers are awaited in order, so the first failure reported is the first query's that failed.
    let awaited = 0;
    const awaitUpTo = async (end: number) => {
      for (; awaited < end; awaited++) await pending[awaited];
    };
    const windows: number[] = [];
    let windowBytes = 0;
    const track = (promise: Promise<unknown>) => {
      // The catch only keeps a later failure from being reported as unhandled first.
      promise.catch(() => {});
      pending.push(promise);
    };
    const query = this.open.tx.query;
    for (const q of queries) {
      const text = printQuery(q);
      windowBytes += text.length;
      if (windowBytes >= SOURCE_WINDOW_BYTES) {
        windowBytes = 0;
        windows.push(pending.length);
        if (windows.length > 2) await awaitUpTo(windows.shift()!);
      }
      switch (q.kind) {
        case 'define':
          await query.define(text);
          this.out.info('Concepts have been defined');
          break;
        case 'undefine':
          await query.undefine(text);
          this.out.info('Concepts have been undefined');
          break;
        case 'insert':
          track(query.insert(text).first());
          break;
        case 'update':
          track(query.update(text).first());
          break;
        case 'delete':
          track(query.delete(text));
          break;
        case 'get':
          track(query.get(text).first());
          break;
        case 'get-aggregate':
          track(query.getAggregate(text));
          break;
        case 'get-group':
          track(query.getGroup(text).first());
          break;
        case 'get-group-aggregate':
          track(query.getGroupAggregate(text).first());
          break;
        case 'fetch':
          track(query.fetch(text).first());
          break;
      }
    }
    await awaitUpTo(pending.length);
    if (queries.some(isWriteQuery)) this.hasChanges = true;
    return true;
  }

  private async runOne(q: Query): Promise<void> {
    const query = this.open.tx.query;
    const text = printQuery(q);
    switch (q.kind) {
      case 'define':
        await query.define(text);
        this.out.info('Concepts have been defined\n');
        this.hasChanges = true;
        return;
      case 'undefine':
        await query.undefine(text);
        this.out.info('Concepts have been undefined\n');
        this.hasChanges = true;
        return;
      case 'insert':
      case 'update': {
        const answers = q.kind === 'insert' ? query.insert(text) : query.update(text);
        const count = await this.printAnswers(answers, (map) => this.printer.conceptMap(map));
        if (count > 0) this.hasChanges = true;
        return;
      }
      case 'delete': {
        // As TypeDB: count (up to 20) what the match finds, and only send the delete if it finds anything.
        const match = printQuery({ kind: 'get', match: q.match, filter: [], modifiers: {} });
        let matched = 0;
        for await (const _ of query.get(match)) {
          if (++matched >= DELETE_COUNT_LIMIT) break;
        }
        if (matched === 0) {
          this.out.info('No concepts were matched');
          return;
        }
        await query.delete(text);
        this.out.info(matched >= DELETE_COUNT_LIMIT ? `Deleted from ${DELETE_COUNT_LIMIT}+ matched answers` : `Deleted from ${matched} matched answer(s)`);
        this.hasChanges = true;
        return;
      }
      case 'get':
        await this.printAnswers(query.get(text), (map) => this.printer.conceptMap(map));
        return;
      case 'get-aggregate':
        this.out.info(aggregateText(await query.getAggregate(text)));
        return;
      case 'get-group':
        await this.printAnswers(query.getGroup(text), (group) => this.printer.conceptMapGroup(group));
        return;
      case 'get-group-aggregate':
        await this.printAnswers(query.getGroupAggregate(text), (group) => this.printer.valueGroup(group));
        return;
      case 'fetch':
        await this.printAnswers(query.fetch(text), async (json) => jsonText(json));
        return;
    }
  }

  /** Prints each answer as it arrives, then TypeDB's footer; Ctrl-C stops early. Returns the number printed. */
  private async printAnswers<T>(answers: Stream<T>, format: (answer: T) => Promise<string>): Promise<number> {
    const start = Date.now();
    let count = 0;
    let cancel: () => void = () => {};
    const cancelled = new Promise<typeof CANCELLED>((resolve) => (cancel = () => resolve(CANCELLED)));
    const stopListening = this.interrupts?.onInterrupt(cancel) ?? (() => {});
    let wasCancelled = false;
    try {
      const iterator = answers[Symbol.asyncIterator]();
      for (;;) {
        const next = iterator.next();
        next.catch(() => {});
        const result = await Promise.race([next, cancelled]);
        if (result === CANCELLED) {
          wasCancelled = true;
          break;
        }
        if (result.done) break;
        const line = await format(result.value);
        this.out.info(line);
        count++;
      }
    } finally {
      stopListening();
    }
    this.out.info('');
    this.out.info(`answers: ${count}, total duration: ${Date.now() - start} ms`);
    if (wasCancelled) {
      this.out.info('The query has been cancelled. It may take some time for the cancellation to finish on the server side.');
    }
    this.out.info('');
    return count;
  }
}
