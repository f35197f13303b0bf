import { PayloadReader } from '../payload-reader';
import { actionName, GIT_COMMIT, ignored, MapperResult, TIMESTAMP } from './github-fact';
import { pullRequestChangeId, repositoryOf } from './github-repository';
import { accountIdExtension, actorOf, changeAuthorOf, GithubUser, principalOf, userAt } from './github-user';

/** The pull-request label that marks a change as containing AI-generated code. */
export const AI_GENERATED_LABEL = 'ai-generated';

/**
 * `pull_request` deliveries → the change's life:
 * - `opened` → `change.opened` (commits: the head commit), acted by the PR's author;
 * - `synchronize` (commits pushed) → `change.committed` (commits: the new head), by the sender;
 * - `closed` with `merged: true` → `change.merged` (merge commit, who merged), by the merger.
 * A PR closed without merging, and every other action, is not recorded.
 * `aiGenerated` is true when the PR carries the `ai-generated` label: a webhook cannot tell otherwise.
 */
export function mapPullRequest(r: PayloadReader): MapperResult {
  const action = r.text('action', { max: 64 });
  if (action === undefined) return undefined;
  if (action === 'closed' && r.value('pull_request.merged') !== true) return ignored('a pull request closed without merging');
  if (action !== 'opened' && action !== 'synchronize' && action !== 'closed') {
    return ignored(`pull_request action ${actionName(action)} is not recorded`);
  }
  const repo = repositoryOf(r);
  const number = r.integer('pull_request.number');
  const author = userAt(r, 'pull_request.user');
  const head = r.text('pull_request.head.sha', GIT_COMMIT);
  const baseBranch = r.optionalText('pull_request.base.ref', { max: 256 });
  if (!repo || number === undefined || !author || !head) return undefined;

  const changeId = pullRequestChangeId(repo, number);
  const data = {
    changeId,
    repository: repo.locator,
    author: changeAuthorOf(author),
    commits: [head],
    aiGenerated: hasLabel(r, AI_GENERATED_LABEL),
    ...(baseBranch && { baseBranch }),
  };
  const fact = (type: string, actor: GithubUser, time: string | undefined, extra: Record<string, unknown> = {}) => ({
    source: repo.source,
    type,
    ...(time && { time }),
    datacontenttype: 'application/json',
    actor: actorOf(actor, repo),
    changeid: changeId,
    ...accountIdExtension(actor),
    data: { ...data, ...extra },
  });

  if (action === 'opened') return fact('change.opened', author, r.optionalText('pull_request.created_at', TIMESTAMP));
  if (action === 'synchronize') {
    const after = r.text('after', GIT_COMMIT);
    const sender = userAt(r, 'sender');
    if (!after || !sender) return undefined;
    return fact('change.committed', sender, r.optionalText('pull_request.updated_at', TIMESTAMP), { commits: [after] });
  }
  return mergedFact(r, (actor, time, extra) => fact('change.merged', actor, time, extra));
}

function mergedFact(
  r: PayloadReader,
  fact: (actor: GithubUser, time: string | undefined, extra: Record<string, unknown>) => MapperResult,
): MapperResult {
  const mergedBy = r.value('pull_request.merged_by') ? userAt(r, 'pull_request.merged_by') : undefined;
  const actor = mergedBy ?? userAt(r, 'sender');
  const mergeCommit = r.optionalText('pull_request.merge_commit_sha', GIT_COMMIT);
  if (!actor) return undefined;
  return fact(actor, r.optionalText('pull_request.merged_at', TIMESTAMP), {
    ...(mergedBy && { mergedBy: principalOf(mergedBy) }),
    ...(mergeCommit && { mergeCommit }),
  });
}

function hasLabel(r: PayloadReader, name: string): boolean {
  const labels = r.value('pull_request.labels');
  return Array.isArray(labels) && labels.some((l) => typeof l?.name === 'string' && l.name.toLowerCase() === name);
}
