// Progress output of export/import: on a terminal, TypeDB's redrawn block (cli-console.md §3.4) plus a rate and
// an ETA line; otherwise a one-line summary at the end, so logs of scripted runs stay readable.
import type { MigrationProgress } from '../server/migrator/jobs.js';

const SPINNER = ['-', '\\', '|', '/'];

function line(label: string, current: number, total: number): string {
  if (total === 0) return `${label}: ${current}`;
  return `${label}: ${current}/${total} (${((100 * current) / total).toFixed(1)}%)`;
}

export class ProgressView {
  private latest?: MigrationProgress;
  private status: 'starting' | 'in progress' | 'completed' = 'starting';
  private drawn = 0;
  private tick = 0;
  private readonly started = Date.now();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly kind: 'Export' | 'Import',
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    if (out.isTTY) {
      this.draw();
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  update(progress: MigrationProgress): void {
    this.latest = progress;
    this.status = 'in progress';
  }

  private totals(p: MigrationProgress): { current: number; total: number } {
    const parts = [p.attributes, p.entities, p.relations, ...(this.kind === 'Import' ? [p.ownerships, p.roles] : [])];
    return { current: parts.reduce((s, c) => s + c.current, 0), total: parts.reduce((s, c) => s + c.total, 0) };
  }

  private block(): string[] {
    const lines = [`$x isa ${this.kind},`, `    has status "${this.status}";`];
    const p = this.latest;
    if (this.status === 'starting' || !p) return lines;
    const importing = this.kind === 'Import' && !p.initialising;
    lines.push('');
    lines.push(line('Attribute', p.attributes.current, p.attributes.total) + (importing ? ` [ ownership: ${p.ownerships.current}/${p.ownerships.total} (${pct(p.ownerships)}%) ]` : ''));
    lines.push(line('Entity', p.entities.current, p.entities.total));
    lines.push(line('Relation', p.relations.current, p.relations.total) + (importing ? ` [ role: ${p.roles.current}/${p.roles.total} (${pct(p.roles)}%) ]` : ''));
    const { current, total } = this.totals(p);
    lines.push(`${line('Total', current, total)}; ${SPINNER[this.tick++ % SPINNER.length]}`);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? current / seconds : 0;
    const eta = rate > 0 && total > current ? `, about ${Math.ceil((total - current) / rate)} s left` : '';
    lines.push(`${Math.round(rate)} items/s${eta}`);
    return lines;
  }

  private draw(): void {
    const lines = this.block();
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.out.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }

  /** Final output: the completed block on a terminal, a one-line summary otherwise. */
  finish(summary: string): void {
    if (this.timer) clearInterval(this.timer);
    this.status = 'completed';
    if (this.out.isTTY) this.draw();
    this.out.write(summary + '\n');
  }

  fail(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Counts of the last progress message, for the summary line: all five of the file's checksums, for an export as
   * for an import, so that the two summaries of one migration can be compared (an export from a TypeDB server
   * does not count ownerships and role players: its summary leaves them out).
   */
  summaryCounts(): string {
    const p = this.latest;
    if (!p) return 'nothing';
    const parts = [
      counted(p.entities.current, 'entity', 'entities'),
      counted(p.relations.current, 'relation'),
      counted(p.attributes.current, 'attribute'),
    ];
    if (this.kind === 'Import' || p.edgesCounted) parts.push(counted(p.ownerships.current, 'ownership'), counted(p.roles.current, 'role player'));
    const seconds = (Date.now() - this.started) / 1000;
    const items = p.entities.current + p.relations.current + p.attributes.current;
    return `${parts.join(', ')} in ${seconds.toFixed(1)} s (${Math.round(items / Math.max(seconds, 0.001))} items/s)`;
  }
}

function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function pct(c: { current: number; total: number }): string {
  return c.total === 0 ? '0.0' : ((100 * c.current) / c.total).toFixed(1);
}
