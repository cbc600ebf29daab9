// Turns a character offset into the line, column and source line a TypeQLSyntaxError reports. Positions are only
// computed when an error is thrown, so tokens carry nothing but their offset. The line is shown as a terminal can
// show it: a binary file given as TypeQL, or a schema written on one long line, must not flood or garble the screen.

import { TypeQLSyntaxError } from '../common/errors.js';

/** Characters of the source line shown on each side of the error when the line is too long to show whole. */
const CONTEXT = 60;

export function syntaxErrorAt(source: string, offset: number, detail: string): TypeQLSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  let lineEnd = source.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = source.length;
  let sourceLine = source.slice(lineStart, lineEnd);
  if (sourceLine.endsWith('\r')) sourceLine = sourceLine.slice(0, -1);
  const column = offset - lineStart + 1;
  const shown = shownLine(sourceLine, column);
  return new TypeQLSyntaxError(line, column, detail, shown.text, shown.caretColumn);
}

/** A character as an error message names it: itself if printable, else its code point (`U+0012`). */
export function visibleCharacter(character: string): string {
  return isControl(character.codePointAt(0)!) ? `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `'${character}'`;
}

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 9) || (code >= 0x7f && code < 0xa0) || code === 0xfffd;
}

/** The line clipped to CONTEXT characters around the column, control characters shown as '?'. */
function shownLine(sourceLine: string, column: number): { text: string; caretColumn: number } {
  let text = sourceLine;
  let caretColumn = column;
  if (text.length > 2 * CONTEXT + 1) {
    const from = Math.max(0, column - 1 - CONTEXT);
    const to = Math.min(text.length, column + CONTEXT);
    text = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < sourceLine.length ? '…' : ''}`;
    caretColumn = column - from + (from > 0 ? 1 : 0);
  }
  return { text: text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\ufffd]/g, '?'), caretColumn };
}
