import { postingRuns } from '@evidence-ledger/samples';
import { call } from './http-client';

/** The keys a scenario is posted with: settings need the admin, the rest the producer. */
export interface ScenarioKeys {
  readonly producer: string;
  readonly admin: string;
}

// Posts events in order, 100 per request, each request with the key whose role may post it;
// returns each request's status.
export async function postScenario(url: string, keys: ScenarioKeys, events: readonly Record<string, unknown>[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const run of postingRuns(events, 100)) {
    statuses.push((await call(`${url}/v1/events`, { key: run.role === 'admin' ? keys.admin : keys.producer, json: run.events })).status);
  }
  return statuses;
}
