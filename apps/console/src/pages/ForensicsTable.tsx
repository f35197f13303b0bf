import { FormEvent, ReactNode, useState } from 'react';
import { apiGet, query } from '../app/api';
import { useAsync } from '../app/use-async';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
}

/** One forensics forensics table as a table: its route, the filters the API takes, its columns. */
export interface ForensicsTableSpec<T> {
  readonly title: string;
  readonly path: string;
  /** The member of the answer that holds the rows (`exceptions`, `models`, …). */
  readonly rows: string;
  readonly filters: readonly { readonly name: string; readonly label: string; readonly type?: 'date' }[];
  readonly columns: readonly Column<T>[];
}

const PAGE = 50;

// The API's filters and cursor, one page at a time, as on the changes page.
export function ForensicsTable<T>({ apiKey, model }: { apiKey: string; model: ForensicsTableSpec<T> }) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [pages, setPages] = useState<(number | string | undefined)[]>([undefined]);
  const after = pages[pages.length - 1];
  const params = Object.fromEntries(
    model.filters.map((f) => [f.name, f.type === 'date' && filters[f.name] ? `${filters[f.name]}T00:00:00Z` : filters[f.name]]),
  );
  const loaded = useAsync(
    () => apiGet<Record<string, unknown>>(apiKey, `${model.path}${query({ ...params, after, limit: PAGE })}`),
    [apiKey, model.path, JSON.stringify(filters), after],
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    setPages([undefined]);
  };
  const rows = loaded.state === 'done' ? ((loaded.value[model.rows] as T[] | undefined) ?? []) : [];
  const next = loaded.state === 'done' ? (loaded.value.next as number | string | null | undefined) : undefined;
  const id = model.rows;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{model.title}</h1>
      {model.filters.length > 0 && (
        <form className="filters" onSubmit={apply} aria-label={`Filter ${model.title.toLowerCase()}`}>
          {model.filters.map((f) => (
            <span key={f.name} className="filter">
              <label htmlFor={`${id}-${f.name}`}>{f.label}</label>{' '}
              <input
                id={`${id}-${f.name}`}
                type={f.type ?? 'text'}
                value={draft[f.name] ?? ''}
                onChange={(e) => setDraft({ ...draft, [f.name]: e.target.value })}
              />
            </span>
          ))}
          <button type="submit">Apply filters</button>
        </form>
      )}
      {loaded.state === 'loading' && <p aria-live="polite">Loading…</p>}
      {loaded.state === 'failed' && (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      )}
      {loaded.state === 'done' && (
        <>
          <p>
            {rows.length === 0 ? 'Nothing matches.' : `Page ${pages.length}`} (forensics tables through entry{' '}
            {String(loaded.value.projectedThrough)})
          </p>
          <table data-testid={`${id}-table`}>
            <thead>
              <tr>
                {model.columns.map((c) => (
                  <th key={c.header} scope="col">
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {model.columns.map((c) => (
                    <td key={c.header}>{c.cell(row)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label={`Pages of ${model.title.toLowerCase()}`}>
            <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
              Previous page
            </button>
            <button type="button" disabled={next == null} onClick={() => setPages([...pages, next ?? undefined])}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
