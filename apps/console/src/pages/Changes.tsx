import { FormEvent, useState } from 'react';
import { apiGet, query } from '../app/api';
import { Link } from '../app/Link';
import { useAsync } from '../app/use-async';

export interface ChangeRow {
  readonly changeId: string;
  readonly repository: string;
  readonly team?: string;
  readonly status: string;
  readonly author?: { readonly id: string; readonly kind: string };
  readonly aiGenerated: boolean;
  readonly events: number;
  readonly exceptions: number;
  readonly exceptionRules: readonly string[];
  readonly firstTime: string;
  readonly lastTime: string;
}

interface Filters {
  readonly repo: string;
  readonly status: string;
  readonly team: string;
  readonly hasException: string;
  readonly from: string;
  readonly to: string;
}

const STATUSES = ['opened', 'agent_work', 'policy', 'scans', 'reviews', 'merged', 'deployed', 'rolled_back'];
const NONE: Filters = { repo: '', status: '', team: '', hasException: '', from: '', to: '' };
const PAGE = 50;

// The API's filters, one page at a time: the console never downloads the whole list.
export function Changes({ apiKey }: { apiKey: string }) {
  const [filters, setFilters] = useState<Filters>(NONE);
  const [draft, setDraft] = useState<Filters>(NONE);
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const after = pages[pages.length - 1];
  const loaded = useAsync(
    () =>
      apiGet<{ changes: ChangeRow[]; next: number | null; projectedThrough: number }>(
        apiKey,
        `/v1/changes${query({ ...filters, from: isoOf(filters.from), to: isoOf(filters.to), after, limit: PAGE })}`,
      ),
    [apiKey, filters, after],
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    setPages([undefined]);
  };
  const field = (name: keyof Filters) => ({
    id: `filter-${name}`,
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }),
  });
  return (
    <section aria-labelledby="changes-title">
      <h1 id="changes-title">Changes</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter changes">
        <label htmlFor="filter-repo">Repository</label>
        <input {...field('repo')} placeholder="github.com/acme/pay" />
        <label htmlFor="filter-team">Team</label>
        <input {...field('team')} />
        <label htmlFor="filter-status">Status</label>
        <select {...field('status')}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor="filter-hasException">Exceptions</label>
        <select {...field('hasException')}>
          <option value="">any</option>
          <option value="true">with exceptions</option>
          <option value="false">without</option>
        </select>
        <label htmlFor="filter-from">From</label>
        <input {...field('from')} type="date" />
        <label htmlFor="filter-to">To</label>
        <input {...field('to')} type="date" />
        <button type="submit">Apply filters</button>
      </form>
      {loaded.state === 'loading' && <p aria-live="polite">Loading changes…</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      )}
      {loaded.state === 'done' && (
        <>
          <p>
            {loaded.value.changes.length === 0 ? 'No change matches.' : `Page ${pages.length}`} (forensics tables through entry{' '}
            {loaded.value.projectedThrough})
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col">Author</th>
                <th scope="col">AI</th>
                <th scope="col">Events</th>
                <th scope="col">Exceptions</th>
                <th scope="col">Last event</th>
              </tr>
            </thead>
            <tbody>
              {loaded.value.changes.map((c) => (
                <tr key={c.changeId}>
                  <td>
                    <Link to={{ page: 'change', changeId: c.changeId }}>{c.changeId}</Link>
                  </td>
                  <td>{c.team ?? '—'}</td>
                  <td>{c.status}</td>
                  <td>{c.author ? `${c.author.id} (${c.author.kind})` : '—'}</td>
                  <td>{c.aiGenerated ? 'yes' : 'no'}</td>
                  <td>{c.events}</td>
                  <td className={c.exceptions > 0 ? 'exceptions' : undefined}>
                    {c.exceptions > 0 ? `${c.exceptions}: ${c.exceptionRules.join(', ')}` : '0'}
                  </td>
                  <td>{c.lastTime}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages of changes">
            <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
              Previous page
            </button>
            <button
              type="button"
              disabled={loaded.value.next === null}
              onClick={() => setPages([...pages, loaded.value.next ?? undefined])}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

// A date picked in the form is a whole UTC day; the API takes RFC 3339.
function isoOf(date: string): string | undefined {
  return date ? `${date}T00:00:00Z` : undefined;
}
