import { createHash } from 'node:crypto';
import { envelopeViolations, EventEnvelope, InvalidEventError } from '@evidence-ledger/core';
import { validateEventData } from '../../catalog/validate-event-data';
import { foreignEventId } from '../foreign-event-id';
import { GITHUB_MAPPERS, mapGithubDelivery } from './github-delivery.mapper';
import { exampleName, octokitExamples, variantOf } from './testing/octokit-examples';

const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const map = (event: string, payload: Record<string, unknown>) => mapGithubDelivery({ event, deliveryId: DELIVERY, payload });
const only = (event: string, payload: Record<string, unknown>): EventEnvelope => {
  const { events } = map(event, payload);
  expect(events).toHaveLength(1);
  return events[0];
};
const example = (event: string, action?: string) =>
  octokitExamples([event]).find((e) => e.variant === 'api.github.com' && (action === undefined || e.payload.action === action))!.payload;

function expectCatalogValid(e: EventEnvelope): void {
  expect(envelopeViolations(e)).toEqual([]);
  expect(validateEventData(e.type, e.data, 'data')).toEqual([]);
}

describe('mapping GitHub webhook deliveries', () => {
  describe.each(octokitExamples([...GITHUB_MAPPERS.keys()]).map((e) => [exampleName(e), e] as const))(
    'the octokit example %s',
    (_name, e) => {
      it('becomes a catalog-valid event or is passed over with a reason', () => {
        const { events, ignored } = map(e.event, e.payload);
        expect(events.length + ignored.length).toBe(1);
        for (const event of events) expectCatalogValid(event);
        for (const i of ignored) expect(i.reason).toMatch(/not recorded|not a decision|without merging|only/);
      });
    },
  );

  it('records an opened pull request as change.opened under the repository#number change id', () => {
    const event = only('pull_request', example('pull_request', 'opened'));
    expect(event).toEqual({
      specversion: '1.0',
      id: foreignEventId('github.delivery', `${DELIVERY}/0`),
      source: 'https://github.com/codertocat/hello-world',
      type: 'change.opened',
      time: '2019-05-15T15:20:33Z',
      datacontenttype: 'application/json',
      actor: { kind: 'human', id: 'Codertocat', issuer: 'https://github.com' },
      changeid: 'github.com/codertocat/hello-world#2',
      githubactorid: 21031067,
      data: {
        changeId: 'github.com/codertocat/hello-world#2',
        repository: 'github.com/codertocat/hello-world',
        author: { kind: 'human', id: 'Codertocat' },
        commits: ['ec26c3e57ca3a959ca5aad62de7213c562f8c821'],
        aiGenerated: false,
        baseBranch: 'master',
      },
    });
  });

  it('marks a pull request labelled ai-generated, and a bot author as an agent', () => {
    const payload = variantOf(example('pull_request', 'opened'), (p) => {
      p.pull_request.labels = [{ name: 'AI-Generated' }];
      p.pull_request.user.type = 'Bot';
    });
    expect(only('pull_request', payload).data).toMatchObject({ aiGenerated: true, author: { kind: 'agent' } });
  });

  it('records new commits on a pull request as change.committed with the new head', () => {
    const event = only('pull_request', example('pull_request', 'synchronize'));
    expect(event).toMatchObject({ type: 'change.committed', changeid: 'github.com/codertocat/hello-world#2' });
    expect(event.data).toMatchObject({ commits: ['ec26c3e57ca3a959ca5aad62de7213c562f8c821'] });
  });

  it('records a merge with who merged it and the merge commit, and passes over a PR closed unmerged', () => {
    const closed = example('pull_request', 'closed');
    expect(map('pull_request', closed)).toEqual({ events: [], ignored: [{ reason: 'a pull request closed without merging' }] });
    const merged = variantOf(closed, (p) => {
      p.pull_request.merged = true;
      p.pull_request.merged_at = '2019-05-15T15:21:18Z';
      p.pull_request.merged_by = { ...p.sender, login: 'octo-merger', id: 7 };
    });
    const event = only('pull_request', merged);
    expectCatalogValid(event);
    expect(event).toMatchObject({ type: 'change.merged', time: '2019-05-15T15:21:18Z', actor: { id: 'octo-merger' }, githubactorid: 7 });
    expect(event.data).toMatchObject({
      mergedBy: { kind: 'human', id: 'octo-merger' },
      mergeCommit: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
    });
  });

  it('records an approving review as a review decision on the reviewed commit, and a comment-only review not at all', () => {
    const commented = example('pull_request_review', 'submitted');
    expect(map('pull_request_review', commented).ignored).toEqual([{ reason: 'a review that only comments is not a decision' }]);
    const approved = variantOf(commented, (p) => {
      p.review.state = 'approved';
      p.review.body = 'Looks good.';
    });
    const event = only('pull_request_review', approved);
    expectCatalogValid(event);
    expect(event).toMatchObject({
      type: 'review.decision.recorded',
      changeid: 'github.com/codertocat/hello-world#2',
      time: '2019-05-15T15:20:38Z',
    });
    expect(event.data).toEqual({
      approver: { subject: 'Codertocat', issuer: 'https://github.com', role: 'owner', mfa: false },
      checkpoint: 'merge',
      decision: 'approve',
      commit: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      rationale: 'Looks good.',
    });
    const changes = variantOf(commented, (p) => (p.review.state = 'CHANGES_REQUESTED'));
    expect(only('pull_request_review', changes).data).toMatchObject({ decision: 'changes_requested' });
  });

  it('cuts a long review text to the rationale limit without splitting a character', () => {
    const payload = variantOf(example('pull_request_review', 'submitted'), (p) => {
      p.review.state = 'approved';
      p.review.body = `${'x'.repeat(4095)}😀 and more`;
    });
    const event = only('pull_request_review', payload);
    expect((event.data as { rationale: string }).rationale).toBe('x'.repeat(4095));
    expectCatalogValid(event);
  });

  it('records a branch push as change.committed on the branch, and passes over tag pushes', () => {
    const pushes = octokitExamples(['push']).filter((e) => e.variant === 'api.github.com');
    const branch = pushes.find((e) => e.payload.ref === 'refs/heads/master')!.payload;
    const event = only('push', branch);
    expect(event).toMatchObject({
      type: 'change.committed',
      changeid: 'github.com/codertocat/hello-world@master',
      time: '2019-05-15T15:20:57Z',
    });
    expect(event.data).toMatchObject({ commits: ['6113728f27ae82c7b1a177c8d03f9e96e0adf246'], baseBranch: 'master', aiGenerated: false });
    const tag = pushes.find((e) => e.payload.ref === 'refs/tags/simple-tag')!.payload;
    expect(map('push', tag).ignored).toEqual([{ reason: 'only pushes to branches are recorded' }]);
  });

  it('records a successful deployment with a digest of the deployed commit, or the declared artifact digest', () => {
    const success = example('deployment_status');
    const event = only('deployment_status', success);
    const ref = 'git+https://github.com/codertocat/hello-world@f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
    expect(event).toMatchObject({ type: 'deployment.completed', artifactref: ref });
    expect(event.data).toEqual({
      environment: 'production',
      deploymentId: '145988746',
      artifactDigest: `sha256:${createHash('sha256').update(ref).digest('hex')}`,
      changeIds: [],
      triggeredBy: { kind: 'human', id: 'Codertocat' },
    });
    const declared = variantOf(success, (p) => {
      p.deployment.payload = { artifact_digest: `sha256:${'8'.repeat(64)}` };
      p.workflow_run = { pull_requests: [{ number: 482 }] };
    });
    const withDigest = only('deployment_status', declared);
    expect(withDigest).not.toHaveProperty('artifactref');
    expect(withDigest).toMatchObject({ changeid: 'github.com/codertocat/hello-world#482' });
    expect(withDigest.data).toMatchObject({
      artifactDigest: `sha256:${'8'.repeat(64)}`,
      changeIds: ['github.com/codertocat/hello-world#482'],
    });
  });

  it('passes over deployments that did not succeed', () => {
    const inProgress = octokitExamples(['deployment_status']).find(
      (e) => (e.payload.deployment_status as { state: string }).state !== 'success',
    )!;
    expect(map('deployment_status', inProgress.payload).ignored).toEqual([{ reason: 'only successful deployments are recorded' }]);
  });

  it.each(['issues', 'constructor', '__proto__', 'hasownproperty'])('passes over the %s event, which it does not record', (event) => {
    expect(map(event, { action: 'opened' })).toEqual({ events: [], ignored: [{ reason: `the "${event}" event is not recorded` }] });
  });

  it('keeps a GitHub Enterprise Server host in change ids and the issuer', () => {
    const payload = variantOf(example('pull_request', 'opened'), (p) => (p.repository.html_url = 'https://GHE.acme.com/Pay/Service'));
    expect(only('pull_request', payload)).toMatchObject({
      source: 'https://ghe.acme.com/pay/service',
      changeid: 'ghe.acme.com/pay/service#2',
      actor: { issuer: 'https://ghe.acme.com' },
    });
  });

  it('rejects a handled delivery missing what it needs, naming the payload fields', () => {
    const payload = variantOf(example('pull_request', 'opened'), (p) => {
      delete p.repository.html_url;
      p.pull_request.head.sha = 'abc';
      p.pull_request.number = -1;
    });
    try {
      map('pull_request', payload);
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidEventError);
      expect((e as InvalidEventError).violations.map((v) => v.path)).toEqual([
        'repository.html_url',
        'pull_request.number',
        'pull_request.head.sha',
      ]);
    }
  });

  it('gives a redelivery the same event id, and another delivery another', () => {
    const payload = example('pull_request', 'opened');
    expect(only('pull_request', payload).id).toBe(only('pull_request', payload).id);
    expect(mapGithubDelivery({ event: 'pull_request', deliveryId: 'other', payload }).events[0].id).not.toBe(
      only('pull_request', payload).id,
    );
  });
});
