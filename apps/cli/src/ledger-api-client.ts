import { CliError } from './cli-error';

/** Where the service is and which key to use: --url / --api-key, or LEDGER_URL / LEDGER_API_KEY. */
export interface ApiTarget {
  readonly url: string;
  readonly apiKey: string;
}

// Calls the ledger's HTTP API; a problem+json answer becomes a one-line CLI error naming its code.
export async function callLedger<T>(target: ApiTarget, method: string, path: string, body?: unknown): Promise<T> {
  let url: URL;
  try {
    url = new URL(path, target.url.endsWith('/') ? target.url : `${target.url}/`);
  } catch {
    throw new CliError('USAGE', `--url: "${target.url}" is not a URL`);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${target.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new CliError('INPUT_UNAVAILABLE', `cannot reach the ledger at ${url.origin}: ${(e as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      const problem = JSON.parse(text) as { code?: string; detail?: string; errors?: { path: string; message: string }[] };
      detail = `${describeProblem(problem.detail ?? detail, problem.errors ?? [])} [${problem.code ?? response.status}]`;
    } catch {
      // not a problem document: keep the status
    }
    throw new CliError('INPUT_INVALID', detail);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

// The problem's detail, followed by the field violations it does not already state. A
// single-field refusal's detail usually is the violation (`to: must be after from`); said
// again in brackets it would read twice.
export function describeProblem(detail: string, violations: readonly { path: string; message: string }[]): string {
  const unsaid = violations.filter((v) => !detail.includes(v.message)).map((v) => `${v.path} ${v.message}`);
  return unsaid.length ? `${detail} (${unsaid.join('; ')})` : detail;
}
