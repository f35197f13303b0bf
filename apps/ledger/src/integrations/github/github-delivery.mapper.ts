import { EventEnvelope } from '@evidence-ledger/core';
import { foreignEventId } from '../foreign-event-id';
import { IgnoredItem } from '../ingest-reply';
import { PayloadReader } from '../payload-reader';
import { mapDeploymentStatus } from './deployment-status.mapper';
import { GithubDelivery } from './github-delivery';
import { GithubMapper, Ignored } from './github-fact';
import { mapPullRequestReview } from './pull-request-review.mapper';
import { mapPullRequest } from './pull-request.mapper';
import { mapPush } from './push.mapper';

/** The webhook events the ledger records; subscribe the webhook to these. A Map: event names come from a header. */
export const GITHUB_MAPPERS: ReadonlyMap<string, GithubMapper> = new Map([
  ['pull_request', mapPullRequest],
  ['pull_request_review', mapPullRequestReview],
  ['push', mapPush],
  ['deployment_status', mapDeploymentStatus],
]);

export interface GithubDeliveryMapping {
  readonly events: EventEnvelope[];
  readonly ignored: IgnoredItem[];
}

/**
 * Translates one verified delivery into catalog events (at most one today). The event id
 * derives from the delivery GUID (`<guid>/<n>`), which GitHub keeps on redelivery, so a
 * redelivered webhook is answered with the original receipt and writes nothing. A handled
 * event missing a field it needs is rejected, naming the payload fields at fault.
 */
export function mapGithubDelivery({ event, deliveryId, payload }: GithubDelivery): GithubDeliveryMapping {
  const mapper = GITHUB_MAPPERS.get(event);
  if (!mapper) return { events: [], ignored: [{ reason: `the "${event}" event is not recorded` }] };
  const reader = new PayloadReader(payload);
  const result = mapper(reader);
  reader.assertValid(`the ${event} delivery lacks fields the ledger records; nothing was written`);
  if (result === undefined) throw new Error(`the ${event} mapper returned nothing without naming a field`);
  if (result instanceof Ignored) return { events: [], ignored: [{ reason: result.reason }] };
  const envelope = { specversion: '1.0', id: foreignEventId('github.delivery', `${deliveryId}/0`), ...result } as EventEnvelope;
  return { events: [envelope], ignored: [] };
}
