import { LedgerError } from '../errors';

/** Who or what acted, as the envelope's `actor` extension names it. */
export interface ProjectedActor {
  readonly kind: string;
  readonly id: string;
  readonly issuer?: string;
  readonly role?: string;
}

/**
 * One log entry as every projection reads it: the envelope attributes forensics use,
 * parsed once from the stored canonical bytes. Nothing here is trusted more than the bytes
 * it came from; a replay re-derives the same value from the same bytes.
 */
export interface ProjectedEntry {
  readonly sequence: number;
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject?: string;
  /** The producer's event time (RFC 3339), when it sent one. */
  readonly time?: string;
  /** The ledger's commit time (`Date#toISOString()`), the time all forensics order by. */
  readonly recordedAt: string;
  /** The API key id that posted the entry. */
  readonly producer: string;
  /** The `producerrole` extension: the role of that key, as the service checked it (settings events). */
  readonly producerRole?: string;
  readonly actor?: ProjectedActor;
  readonly changeid?: string;
  /** The `team` extension attribute: which team the event is attributed to (spend, inventory). */
  readonly team?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

// Parses an entry's canonical bytes. The bytes are the ledger's own RFC 8785 JSON, so a
// failure here means the store was damaged: STORE_CORRUPT, never a silently skipped entry.
export function projectEntry(sequence: number, canonical: Uint8Array): ProjectedEntry {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.from(canonical).toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new LedgerError('STORE_CORRUPT', `entry ${sequence} is not JSON`, { sequence }, { cause });
  }
  if (typeof body !== 'object' || body === null || body.sequence !== sequence || typeof body.type !== 'string') {
    throw new LedgerError('STORE_CORRUPT', `entry ${sequence} does not hold the entry it is stored as`, { sequence });
  }
  const data = body.data;
  return {
    sequence,
    id: String(body.id),
    type: body.type,
    source: String(body.source),
    subject: text(body.subject),
    time: text(body.time),
    recordedAt: String(body.recordedAt),
    producer: String(body.producer),
    producerRole: text(body.producerrole),
    actor: actorOf(body.actor),
    changeid: text(body.changeid),
    team: text(body.team),
    data: typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {},
  };
}

/** The changes an entry belongs to: its `changeid`, plus the `changeIds` a deployment carries. */
export function changeIdsOf(entry: ProjectedEntry): string[] {
  const ids = entry.changeid === undefined ? [] : [entry.changeid];
  if (entry.type === 'deployment.completed' || entry.type === 'deployment.rolled_back') {
    const carried = entry.data.changeIds;
    if (Array.isArray(carried)) for (const id of carried) if (typeof id === 'string' && id !== '' && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function actorOf(value: unknown): ProjectedActor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const a = value as Record<string, unknown>;
  if (typeof a.kind !== 'string' || typeof a.id !== 'string') return undefined;
  return {
    kind: a.kind,
    id: a.id,
    ...(text(a.issuer) ? { issuer: a.issuer as string } : {}),
    ...(text(a.role) ? { role: a.role as string } : {}),
  };
}
