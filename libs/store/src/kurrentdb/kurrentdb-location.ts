import { DEFAULT_STREAM_PREFIX, StreamNames } from './stream-names';

// The schemes the client accepts: kurrentdb, kurrent, kdb and the deprecated esdb, each also
// as `+discover` (DNS cluster discovery).
const SCHEME = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//;
// Options of ours; the client warns about (and ignores) keys it does not know, so they are
// taken out before it sees the string. Compared as the client compares its own keys:
// case-insensitively, ignoring '-' and '_'.
const CREDENTIAL_STORE = 'credentialstore';
const STREAM_PREFIX = 'streamprefix';

/** A `kurrentdb://…` store location, split into what the client gets and what the adapter uses. */
export interface KurrentDbTarget {
  /** The client's connection string: our options removed, `esdb` spelled `kurrentdb`. */
  readonly connectionString: string;
  /** The location for logs and messages: every password replaced by `***`. */
  readonly location: string;
  /** The KurrentDB password, to scrub from driver messages. */
  readonly password?: string;
  /** Where tenants, API keys and webhook secrets live: `sqlite:<path>` or `postgres://…`. */
  readonly credentialStore: string;
  readonly streamPrefix: string;
}

export function isKurrentDbLocation(location: string): boolean {
  return SCHEME.test(location.trim());
}

/**
 * Parses `kurrentdb://[user:password@]host[:port][,host…][?option=value&…]` with two options
 * of the ledger's own:
 * - `credentialStore` (required): the SQLite or PostgreSQL store that holds the service's
 *   credentials, URL-encoded where it contains '&' (e.g. `credentialStore=sqlite:/data/credentials.db`);
 * - `streamPrefix` (default `ledger`): the first part of every stream name, so several ledger
 *   deployments can share one KurrentDB.
 * RangeError for anything malformed, before any connection is made.
 */
export function parseKurrentDbLocation(text: string): KurrentDbTarget {
  const location = text.trim();
  const scheme = SCHEME.exec(location);
  if (!scheme) throw new RangeError('a KurrentDB location starts with kurrentdb://, kurrent://, kdb:// or esdb:// (optionally +discover)');
  const normalized = scheme[1] === 'esdb' ? `kurrentdb${scheme[2] ?? ''}://${location.slice(scheme[0].length)}` : location;
  const at = normalized.indexOf('?');
  const base = at < 0 ? normalized : normalized.slice(0, at);
  const options = at < 0 ? [] : normalized.slice(at + 1).split('&');

  const kept: string[] = [];
  let credentialStore: string | undefined;
  let streamPrefix: string | undefined;
  for (const option of options) {
    if (option === '') continue;
    const eq = option.indexOf('=');
    const key = (eq < 0 ? option : option.slice(0, eq)).toLowerCase().replace(/[-_]/g, '');
    if (key !== CREDENTIAL_STORE && key !== STREAM_PREFIX) {
      kept.push(option);
      continue;
    }
    const value = decodeOption(eq < 0 ? '' : option.slice(eq + 1));
    if ((key === CREDENTIAL_STORE ? credentialStore : streamPrefix) !== undefined)
      throw new RangeError(`${option.slice(0, eq)} is given twice`);
    if (key === CREDENTIAL_STORE) credentialStore = value;
    else streamPrefix = value;
  }
  if (!credentialStore) {
    throw new RangeError(
      'a kurrentdb:// location needs credentialStore=<sqlite:path | postgres://…>: tenants, API keys and webhook secrets are not kept in KurrentDB',
    );
  }
  if (isKurrentDbLocation(credentialStore))
    throw new RangeError('the credential store must be a SQLite or PostgreSQL location, not KurrentDB');
  const prefix = new StreamNames(streamPrefix ?? DEFAULT_STREAM_PREFIX).prefix;

  const connectionString = kept.length > 0 ? `${base}?${kept.join('&')}` : base;
  const ours = [`credentialStore=${redact(credentialStore)}`, ...(streamPrefix === undefined ? [] : [`streamPrefix=${prefix}`])];
  return {
    connectionString,
    location: `${redact(connectionString)}${kept.length > 0 ? '&' : '?'}${ours.join('&')}`,
    password: passwordOf(base),
    credentialStore,
    streamPrefix: prefix,
  };
}

function decodeOption(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new RangeError(`"${value}" is not a URL-encoded option value`);
  }
}

// `scheme://user:password@…` → the password, as the client decodes it.
function passwordOf(base: string): string | undefined {
  const userinfo = /^[^:]+:\/\/([^@/?]+)@/.exec(base)?.[1];
  const colon = userinfo?.indexOf(':') ?? -1;
  return userinfo !== undefined && colon >= 0 ? decodeOption(userinfo.slice(colon + 1)) : undefined;
}

/** Replaces the password of every `//user:password@` in a location with `***`. */
export function redact(location: string): string {
  return location.replace(/\/\/([^:@/?]+):[^@/?]*@/g, '//$1:***@');
}
