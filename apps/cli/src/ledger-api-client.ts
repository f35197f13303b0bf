import { ApiOutcome, HttpMethod, LedgerApi, Problem } from '@evidence-ledger/sdk';
import { CliError } from './cli-error';

/** Where the service is and which key to use: --url / --api-key, or LEDGER_URL / LEDGER_API_KEY. */
export interface ApiTarget {
  readonly url: string;
  readonly apiKey: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

// The SDK's `LedgerApi` for the target, once `--url` is known to be a URL (the CLI's usage error).
export function ledgerApi(target: ApiTarget, requestTimeoutMs = REQUEST_TIMEOUT_MS): { api: LedgerApi; origin: string } {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new CliError('USAGE', `--url: "${target.url}" is not a URL`);
  }
  return { api: new LedgerApi({ url: target.url, apiKey: target.apiKey, requestTimeoutMs }), origin: url.origin };
}

// Calls the ledger's HTTP API through the SDK; a problem+json answer becomes a one-line CLI
// error naming its code. `path` is relative to the service's URL (`v1/api-keys`).
export async function callLedger<T>(target: ApiTarget, method: HttpMethod, path: string, body?: unknown): Promise<T> {
  const { api, origin } = ledgerApi(target);
  return answerOf(await api.send<T>(method, `/${path}`, new AbortController().signal, body), origin);
}

/** The body of a 2xx outcome, or the CLI error the other outcomes read as; `context` prefixes a refusal. */
export function answerOf<T>(outcome: ApiOutcome<T>, origin: string, context = ''): T {
  if (outcome.kind === 'ok') return outcome.body;
  if (outcome.kind === 'network')
    throw new CliError('INPUT_UNAVAILABLE', `cannot reach the ledger at ${origin}: ${(outcome.error as Error).message}`);
  throw new CliError('INPUT_INVALID', `${context}${problemLine(outcome.problem)}`);
}

// `detail (unsaid violations) [CODE]`, or just the status when the answer was not a problem document.
function problemLine(problem: Problem): string {
  if (!problem.document) return `HTTP ${problem.status}`;
  return `${describeProblem(problem.detail, problem.errors)} [${problem.code}]`;
}

// The problem's detail, followed by the field violations it does not already state. A
// single-field refusal's detail usually is the violation (`to: must be after from`); said
// again in brackets it would read twice.
export function describeProblem(detail: string, violations: readonly { path: string; message: string }[]): string {
  const unsaid = violations.filter((v) => !detail.includes(v.message)).map((v) => `${v.path} ${v.message}`);
  return unsaid.length ? `${detail} (${unsaid.join('; ')})` : detail;
}
