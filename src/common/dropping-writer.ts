// Output to a stream whose reader may go: a console piped into `head`, a server whose terminal closed (its SIGHUP
// then begins a clean stop). Node emits a failed write (EPIPE, EIO) as an 'error' event, which unhandled kills the
// process; Java's PrintStream, which TypeDB's console and server write through, drops the text instead and goes on.

/** Writes to `stream` until it fails, then drops the text. */
export function droppingWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let failed = false;
  stream.on('error', () => {
    failed = true;
  });
  return (text) => {
    if (!failed && !stream.destroyed) stream.write(text);
  };
}
