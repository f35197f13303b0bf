import { sha256 } from '@evidence-ledger/core';
import { PayloadReader } from '../payload-reader';
import { GIT_COMMIT, ignored, MapperResult, TIMESTAMP } from './github-fact';
import { GithubRepository, pullRequestChangeId, repositoryOf } from './github-repository';
import { accountIdExtension, actorOf, principalOf, userAt } from './github-user';

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_CHANGES = 1000;

/**
 * `deployment_status` with state `success` → `deployment.completed`. Other states (queued,
 * in_progress, failure, error, inactive) are not recorded: the catalog has no event for them.
 *
 * `artifactDigest` is `payload.artifact_digest` of the deployment when the deploy workflow put
 * one there. Otherwise a GitHub deployment names a commit, not a built artifact, and the digest
 * is SHA-256 of the text `git+<repository URL>@<commit>`, which the `artifactref` extension
 * carries beside it. `changeIds` are the pull requests of the workflow run that deployed.
 */
export function mapDeploymentStatus(r: PayloadReader): MapperResult {
  const state = r.text('deployment_status.state', { max: 64 });
  if (state === undefined) return undefined;
  if (state !== 'success') return ignored('only successful deployments are recorded');

  const repo = repositoryOf(r);
  const environment = r.optionalText('deployment_status.environment', { max: 512 }) ?? r.text('deployment.environment', { max: 512 });
  const deploymentId = r.value('deployment.id');
  const commit = r.text('deployment.sha', GIT_COMMIT);
  const creator = userAt(r, 'deployment.creator');
  const time = r.optionalText('deployment_status.updated_at', TIMESTAMP) ?? r.optionalText('deployment_status.created_at', TIMESTAMP);
  const declared = r.optionalText('deployment.payload.artifact_digest', {
    max: 71,
    pattern: SHA256_DIGEST,
    hint: 'must be "sha256:" and 64 lowercase hex digits',
  });
  const changeIds = repo ? pullRequestsOf(r, repo) : [];
  if (!repo || !environment || !commit || !creator || !changeIds) return undefined;
  const artifactRef = `git+${repo.source}@${commit}`;
  return {
    source: repo.source,
    type: 'deployment.completed',
    ...(time && { time }),
    datacontenttype: 'application/json',
    actor: actorOf(creator, repo),
    ...(changeIds.length === 1 && { changeid: changeIds[0] }),
    ...accountIdExtension(creator),
    ...(!declared && { artifactref: artifactRef }),
    data: {
      environment,
      ...(Number.isSafeInteger(deploymentId) && { deploymentId: String(deploymentId) }),
      artifactDigest: declared ?? `sha256:${sha256(Buffer.from(artifactRef, 'utf8')).toString('hex')}`,
      changeIds,
      triggeredBy: principalOf(creator),
    },
  };
}

function pullRequestsOf(r: PayloadReader, repo: GithubRepository): string[] | undefined {
  const listed = r.value('workflow_run.pull_requests');
  if (!Array.isArray(listed)) return [];
  if (listed.length > MAX_CHANGES) return r.violate('workflow_run.pull_requests', `must list at most ${MAX_CHANGES} pull requests`);
  const numbers = listed.map((_, i) => r.integer(`workflow_run.pull_requests.${i}.number`));
  if (numbers.some((n) => n === undefined)) return undefined;
  return [...new Set(numbers as number[])].map((n) => pullRequestChangeId(repo, n));
}
