import { PayloadReader } from '../payload-reader';
import { GIT_COMMIT, ignored, MapperResult, TIMESTAMP } from './github-fact';
import { branchChangeId, repositoryOf } from './github-repository';
import { accountIdExtension, actorOf, changeAuthorOf, userAt } from './github-user';

const BRANCH_REF = /^refs\/heads\/(.{1,256})$/;
const MAX_COMMITS = 1000;

/**
 * `push` to a branch → `change.committed` with the pushed commits (GitHub lists at most 20 per
 * delivery). A push belongs to no pull request, so its change id is the branch:
 * `github.com/acme/pay@main` — direct pushes to a protected branch show up on that timeline.
 * Tag pushes, branch deletions and pushes without new commits are not recorded.
 * `aiGenerated` is false: a push carries no marker of AI-written code.
 */
export function mapPush(r: PayloadReader): MapperResult {
  const ref = r.text('ref', { max: 300 });
  if (ref === undefined) return undefined;
  const branch = BRANCH_REF.exec(ref)?.[1];
  if (!branch) return ignored('only pushes to branches are recorded');
  if (r.value('deleted') === true) return ignored('a branch deletion is not recorded');
  const listed = r.value('commits');
  if (!Array.isArray(listed) || listed.length === 0) return ignored('a push without new commits is not recorded');
  if (listed.length > MAX_COMMITS) return r.violate('commits', `must list at most ${MAX_COMMITS} commits`);

  const repo = repositoryOf(r);
  const pusher = userAt(r, 'sender');
  const commits = [...new Set(listed.map((_, i) => r.text(`commits.${i}.id`, GIT_COMMIT)))];
  if (!repo || !pusher || commits.some((c) => c === undefined)) return undefined;
  const time = pushedAt(r) ?? r.optionalText('head_commit.timestamp', TIMESTAMP);
  const changeId = branchChangeId(repo, branch);
  return {
    source: repo.source,
    type: 'change.committed',
    ...(time && { time }),
    datacontenttype: 'application/json',
    actor: actorOf(pusher, repo),
    changeid: changeId,
    ...accountIdExtension(pusher),
    data: {
      changeId,
      repository: repo.locator,
      author: changeAuthorOf(pusher),
      commits: commits as string[],
      aiGenerated: false,
      baseBranch: branch,
    },
  };
}

// `repository.pushed_at` is Unix seconds in push deliveries.
function pushedAt(r: PayloadReader): string | undefined {
  const seconds = r.value('repository.pushed_at');
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds <= 0 || seconds > 253402300799) return undefined;
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
