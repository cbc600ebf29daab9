// A `strata server` child process on a free loopback port, for the benchmarks that measure through the driver or
// kill the server: from dist/ when compiled, through tsx otherwise.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the server printed its bootup line; its stdout is consumed. */
export async function startServer(dataDir: string): Promise<{ child: ChildProcess; address: string }> {
  const address = `127.0.0.1:${await freePort()}`;
  const here = dirname(fileURLToPath(import.meta.url));
  const compiled = import.meta.url.endsWith('.js');
  const main = compiled ? join(here, '..', 'src', 'cli', 'main.js') : join(here, '..', 'src', 'cli', 'main.ts');
  const args = compiled ? [main] : ['--import', 'tsx', main];
  const child = spawn(process.execPath, [...args, 'server', `--server.address=${address}`, `--storage.data=${dataDir}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (/bootup completed/.test(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)));
  });
  return { child, address };
}
