/** A refusal by the API, with the problem's code and its human sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The calling key, as `GET /v1/whoami` tells it. */
export interface WhoAmI {
  readonly tenant: string;
  readonly role: 'producer' | 'auditor' | 'admin';
  readonly keyId: string;
}

// Every call is same-origin (the CSP allows nothing else) and carries the key as a header.
export async function apiGet<T>(apiKey: string, path: string, as: 'json' | 'text' = 'json'): Promise<T> {
  const response = await apiFetch(apiKey, path);
  return (as === 'json' ? response.json() : response.text()) as Promise<T>;
}

export async function apiPost<T>(apiKey: string, path: string, body: unknown): Promise<T> {
  const response = await apiFetch(apiKey, path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return response.json() as Promise<T>;
}

export async function apiBytes(apiKey: string, path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await apiFetch(apiKey, path)).arrayBuffer());
}

async function apiFetch(apiKey: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${apiKey}` };
  const response = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(response.status, problem.code ?? String(response.status), problem.detail ?? response.statusText);
  }
  return response;
}

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string][];
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
