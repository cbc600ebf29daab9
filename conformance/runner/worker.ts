// A worker process of the conformance runner: runs cucumber on the scenarios it is sent, one feature file at a
// time, and reports every scenario's outcome over IPC as soon as it finishes. The runner kills and replaces a
// worker whose scenario hangs or whose engine crashes the process, so nothing here has to survive that.
import { Writable } from 'node:stream';
import { loadConfiguration, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { RunRequest, ScenarioResult, ScenarioStatus, ShutdownRequest, WorkerMessage } from './messages.js';
import { shutdownHarnessEngine } from '../engine/index.js';
import { cucumberPath } from './plan.js';
import { supportCodePaths } from './paths.js';

type Envelope = Parameters<NonNullable<Parameters<typeof runCucumber>[2]>>[0];
type StepResult = NonNullable<Envelope['testStepFinished']>['testStepResult'];

const featuresDir = process.argv[2];
if (!featuresDir) throw new Error('usage: worker <features dir>');

function send(message: WorkerMessage): void {
  process.send?.(message);
}

// An error escaping cucumber (outside any step, where cucumber has no handler of its own attached) would leave
// the run in an unknown state: report it against the current scenario and let the runner start a new worker.
process.on('uncaughtException', (error) => {
  if (process.listenerCount('uncaughtException') > 1) return; // cucumber attributes it to the running step
  const message: WorkerMessage = { type: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  // exit only once this and the progress messages queued before it have reached the runner
  setTimeout(() => process.exit(1), 2000).unref();
  if (process.send) process.send(message, () => process.exit(1));
  else process.exit(1);
});

const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

/** Follows cucumber's message stream and turns it into one ScenarioResult per finished test case. */
class ScenarioTracker {
  private readonly lineOfNode = new Map<string, number>();
  private readonly pickles = new Map<string, { uri: string; line: number; name: string; steps: Map<string, string>; empty: boolean }>();
  private readonly testCases = new Map<string, { pickleId: string; stepText: Map<string, string> }>();
  private readonly started = new Map<string, { testCaseId: string; at: number; results: { text: string; result: StepResult }[] }>();

  constructor(private readonly dryRun: boolean) {}

  onMessage(envelope: Envelope): void {
    if (envelope.gherkinDocument) this.indexDocument(envelope.gherkinDocument);
    else if (envelope.pickle) {
      const p = envelope.pickle;
      const line = this.lineOfNode.get(p.astNodeIds[p.astNodeIds.length - 1] ?? '') ?? 0;
      this.pickles.set(p.id, {
        uri: p.uri,
        line,
        name: p.name,
        steps: new Map(p.steps.map((s) => [s.id, s.text])),
        empty: p.steps.length === 0,
      });
    } else if (envelope.testCase) {
      const tc = envelope.testCase;
      const pickle = this.pickles.get(tc.pickleId);
      const stepText = new Map<string, string>();
      tc.testSteps.forEach((step) => {
        const text = step.pickleStepId ? pickle?.steps.get(step.pickleStepId) : undefined;
        stepText.set(step.id, text ?? 'hook');
      });
      this.testCases.set(tc.id, { pickleId: tc.pickleId, stepText });
    } else if (envelope.testCaseStarted) {
      const { id, testCaseId } = envelope.testCaseStarted;
      this.started.set(id, { testCaseId, at: Date.now(), results: [] });
      const pickle = this.pickleOf(testCaseId);
      if (pickle) send({ type: 'started', uri: pickle.uri, line: pickle.line, name: pickle.name });
    } else if (envelope.testStepFinished) {
      const { testCaseStartedId, testStepId, testStepResult } = envelope.testStepFinished;
      const run = this.started.get(testCaseStartedId);
      if (!run) return;
      const text = this.testCases.get(run.testCaseId)?.stepText.get(testStepId) ?? 'step';
      run.results.push({ text, result: testStepResult });
    } else if (envelope.testCaseFinished) {
      const { testCaseStartedId, willBeRetried } = envelope.testCaseFinished;
      const run = this.started.get(testCaseStartedId);
      this.started.delete(testCaseStartedId);
      if (!run || willBeRetried) return;
      const pickle = this.pickleOf(run.testCaseId);
      if (!pickle) return;
      send({ type: 'finished', result: this.result(pickle, run.results, Date.now() - run.at) });
    }
  }

  private pickleOf(testCaseId: string) {
    const testCase = this.testCases.get(testCaseId);
    return testCase ? this.pickles.get(testCase.pickleId) : undefined;
  }

  /**
   * A scenario with an undefined step counts as undefined even when an earlier step failed (it cannot pass until
   * the harness defines the step); otherwise any failed, ambiguous or pending step makes it failed.
   */
  private result(
    pickle: { uri: string; line: number; name: string; empty: boolean },
    results: { text: string; result: StepResult }[],
    durationMs: number,
  ): ScenarioResult {
    const has = (status: string) => results.some((r) => r.result.status === status);
    let status: ScenarioStatus;
    let culprit: { text: string; result: StepResult } | undefined;
    if (has('UNDEFINED')) {
      status = 'undefined';
      culprit = results.find((r) => r.result.status === 'UNDEFINED');
    } else {
      culprit = results.find((r) => !['PASSED', 'SKIPPED', 'UNKNOWN'].includes(r.result.status));
      if (culprit) status = 'failed';
      else if (results.some((r) => r.result.status === 'SKIPPED')) {
        status = this.dryRun ? 'skipped' : 'failed';
        if (!this.dryRun) culprit = results.find((r) => r.result.status === 'SKIPPED');
      } else status = 'passed';
    }
    const base = { uri: pickle.uri, line: pickle.line, name: pickle.name, status, empty: pickle.empty, durationMs };
    if (!culprit) return base;
    const { message, exception, status: stepStatus } = culprit.result;
    const error = stepStatus === 'UNDEFINED' ? 'undefined step' : (message ?? exception?.message ?? stepStatus.toLowerCase());
    return { ...base, step: culprit.text, error };
  }

  private indexDocument(document: NonNullable<Envelope['gherkinDocument']>): void {
    type Child = NonNullable<NonNullable<typeof document.feature>['children']>[number];
    const visit = (children: readonly Child[]) => {
      for (const child of children) {
        if (child.scenario) {
          this.lineOfNode.set(child.scenario.id, child.scenario.location.line);
          for (const examples of child.scenario.examples) {
            for (const row of examples.tableBody) this.lineOfNode.set(row.id, row.location.line);
          }
        }
        if (child.rule) visit(child.rule.children as readonly Child[]);
      }
    };
    visit(document.feature?.children ?? []);
  }
}

let library: ISupportCodeLibrary | undefined;

async function run(request: RunRequest): Promise<void> {
  const environment = { cwd: featuresDir, stdout: discard, stderr: process.stderr };
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: [cucumberPath({ uri: request.uri, lines: request.lines })],
        tags: request.tags,
        import: supportCodePaths(),
        strict: true,
        dryRun: request.dryRun,
        format: [],
      },
    },
    environment,
  );
  const tracker = new ScenarioTracker(request.dryRun);
  // Support code is imported once per process (ES modules are cached); later runs reuse the loaded library.
  const result = await runCucumber(
    { ...runConfiguration, support: library ?? runConfiguration.support },
    environment,
    (envelope) => tracker.onMessage(envelope),
  );
  library = result.support;
  send({ type: 'done', uri: request.uri });
}

/**
 * Releases the engine (the driver mode's server process, its connections), then exits: the driver's channels and
 * timers, or an engine's open handles, must not keep a finished worker alive.
 */
async function exit(code: number): Promise<never> {
  const deadline = setTimeout(() => process.exit(code), 10_000);
  deadline.unref();
  try {
    await shutdownHarnessEngine();
  } catch (error) {
    process.stderr.write(`releasing the engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(code);
}

let queue: Promise<void> = Promise.resolve();
process.on('message', (request: RunRequest | ShutdownRequest) => {
  if (request.type === 'shutdown') {
    queue = queue.then(() => exit(0));
    return;
  }
  queue = queue.then(() =>
    run(request).catch((error: unknown) => {
      send({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }),
  );
});
// The runner went away without saying goodbye: do not outlive it.
process.on('disconnect', () => void exit(1));
send({ type: 'ready' });
