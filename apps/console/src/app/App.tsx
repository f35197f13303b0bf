import { useEffect, useState } from 'react';
import { Changes } from '../pages/Changes';
import { Entry } from '../pages/Entry';
import { EvidencePacks } from '../pages/EvidencePacks';
import { APPROVALS, EXCEPTIONS, INVENTORY, SPEND } from '../pages/forensics-tables';
import { ForensicsTable } from '../pages/ForensicsTable';
import { Overview } from '../pages/Overview';
import { SignIn } from '../pages/SignIn';
import { Timeline } from '../pages/Timeline';
import { ApiError, apiGet, WhoAmI } from './api';
import { Link } from './Link';
import { navigate, ForensicsPage, useRoute } from './route';

const TABLES: readonly (readonly [ForensicsPage, string])[] = [
  ['exceptions', 'Exceptions'],
  ['inventory', 'AI inventory'],
  ['approvals', 'Approvals'],
  ['spend', 'Spend'],
];
import { forgetApiKey, storeApiKey, storedApiKey } from './session';

type Session = { readonly apiKey: string; readonly who: WhoAmI };

// Signs in by asking the API who the key is: a wrong key is refused there, and the role
// decides which pages exist. Producers (services that post events) get no auditor page.
export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const route = useRoute();

  const signIn = async (apiKey: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const who = await apiGet<WhoAmI>(apiKey, '/v1/whoami');
      storeApiKey(apiKey);
      setSession({ apiKey, who });
    } catch (e) {
      forgetApiKey();
      setError(
        e instanceof ApiError && e.status === 401
          ? 'This API key was refused: it is not valid or has been revoked.'
          : `Cannot sign in: ${(e as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  const signOut = () => {
    forgetApiKey();
    setSession(undefined);
    navigate({ page: 'overview' });
  };

  useEffect(() => {
    const key = storedApiKey();
    if (key) void signIn(key);
  }, []);

  if (!session) return <SignIn onSignIn={signIn} error={error} busy={busy} />;
  const auditor = session.who.role === 'auditor' || session.who.role === 'admin';
  return (
    <>
      <header className="top">
        <span className="brand">Evidence Ledger</span>
        {auditor && (
          <nav aria-label="Pages">
            <Link to={{ page: 'overview' }} current={route.page === 'overview'}>
              Overview
            </Link>
            <Link to={{ page: 'changes' }} current={route.page === 'changes' || route.page === 'change'}>
              Changes
            </Link>
            {TABLES.map(([page, label]) => (
              <Link key={page} to={{ page }} current={route.page === page}>
                {label}
              </Link>
            ))}
            <Link to={{ page: 'entry' }} current={route.page === 'entry'}>
              Entries
            </Link>
            <Link to={{ page: 'packs' }} current={route.page === 'packs'}>
              Evidence packs
            </Link>
          </nav>
        )}
        <span className="who" title={`key id ${session.who.keyId}`}>
          <strong>{session.who.tenant}</strong> · {session.who.role}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {!auditor && (
          <section aria-labelledby="producer-title">
            <h1 id="producer-title">No auditor pages for this key</h1>
            <p role="alert">
              This is a {session.who.role} key: it may record events, not read them. Sign in with an auditor or admin key to browse and
              verify the ledger.
            </p>
          </section>
        )}
        {auditor && route.page === 'overview' && <Overview apiKey={session.apiKey} />}
        {auditor && route.page === 'changes' && <Changes apiKey={session.apiKey} />}
        {auditor && route.page === 'change' && <Timeline apiKey={session.apiKey} changeId={route.changeId} />}
        {auditor && route.page === 'packs' && <EvidencePacks apiKey={session.apiKey} />}
        {auditor && route.page === 'entry' && <Entry apiKey={session.apiKey} sequence={route.sequence} />}
        {auditor && route.page === 'exceptions' && <ForensicsTable key="exceptions" apiKey={session.apiKey} model={EXCEPTIONS} />}
        {auditor && route.page === 'inventory' && <ForensicsTable key="inventory" apiKey={session.apiKey} model={INVENTORY} />}
        {auditor && route.page === 'approvals' && <ForensicsTable key="approvals" apiKey={session.apiKey} model={APPROVALS} />}
        {auditor && route.page === 'spend' && <ForensicsTable key="spend" apiKey={session.apiKey} model={SPEND} />}
      </main>
    </>
  );
}
