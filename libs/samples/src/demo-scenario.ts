import { ExceptionRuleId, sha256 } from '@evidence-ledger/core';
import { CloudEvent, commitOf, EventOptions, forensicEvents as ev, Principal } from './forensic-events';
import { mulberry32 } from './mulberry32';

/** A control exception the scenario plants on purpose, and where. */
export interface PlantedException {
  readonly rule: ExceptionRuleId;
  /** The change it must be reported on (none for tenant-wide findings). */
  readonly changeId?: string;
  readonly story: string;
}

export interface DemoScenario {
  /** Every event, in the order to post them. */
  readonly events: CloudEvent[];
  /** Every change id, in order of first appearance. */
  readonly changes: string[];
  /** Changes with no exception at all — including ones with a denied-then-allowed policy, a blocked agent action, a failed-then-fixed scan. */
  readonly clean: string[];
  readonly planted: PlantedException[];
  /** A change worth replaying in the tour: deployed, rolled back, with every kind of step. */
  readonly showcase: string;
  /**
   * Management's responses (`exception.response.recorded`, admin key): `inPeriod` are among
   * `events` (one answers a planted exception, one names an exception that does not exist);
   * `afterPeriod` answers another planted exception once the story's pack period has ended, so
   * a pack over that period shows a response recorded after it.
   */
  readonly responses: { readonly inPeriod: readonly CloudEvent[]; readonly afterPeriod: readonly CloudEvent[] };
}

const REPOS = [
  { repository: 'github.com/acme/pay', team: 'payments', area: 'src/payments' },
  { repository: 'github.com/acme/ledger-ui', team: 'web', area: 'src/ui' },
  { repository: 'github.com/acme/search', team: 'search', area: 'src/search' },
  { repository: 'github.com/acme/infra', team: 'platform', area: 'modules/network' },
] as const;

const AGENTS = [
  { id: 'agent-codegen-7', version: '2.3.1' },
  { id: 'agent-refactor-2', version: '1.4.0' },
  { id: 'agent-tests-1', version: '0.9.2' },
] as const;

const MODELS = [
  { provider: 'anthropic', model: 'claude-sonnet', modelVersion: '2026-09-01', inUsd: 3e-6, outUsd: 15e-6 },
  { provider: 'anthropic', model: 'claude-sonnet', modelVersion: '2026-10-15', inUsd: 3e-6, outUsd: 15e-6 },
  { provider: 'openai', model: 'gpt-5', modelVersion: '2026-08-07', inUsd: 1.25e-6, outUsd: 10e-6 },
] as const;
const UNAPPROVED_MODEL = { provider: 'openai', model: 'gpt-5-preview', modelVersion: '2026-10-20-preview', inUsd: 2e-6, outUsd: 12e-6 };

const HUMANS = ['alice@acme.example', 'bob@acme.example', 'carol@acme.example', 'dave@acme.example', 'erin@acme.example'];
const human = (id: string): Principal => ({ kind: 'human', id });
const CI: Principal = { kind: 'service', id: 'github-actions' };

/** What a change's story does differently from a clean one. */
type Twist =
  | 'clean'
  | 'policy-denied-then-allowed'
  | 'scan-failed-then-fixed'
  | 'blocked-action'
  | 'changes-requested-then-approved'
  | 'rolled-back'
  | 'left-open'
  | ExceptionRuleId;

const PLANTED: readonly ExceptionRuleId[] = [
  'merged-without-independent-approval',
  'approver-is-author',
  'merged-with-failing-scan',
  'merged-without-required-scan',
  'merged-after-policy-deny',
  'model-not-allowed',
  'deployed-without-approval',
  'agent-outside-scope',
];
const NEGATIVE_CONTROLS: readonly Twist[] = [
  'policy-denied-then-allowed',
  'scan-failed-then-fixed',
  'blocked-action',
  'changes-requested-then-approved',
  'rolled-back',
  'left-open',
];

// The deterministic demo (`npm run demo`, the README tour, tests, benchmarks): `changes`
// changes across four repositories and teams, three agents, three approved model versions,
// OPA verdicts, scans, reviews, merges, deployments and a rollback — with one planted case
// of every exception rule, and clean changes that come close to each without breaching it.
export function demoScenario(options: { seed?: number; changes?: number; start?: string; pace?: number } = {}): DemoScenario {
  const seed = options.seed ?? 2026;
  const total = Math.max(options.changes ?? 36, PLANTED.length + NEGATIVE_CONTROLS.length + 2);
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const start = options.start ?? DEMO_DEFAULT_START;
  // How fast the story moves: 1 puts one to five minutes between events; less, proportionally less.
  const pace = options.pace ?? 1;
  let clock = Date.parse(start);
  let serial = 0;
  const opts = (o: Omit<EventOptions, 'id' | 'time'> = {}): EventOptions => {
    clock += Math.round((60_000 + Math.floor(random() * 240_000)) * pace);
    return { ...o, id: demoId(seed, serial++), time: new Date(clock).toISOString().replace('.000Z', 'Z') };
  };

  const stories: CloudEvent[][] = [];
  const changes: string[] = [];
  const clean: string[] = [];
  const planted: PlantedException[] = [];
  const settings = ev.settings(opts(), {
    allowedModels: MODELS.map((m) => ({ provider: m.provider, model: m.model, versions: [m.modelVersion] })),
    requiredScanKinds: ['sast', 'secrets'],
    deployApprovalEnvironments: ['production'],
  });
  const numbers = new Map<string, number>();
  let showcase = '';

  for (let i = 0; i < total; i++) {
    const twist: Twist = i < PLANTED.length ? PLANTED[i] : (NEGATIVE_CONTROLS[i - PLANTED.length] ?? 'clean');
    const repo = REPOS[i % REPOS.length];
    const number = (numbers.get(repo.repository) ?? 480) + 1 + Math.floor(random() * 3);
    numbers.set(repo.repository, number);
    const changeId = `${repo.repository}#${number}`;
    changes.push(changeId);
    if (twist === 'rolled-back') showcase = changeId;
    const story = changeStory({ changeId, repo, twist, opts, pick, random, index: i });
    stories.push(story.events);
    if (story.planted) planted.push(story.planted);
    else clean.push(changeId);
  }

  // A settings event whose allow-list is malformed: not applied, and reported.
  const badSettings = ev.settings(opts(), { requiredScanKinds: ['sast', 'secrets'] });
  (badSettings.data as Record<string, unknown>).allowedModels = 'anthropic/*';
  planted.push({
    rule: 'invalid-governance-settings',
    story: 'a settings update tried to replace the model allow-list with a string; it was not applied',
  });

  const budget = ev.budgetCrossed(opts(), {
    team: 'payments',
    budget: 'ai-coding-monthly',
    spendUsd: 41.2,
    thresholdUsd: 40,
    limitUsd: 50,
    month: start.slice(0, 7),
  });
  // Interleave the changes' stories three at a time, as concurrent work would.
  const events: CloudEvent[] = [settings];
  for (let start = 0; start < stories.length; start += 3) {
    const group = stories.slice(start, start + 3);
    for (let step = 0; group.some((s) => step < s.length); step++) for (const s of group) if (step < s.length) events.push(s[step]);
    if (start === 12) events.push(badSettings, budget);
  }
  const responses = managementResponses(events, planted, changes[PLANTED.length + 1], opts, start);
  events.push(...responses.inPeriod);
  return { events: restamp(events), changes, clean, planted, showcase, responses };
}

// Management answers two planted exceptions — the failing-scan merge during the period, the
// unapproved model call after it — and, mistaking a clean change for one, answers an
// exception that was never raised (its failed scan was fixed before the merge): kept as
// an unmatched response, not dropped.
function managementResponses(
  events: readonly CloudEvent[],
  planted: readonly PlantedException[],
  fixedScanChange: string,
  opts: (o?: Omit<EventOptions, 'id' | 'time'>) => EventOptions,
  start: string,
): DemoScenario['responses'] {
  const due = (days: number) => new Date(Date.parse(start) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
  const changeOf = (rule: ExceptionRuleId) => planted.find((p) => p.rule === rule)?.changeId;
  const mergeOf = (changeId: string | undefined) => events.find((e) => e.type === 'change.merged' && e.changeid === changeId);
  const failingScanMerge = mergeOf(changeOf('merged-with-failing-scan'));
  const unapprovedCall = events.find(
    (e) => e.type === 'model.invocation.completed' && (e.data as { modelVersion?: unknown }).modelVersion === UNAPPROVED_MODEL.modelVersion,
  );
  const cleanMerge = mergeOf(fixedScanChange);
  const owner = 'platform-team@acme.example';
  const respond = (
    event: CloudEvent | undefined,
    rule: ExceptionRuleId,
    f: Omit<Parameters<typeof ev.exceptionResponse>[1], 'exception'>,
  ) =>
    ev.exceptionResponse(opts({ ...(event?.changeid ? { changeid: event.changeid as string } : {}) }), {
      exception: { eventId: String(event?.id), rule },
      ...f,
    });
  const inPeriod = [
    respond(failingScanMerge, 'merged-with-failing-scan', {
      rootCause: 'The merge queue treated a pending SAST job as passed when the job timed out.',
      remediation: 'The merge queue now blocks until every required scan reports a result on the head commit.',
      owner,
      dueDate: due(30),
      status: 'in-progress',
    }),
    respond(cleanMerge, 'merged-with-failing-scan', {
      rootCause: 'A failed SAST scan was reported on this change.',
      remediation: 'Re-run the scan before merging.',
      owner,
      dueDate: due(30),
      status: 'open',
    }),
  ];
  const afterPeriod = [
    respond(unapprovedCall, 'model-not-allowed', {
      rootCause: 'A preview model version was enabled in the agent gateway for an experiment without an allow-list change.',
      remediation: 'The gateway now reads the allow-list from the governance settings; preview versions need an approved change.',
      owner: 'ai-governance@acme.example',
      dueDate: due(14),
      status: 'remediated',
    }),
  ];
  return { inPeriod, afterPeriod };
}

interface StoryInput {
  readonly changeId: string;
  readonly repo: (typeof REPOS)[number];
  readonly twist: Twist;
  readonly opts: (o?: Omit<EventOptions, 'id' | 'time'>) => EventOptions;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly random: () => number;
  readonly index: number;
}

// One change's events, start to end, bent by its twist.
function changeStory({ changeId, repo, twist, opts, pick, random, index }: StoryInput): {
  events: CloudEvent[];
  planted?: PlantedException;
} {
  const events: CloudEvent[] = [];
  const agent = AGENTS[index % AGENTS.length];
  const requester = HUMANS[index % HUMANS.length];
  const reviewer = HUMANS[(index + 1) % HUMANS.length];
  const releaser = HUMANS[(index + 2) % HUMANS.length];
  const taskId = `task-${changeId.replace(/[^a-z0-9]+/gi, '-')}`;
  const agentActor = { kind: 'agent' as const, id: agent.id };
  const on = (actor?: EventOptions['actor']) => opts({ changeid: changeId, team: repo.team, ...(actor ? { actor } : {}) });
  const humanAuthored = twist === 'approver-is-author';
  const author: Principal = humanAuthored ? human(requester) : agentActor;
  const commits = [commitOf(`${changeId}/1`)];
  const base = { changeId, repository: repo.repository, author, aiGenerated: true };
  let planted: PlantedException | undefined;
  const plant = (story: string) => (planted = { rule: twist as ExceptionRuleId, changeId, story });

  events.push(
    ev.taskRequested(on(), {
      taskId,
      agentId: agent.id,
      agentVersion: agent.version,
      requestedBy: human(requester),
      repository: repo.repository,
      paths: [`${repo.area}/**`, 'test/**'],
      summary: `Work item ${changeId.split('#')[1]} for ${repo.team}`,
    }),
  );
  for (let call = 0; call < 2 + Math.floor(random() * 3); call++) {
    const m = twist === 'model-not-allowed' && call === 1 ? UNAPPROVED_MODEL : pick(MODELS);
    const tokensIn = 2000 + Math.floor(random() * 20_000);
    const tokensOut = 300 + Math.floor(random() * 4000);
    const costUsd = Math.round((tokensIn * m.inUsd + tokensOut * m.outUsd) * 1e6) / 1e6;
    events.push(
      ev.modelInvocation(on(agentActor), {
        provider: m.provider,
        model: m.model,
        modelVersion: m.modelVersion,
        tokensIn,
        tokensOut,
        costUsd,
      }),
    );
  }
  if (twist === 'model-not-allowed')
    plant(`${agent.id} called ${UNAPPROVED_MODEL.model} ${UNAPPROVED_MODEL.modelVersion}, which is not on the allow-list`);
  events.push(
    ev.actionPerformed(on(agentActor), {
      agentId: agent.id,
      taskId,
      kind: 'file_write',
      target: `${repo.area}/handler-${index}.ts`,
      withinScope: true,
    }),
  );
  events.push(ev.actionPerformed(on(agentActor), { agentId: agent.id, taskId, kind: 'command', target: 'npm test', withinScope: true }));
  if (twist === 'blocked-action') {
    events.push(
      ev.actionPerformed(on(agentActor), {
        agentId: agent.id,
        taskId,
        kind: 'network',
        target: 'https://pastebin.example',
        withinScope: false,
        outcome: 'blocked',
      }),
    );
  }
  if (twist === 'agent-outside-scope') {
    events.push(
      ev.actionPerformed(on(agentActor), {
        agentId: agent.id,
        taskId,
        kind: 'file_write',
        target: 'infra/terraform/prod.tf',
        withinScope: true,
      }),
    );
    plant(
      `${agent.id} wrote infra/terraform/prod.tf although its task granted only ${repo.area}/** and test/** (the gateway reported it in scope)`,
    );
  }
  events.push(
    ev.changeOpened(on(humanAuthored ? { ...human(requester) } : agentActor), {
      ...base,
      commits,
      workItem: `${repo.team.toUpperCase()}-${1000 + index}`,
    }),
  );
  if (twist === 'left-open') {
    events.push(ev.policyDecision(on(CI), { policyId: 'ai.merge_gate', policyVersion: '1.4.0', decision: 'allow' }));
    return { events };
  }
  if (twist === 'policy-denied-then-allowed' || twist === 'merged-after-policy-deny') {
    events.push(
      ev.policyDecision(on(CI), {
        policyId: 'ai.merge_gate',
        policyVersion: '1.4.0',
        decision: 'deny',
        violatedRules: ['require_security_review'],
      }),
    );
    if (twist === 'merged-after-policy-deny')
      plant('ai.merge_gate 1.4.0 denied the merge (require_security_review) and it was merged anyway');
  }
  if (twist === 'scan-failed-then-fixed') {
    events.push(ev.scan(on(CI), { kind: 'sast', tool: 'semgrep', version: '1.79.0', commit: commits[0], passed: false }));
    commits.push(commitOf(`${changeId}/2`));
    events.push(ev.changeCommitted(on(agentActor), { ...base, commits: [commits[1]] }));
  }
  const head = commits[commits.length - 1];
  if (twist !== 'merged-after-policy-deny') {
    events.push(
      ev.policyDecision(on(CI), {
        policyId: 'ai.merge_gate',
        policyVersion: twist === 'policy-denied-then-allowed' ? '1.4.1' : '1.4.0',
        decision: 'allow',
      }),
    );
  }
  const sastPassed = twist !== 'merged-with-failing-scan';
  events.push(ev.scan(on(CI), { kind: 'sast', tool: 'semgrep', version: '1.79.0', commit: head, passed: sastPassed }));
  if (!sastPassed) plant('semgrep found 2 high-severity issues on the head commit and the change was merged anyway');
  if (twist !== 'merged-without-required-scan')
    events.push(ev.scan(on(CI), { kind: 'secrets', tool: 'gitleaks', version: '8.21.2', commit: head, passed: true }));
  else plant('the secrets scan the tenant requires never ran');

  if (twist === 'changes-requested-then-approved') {
    events.push(ev.review(on(human(reviewer)), { approver: reviewer, checkpoint: 'merge', decision: 'changes_requested', commit: head }));
  }
  if (twist === 'approver-is-author') {
    events.push(ev.review(on(human(requester)), { approver: requester, checkpoint: 'merge', decision: 'approve', commit: head }));
    plant(`${requester} wrote the change and approved it (another reviewer approved too)`);
  }
  if (twist === 'merged-without-independent-approval') plant('merged with no review at all');
  else
    events.push(
      ev.review(on(human(reviewer)), {
        approver: reviewer,
        role: 'senior-engineer',
        checkpoint: 'merge',
        decision: 'approve',
        commit: head,
      }),
    );

  events.push(
    ev.changeMerged(on(human(releaser)), { ...base, commits, mergedBy: human(releaser), mergeCommit: commitOf(`${changeId}/merge`) }),
  );
  if (twist === 'merged-without-independent-approval' || twist === 'merged-with-failing-scan') return { events, planted };

  const artifact = `${changeId}@${index}`;
  events.push(
    ev.deployment(on(CI), { environment: 'staging', changeIds: [changeId], triggeredBy: CI, artifact, deploymentId: `stg-${index}` }),
  );
  if (twist === 'deployed-without-approval') plant('deployed to production with no deploy approval');
  else
    events.push(ev.review(on(human(releaser)), { approver: releaser, role: 'release-manager', checkpoint: 'deploy', decision: 'approve' }));
  events.push(
    ev.deployment(on(CI), { environment: 'production', changeIds: [changeId], triggeredBy: CI, artifact, deploymentId: `prd-${index}` }),
  );
  if (twist === 'rolled-back') {
    events.push(
      ev.rollback(on(CI), {
        environment: 'production',
        changeIds: [changeId],
        triggeredBy: human(releaser),
        artifact,
        restored: `previous@${index}`,
        reason: 'p99 latency regression',
      }),
    );
  }
  return { events, planted };
}

/** Where the scenario's story starts unless told otherwise (tests and benchmarks use it). */
export const DEMO_DEFAULT_START = '2026-10-01T08:00:00Z';

type DemoShape = { readonly seed?: number; readonly changes?: number; readonly pace?: number };

const MINUTE_MS = 60_000;

// The events' producer times are offsets from the start that do not depend on it (for starts
// on a whole second), so a story can be moved in time without changing anything else.
const offsetOf = (event: CloudEvent): number => Date.parse(String(event.time)) - Date.parse(DEMO_DEFAULT_START);

// The pace (at most 1) at which the story takes no longer than `spanMs`: a demo posts its
// whole story at once, and evidence recorded long after it happened is late evidence to an
// auditor (evidence-packs.md), which the demo's story is not.
export function demoPaceWithin(spanMs: number, shape: Omit<DemoShape, 'pace'> = {}): number {
  const last = Math.max(...demoScenario(shape).events.map(offsetOf));
  return Math.min(1, spanMs / last);
}

// A start (on a whole minute) that makes the story's last event happen at least a minute
// before `endMs`: the demo tells a story that has just happened, so its producers' times and
// the ledger's recording times lie close together.
export function demoStartEndingBefore(endMs: number, shape: DemoShape = {}): string {
  const last = Math.max(...demoScenario(shape).events.map(offsetOf));
  const start = Math.floor((endMs - MINUTE_MS - last) / MINUTE_MS) * MINUTE_MS;
  return new Date(start).toISOString().replace('.000Z', 'Z');
}

// The start a scenario was posted with, from the producer time a ledger holds for one of its
// events (by id; ids do not depend on the start): a second run posts the very same events,
// which the ledger answers as retries. Undefined when the id is not the scenario's.
export function demoStartOf(eventId: string, time: string, shape: DemoShape = {}): string | undefined {
  const event = demoScenario(shape).events.find((e) => e.id === eventId);
  const at = Date.parse(time);
  if (event === undefined || Number.isNaN(at)) return undefined;
  return new Date(at - offsetOf(event)).toISOString().replace('.000Z', 'Z');
}

// Events are generated per change, then interleaved; their times are reassigned in posting
// order so the log reads forward in time.
function restamp(events: CloudEvent[]): CloudEvent[] {
  const times = events.map((e) => String(e.time)).sort();
  return events.map((e, i) => ({ ...e, time: times[i] }));
}

// A UUID (version 7 layout) derived from the seed, so posting the scenario twice is a retry.
function demoId(seed: number, n: number): string {
  const h = sha256(Buffer.from(`evidence-ledger/demo/${seed}/${n}`, 'utf8')).toString('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
