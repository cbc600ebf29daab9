// Runs planned scenarios on a few worker processes, one feature file per job, largest files first.
// A worker whose scenario exceeds the time limit is killed (a synchronous hang cannot be interrupted any other
// way), and so is one that dies by itself: the scenario it was running counts as failed, and the rest of its
// file is resumed on a fresh worker. The runner itself never runs engine code. When the work is done, every worker is
// told to shut down (releasing its engine, e.g. the driver mode's server process) and the pool settles once all have
// exited; a worker's server process is killed by its pid whenever the worker dies.
import { fork, type ChildProcess } from 'node:child_process';
import type { FilePlan, PlannedScenario } from './plan.js';
import type { RunRequest, ScenarioResult, ShutdownRequest, WorkerMessage } from './messages.js';
import { workerScript } from './paths.js';
import { VIA_VARIABLE, type EngineVia } from '../engine/via.js';

/** How long a worker told to shut down may take before it is killed. */
const SHUTDOWN_GRACE_MS = 15_000;

/** Server processes of live workers (driver mode): killed by pid if the runner itself exits first. */
const serverPids = new Set<number>();

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

process.once('exit', () => {
  for (const pid of serverPids) killPid(pid);
});

export interface PoolOptions {
  readonly featuresDir: string;
  readonly tags: string;
  readonly dryRun: boolean;
  /** How the workers reach the engine. */
  readonly via: EngineVia;
  readonly jobs: number;
  readonly scenarioTimeoutMs: number;
  readonly stepTimeoutMs: number;
  /** Scratch space for the scenarios' data directories; the caller removes it. */
  readonly tmpRoot: string;
  /** Forward the workers' own stdout/stderr (engine logging) instead of keeping only the tail for crash reports. */
  readonly verbose: boolean;
  readonly onResult?: (result: ScenarioResult) => void;
  readonly onFileDone?: (uri: string, results: readonly ScenarioResult[]) => void;
  /** A worker died while no scenario was running: nothing to blame it on, but worth telling. */
  readonly onIncident?: (message: string) => void;
}

interface Job {
  readonly uri: string;
  /** Scenarios of the file not yet accounted for, by line. */
  readonly pending: Map<number, PlannedScenario>;
  /** Workers that died on this job before finishing any scenario; two in a row give the file up. */
  stalls: number;
}

interface Slot {
  readonly child: ChildProcess;
  job?: Job;
  current?: { line: number; since: number };
  /** Last time the worker showed progress on its job (a started or finished scenario). */
  lastProgress: number;
  crash?: string;
  killedBecause?: string;
  progressSinceAssigned: boolean;
  /** The last scenario the worker finished, to name in reports of errors that surface after it. */
  lastFinished?: string;
  /** Jobs this worker completed; a worker that dies before its first scenario is only suspect if it is fresh. */
  jobsDone: number;
  stderrTail: string;
  /** The driver mode's server process of this worker. */
  serverPid?: number;
  /** Told to shut down (no more work); its exit is expected. */
  retiring?: boolean;
}

const TAIL = 4000;

export class HarnessError extends Error {}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' / ');
}

export function runPool(plans: readonly FilePlan[], options: PoolOptions): Promise<Map<string, ScenarioResult[]>> {
  const results = new Map<string, ScenarioResult[]>(plans.map((p) => [p.uri, []]));
  const queue: Job[] = plans
    .filter((p) => p.scenarios.length > 0)
    .sort((a, b) => b.scenarios.length - a.scenarios.length)
    .map((p) => ({ uri: p.uri, pending: new Map(p.scenarios.map((s) => [s.line, s])), stalls: 0 }));
  const slots = new Set<Slot>();
  let settled = false;

  return new Promise((resolve, reject) => {
    const record = (job: Job, result: ScenarioResult) => {
      if (!job.pending.delete(result.line)) return;
      results.get(job.uri)!.push(result);
      options.onResult?.(result);
      if (job.pending.size === 0) options.onFileDone?.(job.uri, results.get(job.uri)!);
    };

    const failPending = (job: Job, line: number, error: string, step = '(runner)') => {
      const scenario = job.pending.get(line);
      if (!scenario) return;
      record(job, { uri: job.uri, line, name: scenario.name, status: 'failed', empty: false, durationMs: 0, step, error });
    };

    const kill = (slot: Slot) => {
      slot.child.kill('SIGKILL');
      if (slot.serverPid !== undefined) killPid(slot.serverPid);
    };

    /** Settles once there is no work left and every worker has exited (so no server outlives the run). */
    const finish = () => {
      if (settled) return;
      if (queue.length > 0 || slots.size > 0) return;
      settled = true;
      clearInterval(watchdog);
      resolve(results);
    };

    const abort = (message: string) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      for (const slot of slots) kill(slot);
      reject(new HarnessError(message));
    };

    const retire = (slot: Slot) => {
      slot.job = undefined;
      slot.retiring = true;
      const request: ShutdownRequest = { type: 'shutdown' };
      slot.child.send(request);
      setTimeout(() => slots.has(slot) && kill(slot), SHUTDOWN_GRACE_MS).unref();
    };

    const assign = (slot: Slot) => {
      const job = queue.shift();
      if (!job) {
        retire(slot);
        return;
      }
      slot.job = job;
      slot.current = undefined;
      slot.lastProgress = Date.now();
      slot.progressSinceAssigned = false;
      const request: RunRequest = {
        type: 'run',
        uri: job.uri,
        lines: [...job.pending.keys()],
        tags: options.tags,
        dryRun: options.dryRun,
      };
      slot.child.send(request);
    };

    const spawnWorker = () => {
      const child = fork(workerScript(), [options.featuresDir], {
        execArgv: process.execArgv,
        env: {
          ...process.env,
          STRATA_CONFORMANCE_TMP: options.tmpRoot,
          [VIA_VARIABLE]: options.via,
          STRATA_CONFORMANCE_STEP_TIMEOUT_MS: String(options.stepTimeoutMs),
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      const slot: Slot = { child, lastProgress: Date.now(), progressSinceAssigned: false, jobsDone: 0, stderrTail: '' };
      slots.add(slot);
      const keepTail = (chunk: Buffer) => {
        slot.stderrTail = (slot.stderrTail + chunk.toString()).slice(-TAIL);
        if (options.verbose) process.stderr.write(chunk);
      };
      child.stdout?.on('data', keepTail);
      child.stderr?.on('data', keepTail);
      child.on('message', (message: WorkerMessage) => onMessage(slot, message));
      child.on('exit', (code, signal) => onExit(slot, code, signal));
      child.on('error', (error) => {
        slot.crash ??= `worker process error: ${error.message}`;
      });
    };

    const onMessage = (slot: Slot, message: WorkerMessage) => {
      if (settled) return;
      switch (message.type) {
        case 'ready':
          assign(slot);
          break;
        case 'started':
          slot.current = { line: message.line, since: Date.now() };
          slot.lastProgress = Date.now();
          slot.progressSinceAssigned = true;
          break;
        case 'finished':
          if (slot.job) record(slot.job, message.result);
          slot.current = undefined;
          slot.lastFinished = `${message.result.uri}:${message.result.line}`;
          slot.lastProgress = Date.now();
          slot.progressSinceAssigned = true;
          break;
        case 'done': {
          const job = slot.job;
          if (job) for (const line of [...job.pending.keys()]) failPending(job, line, 'cucumber did not run this scenario');
          slot.jobsDone += 1;
          assign(slot);
          break;
        }
        case 'fatal':
          abort(`the conformance harness failed while running ${slot.job?.uri ?? '(no file)'}:\n${message.message}`);
          break;
        case 'crash':
          slot.crash = message.message;
          break;
        case 'server':
          slot.serverPid = message.pid;
          serverPids.add(message.pid);
          break;
        case 'server-stopped':
          if (slot.serverPid === message.pid) slot.serverPid = undefined;
          serverPids.delete(message.pid);
          break;
      }
    };

    const onExit = (slot: Slot, code: number | null, signal: NodeJS.Signals | null) => {
      slots.delete(slot);
      if (slot.serverPid !== undefined) {
        // the worker stops its server before it exits; this covers a worker that was killed or crashed
        killPid(slot.serverPid);
        serverPids.delete(slot.serverPid);
        slot.serverPid = undefined;
      }
      if (settled) return;
      if (slot.retiring) {
        finish();
        return;
      }
      const job = slot.job;
      if (job) {
        const reason =
          slot.killedBecause ??
          `${slot.crash ? `uncaught error: ${slot.crash}` : `worker exited (${signal ?? `code ${code}`})`}` +
            (slot.stderrTail ? `\n--- worker output (tail) ---\n${slot.stderrTail}` : '');
        if (slot.current) failPending(job, slot.current.line, reason, '(scenario)');
        else {
          options.onIncident?.(
            `a worker died between scenarios${slot.lastFinished ? ` (after ${slot.lastFinished})` : ''}: ${firstLines(reason)}`,
          );
        }
        // leftovers of a worker's earlier jobs (a stray timer throwing) are not this job's fault
        if (!slot.progressSinceAssigned && slot.jobsDone === 0) job.stalls += 1;
        else if (slot.progressSinceAssigned) job.stalls = 0;
        if (job.stalls >= 2) {
          for (const line of [...job.pending.keys()]) failPending(job, line, `gave up on this file: ${reason}`);
        } else if (job.pending.size > 0) {
          queue.unshift(job);
        }
      }
      if (queue.length > 0) spawnWorker();
      else finish();
    };

    const watchdog = setInterval(() => {
      const now = Date.now();
      for (const slot of slots) {
        if (!slot.job || slot.killedBecause) continue;
        if (slot.current && now - slot.current.since > options.scenarioTimeoutMs) {
          slot.killedBecause = `timed out: the scenario ran longer than ${options.scenarioTimeoutMs / 1000} s (worker killed)`;
          kill(slot);
        } else if (!slot.current && now - slot.lastProgress > 2 * options.scenarioTimeoutMs) {
          slot.killedBecause = `no progress for ${(2 * options.scenarioTimeoutMs) / 1000} s between scenarios (worker killed)`;
          kill(slot);
        }
      }
    }, 250);

    const workers = Math.max(1, Math.min(options.jobs, queue.length));
    if (queue.length === 0) {
      settled = true;
      clearInterval(watchdog);
      resolve(results);
      return;
    }
    for (let i = 0; i < workers; i++) spawnWorker();
  });
}
