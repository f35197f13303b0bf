/* eslint-disable @typescript-eslint/no-explicit-any -- payload variants are edited freely in tests */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One webhook payload from `@octokit/webhooks-examples`, with where it came from. */
export interface OctokitExample {
  /** `X-GitHub-Event`. */
  readonly event: string;
  /** `api.github.com` or a GitHub Enterprise Server release (`ghes-35`). */
  readonly variant: string;
  /** Position among the examples of its event and variant. */
  readonly index: number;
  readonly payload: Record<string, unknown>;
}

const VARIANTS = ['api.github.com', 'ghes-31', 'ghes-32', 'ghes-33', 'ghes-34', 'ghes-35'];

// Real payloads contributed to octokit/webhooks by the community — nobody here wrote them.
// Without `events`, every example of every event.
export function octokitExamples(events?: readonly string[]): OctokitExample[] {
  const root = dirname(require.resolve('@octokit/webhooks-examples/package.json'));
  return VARIANTS.flatMap((variant) => {
    const definitions = JSON.parse(readFileSync(join(root, variant, 'index.json'), 'utf8')) as {
      name: string;
      examples: Record<string, unknown>[];
    }[];
    return definitions
      .filter((d) => events === undefined || events.includes(d.name))
      .flatMap((d) => d.examples.map((payload, index) => ({ event: d.name, variant, index, payload })));
  });
}

/** A label for `it.each`: `pull_request opened (api.github.com #0)`. */
export function exampleName(e: OctokitExample): string {
  const action = typeof e.payload.action === 'string' ? ` ${e.payload.action}` : '';
  return `${e.event}${action} (${e.variant} #${e.index})`;
}

/** A deep copy with changes, for variants GitHub sends but the examples lack (a merge, an approval). */
export function variantOf(payload: Record<string, unknown>, change: (copy: Record<string, any>) => void): Record<string, unknown> {
  const copy = structuredClone(payload) as Record<string, any>;
  change(copy);
  return copy;
}
