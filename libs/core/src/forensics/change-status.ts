/**
 * The life of a change, as the timeline derives it (docs/forensics.md, "State machine"):
 *
 *   opened → agent_work → policy → scans → reviews → merged → deployed ⇄ rolled_back
 *
 * Each event type belongs to one stage. A change's status is the furthest stage any of its
 * events has reached: work does not always arrive in this order (an agent often works
 * before the pull request is opened, a scan may rerun after a review), so an event of an
 * earlier stage never moves a change back. Past `merged`, a deployment and a rollback move
 * the change between `deployed` and `rolled_back`.
 */
export const CHANGE_STATUSES = ['opened', 'agent_work', 'policy', 'scans', 'reviews', 'merged', 'deployed', 'rolled_back'] as const;

export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

const STAGE_OF_TYPE: Readonly<Record<string, ChangeStatus>> = {
  'change.opened': 'opened',
  'agent.task.requested': 'agent_work',
  'agent.action.performed': 'agent_work',
  'model.invocation.completed': 'agent_work',
  'change.committed': 'agent_work',
  'policy.decision.recorded': 'policy',
  'scan.completed': 'scans',
  'review.decision.recorded': 'reviews',
  'change.merged': 'merged',
  'deployment.completed': 'deployed',
  'deployment.rolled_back': 'rolled_back',
};

const RANK: Readonly<Record<ChangeStatus, number>> = {
  opened: 0,
  agent_work: 1,
  policy: 2,
  scans: 3,
  reviews: 4,
  merged: 5,
  deployed: 6,
  rolled_back: 6,
};

export function isChangeStatus(value: string): value is ChangeStatus {
  return (CHANGE_STATUSES as readonly string[]).includes(value);
}

/** The stage an event type belongs to; undefined for types that do not move a change. */
export function stageOf(type: string): ChangeStatus | undefined {
  return STAGE_OF_TYPE[type];
}

// The transition function: the status after an event of `type`, from `current` (undefined
// before the change's first event that has a stage).
export function nextStatus(current: ChangeStatus | undefined, type: string): ChangeStatus | undefined {
  const stage = stageOf(type);
  if (stage === undefined) return current;
  if (current === undefined) return stage;
  if (RANK[stage] > RANK[current]) return stage;
  // deployed ⇄ rolled_back: the latest deployment event decides.
  if (RANK[stage] === RANK.deployed && RANK[current] === RANK.deployed) return stage;
  return current;
}
