// A cursor over the token list with the look-ahead and expectation helpers the recursive-descent parser uses.
// Every syntax error leaves through fail(), which names the offending token and its position.

import { describeToken, tokenize, type Token, type TokenKind } from './lexer.js';
import { syntaxErrorAt } from './syntax-error.js';

/**
 * Deepest nesting of blocks and parentheses taken: the parser and the engine's passes over patterns recurse, and
 * far deeper input would end in a JavaScript stack overflow instead of an error that points at it.
 */
const MAX_NESTING = 500;
const TOO_DEEP =
  `the query is nested more than ${MAX_NESTING} levels deep (blocks, fetch subqueries, parentheses, function calls and ` +
  'chained operators all count): split it into smaller queries or expressions';

export class TokenCursor {
  private readonly tokens: readonly Token[];
  private index = 0;
  private depth = 0;

  constructor(readonly source: string) {
    this.tokens = tokenize(source);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  isKind(kind: TokenKind, ahead = 0): boolean {
    return this.peek(ahead).kind === kind;
  }

  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value === word;
  }

  isSymbol(symbol: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'symbol' && token.value === symbol;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index++;
    return true;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index++;
    return true;
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail(`'${word}'`);
    return this.next();
  }

  expectSymbol(symbol: string): Token {
    if (!this.isSymbol(symbol)) this.fail(`'${symbol}'`);
    return this.next();
  }

  expectKind(kind: TokenKind, expected: string): Token {
    if (!this.isKind(kind)) this.fail(expected);
    return this.next();
  }

  /** Parses one level of nesting (a block, parentheses), refusing more than MAX_NESTING levels. */
  nested<T>(parse: () => T): T {
    if (this.depth >= MAX_NESTING) this.failAt(this.peek(), TOO_DEEP);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /**
   * Refuses a tree built without recursion (a chain of operators) that is `depth` levels deep where the cursor is
   * already nested: counted against the same MAX_NESTING, as whatever walks the tree recurses as deep.
   */
  limitDepth(depth: number, token: Token): void {
    if (this.depth + depth > MAX_NESTING) {
      this.failAt(token, TOO_DEEP);
    }
  }

  /** Throws: the current token is not what the grammar allows here. */
  fail(expected: string, token: Token = this.peek()): never {
    throw syntaxErrorAt(this.source, token.offset, `unexpected ${describeToken(token)}, expected ${expected}`);
  }

  /** Throws with a detail of the caller's choosing, pointing at the given token. */
  failAt(token: Token, detail: string): never {
    throw syntaxErrorAt(this.source, token.offset, detail);
  }
}
