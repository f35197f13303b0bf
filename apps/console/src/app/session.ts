// The API key lives in this tab's sessionStorage only: never in a URL, a cookie or
// localStorage, gone when the tab closes.
const KEY = 'evidence-ledger.api-key';

export function storedApiKey(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function storeApiKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(KEY);
}
