import { FormEvent, useState } from 'react';

/** The sign-in form: one API key, checked by the API before anything is shown. */
export function SignIn({ onSignIn, error, busy }: { onSignIn: (key: string) => void; error?: string; busy: boolean }) {
  const [key, setKey] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) onSignIn(key.trim());
  };
  return (
    <main className="sign-in">
      <h1>Evidence Ledger — auditor's console</h1>
      <p>Every checkpoint signature and inclusion proof shown here is verified by this page, in your browser.</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          required
          autoFocus
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {error && (
        <p id="sign-in-error" className="error" role="alert">
          {error}
        </p>
      )}
      <p className="hint">The key stays in this tab only (sessionStorage) and is sent as an Authorization header.</p>
    </main>
  );
}
