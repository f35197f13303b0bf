// A tiny client for the tests: every call returns status, headers and the parsed body.
/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field in tests */
export interface HttpResult<T = any> {
  readonly status: number;
  readonly contentType: string;
  readonly body: T;
  readonly text: string;
}

export async function call<T = any>(
  url: string,
  init: { method?: string; key?: string; json?: unknown; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body: string | Buffer | undefined = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (/json/.test(contentType) && text) parsed = JSON.parse(text);
  return { status: response.status, contentType, body: parsed as T, text };
}
