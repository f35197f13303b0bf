import { PayloadReader } from '../payload-reader';
import { actionName, GIT_COMMIT, ignored, MapperResult, TIMESTAMP } from './github-fact';
import { pullRequestChangeId, repositoryOf } from './github-repository';
import { accountIdExtension, actorOf, userAt } from './github-user';

const DECISIONS: Readonly<Record<string, 'approve' | 'changes_requested'>> = {
  approved: 'approve',
  changes_requested: 'changes_requested',
};

const RATIONALE_MAX = 4096;

/**
 * `pull_request_review` `submitted` → `review.decision.recorded` at the `merge` checkpoint:
 * approved → approve, changes_requested → changes_requested. A review that only comments is
 * no decision, and dismissals are not recorded. The approver is the reviewer's login at the
 * GitHub instance, in the role of their association with the repository (`member`, `owner`…);
 * `mfa` is false because a webhook does not say how the reviewer signed in. The review text is
 * the rationale, cut to 4096 characters.
 */
export function mapPullRequestReview(r: PayloadReader): MapperResult {
  const action = r.text('action', { max: 64 });
  if (action === undefined) return undefined;
  if (action !== 'submitted') return ignored(`pull_request_review action ${actionName(action)} is not recorded`);
  const state = r.text('review.state', { max: 64 })?.toLowerCase();
  if (state === undefined) return undefined;
  const decision = DECISIONS[state];
  if (!decision)
    return ignored(
      state === 'commented' ? 'a review that only comments is not a decision' : `review state ${actionName(state)} is not recorded`,
    );

  const repo = repositoryOf(r);
  const number = r.integer('pull_request.number');
  const reviewer = userAt(r, 'review.user');
  const commit = r.optionalText('review.commit_id', GIT_COMMIT);
  const time = r.optionalText('review.submitted_at', TIMESTAMP);
  const association = r.optionalText('review.author_association', { max: 64 });
  const body = r.value('review.body');
  if (!repo || number === undefined || !reviewer) return undefined;
  const rationale = typeof body === 'string' && body.trim() !== '' ? cut(body, RATIONALE_MAX) : undefined;
  return {
    source: repo.source,
    type: 'review.decision.recorded',
    ...(time && { time }),
    datacontenttype: 'application/json',
    actor: actorOf(reviewer, repo),
    changeid: pullRequestChangeId(repo, number),
    ...accountIdExtension(reviewer),
    data: {
      approver: { subject: reviewer.login, issuer: repo.issuer, role: association?.toLowerCase() ?? 'reviewer', mfa: false },
      checkpoint: 'merge',
      decision,
      ...(commit && { commit }),
      ...(rationale && { rationale }),
    },
  };
}

// At most `max` UTF-16 units without splitting a surrogate pair.
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}
