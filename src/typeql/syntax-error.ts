// Turns a character offset into the line, column and source line a TypeQLSyntaxError reports. Positions are only
// computed when an error is thrown, so tokens carry nothing but their offset.

import { TypeQLSyntaxError } from '../common/errors.js';

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
  return new TypeQLSyntaxError(line, offset - lineStart + 1, detail, sourceLine);
}
