import {
  AccessDeniedError,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type ReadStreamOptions,
  StreamNotFoundError,
  type SubscribeToStreamOptions,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { setImmediate as tick } from 'node:timers/promises';
import { RecordedEntryEvent } from '../entry-event';
import { EntrySubscription, KurrentDbConnection, ResolvedEntryEvent } from '../kurrentdb-connection';

/** An event as the stand-in keeps it: what a read returns, after a trip through the "wire". */
export interface InMemoryEvent extends RecordedEntryEvent {
  readonly revision: bigint;
}

/**
 * A naive, in-process model of the KurrentDB behaviour the adapter relies on, used only in
 * tests: streams numbered from revision 0 without gaps; appends that are all-or-nothing and
 * checked against an expected state (WrongExpectedVersionError, with KurrentDB's idempotency:
 * an append whose event ids match the events right after the expected revision succeeds
 * without writing); reads forwards and backwards with StreamNotFoundError for a stream never
 * written; catch-up subscriptions that deliver the events after the given revision, then
 * every new one. Errors are the client's own classes. Metadata and JSON data go through
 * JSON text, as on the wire. It shows the adapter consistent with this model — not that the
 * model matches a real server (docs/kurrentdb.md says which paths have run against one).
 */
export class InMemoryKurrentDb {
  private readonly streams = new Map<string, InMemoryEvent[]>();
  private readonly waiting = new Set<() => void>();
  /** When set, every call fails as if the server were unreachable, or refused the login. */
  failure?: 'unavailable' | 'access-denied';
  /** Runs before each append is applied: a place to delay it, or to let another writer in first. */
  beforeAppend?: (stream: string, events: readonly EventData[]) => Promise<void> | void;
  /** Appends attempted (successful or not). */
  appendCalls = 0;

  connect(): KurrentDbConnection {
    return new InMemoryConnection(this);
  }

  /** The events of a stream as stored (tests may replace one to simulate tampering). */
  events(stream: string): InMemoryEvent[] {
    return this.streams.get(stream) ?? [];
  }

  streamNames(): string[] {
    return [...this.streams.keys()].sort();
  }

  /** @internal */
  async append(stream: string, events: EventData[], options: AppendToStreamOptions = {}): Promise<AppendResult> {
    await tick();
    this.appendCalls++;
    this.check();
    await this.beforeAppend?.(stream, events);
    const existing = this.streams.get(stream);
    const last = existing?.[existing.length - 1]?.revision ?? -1n;
    const current = existing ? last : 'no_stream';
    const expected = options.streamState ?? 'any';
    const fits =
      expected === 'any' ||
      (expected === 'no_stream' && !existing) ||
      (expected === 'stream_exists' && existing !== undefined) ||
      (typeof expected === 'bigint' && expected === current);
    if (!fits) {
      const from = expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : -1n;
      const after = existing?.filter((e) => e.revision >= from) ?? [];
      const already = from >= 0n && events.every((e, i) => after[i]?.id === e.id);
      if (already) return { success: true, nextExpectedRevision: from + BigInt(events.length) - 1n };
      throw new WrongExpectedVersionError(undefined, { streamName: stream, expected, current });
    }
    const stored = existing ?? [];
    for (const e of events) {
      stored.push({
        streamId: stream,
        id: e.id,
        revision: (stored[stored.length - 1]?.revision ?? -1n) + 1n,
        type: e.type,
        isJson: e.contentType === 'application/json',
        data: e.contentType === 'application/json' ? JSON.parse(JSON.stringify(e.data)) : Uint8Array.from(e.data as Uint8Array),
        metadata: overTheWire(e.metadata),
      });
    }
    this.streams.set(stream, stored);
    for (const wake of [...this.waiting]) wake();
    return { success: true, nextExpectedRevision: stored[stored.length - 1].revision };
  }

  /** @internal */
  async *read(stream: string, options: ReadStreamOptions = {}): AsyncIterable<ResolvedEntryEvent> {
    await tick();
    this.check();
    const events = this.streams.get(stream);
    if (!events) throw new StreamNotFoundError(undefined, stream);
    const { direction = 'forwards', fromRevision = 'start', maxCount = Number.MAX_SAFE_INTEGER } = options;
    const count = Number(maxCount);
    const last = events[events.length - 1]?.revision ?? -1n;
    if (direction === 'forwards') {
      const start = fromRevision === 'start' ? 0n : fromRevision === 'end' ? last + 1n : fromRevision;
      for (const event of events.filter((e) => e.revision >= start).slice(0, count)) yield { event: copy(event) };
    } else {
      const start = fromRevision === 'end' ? last : fromRevision === 'start' ? 0n : fromRevision;
      for (const event of events
        .filter((e) => e.revision <= start)
        .reverse()
        .slice(0, count))
        yield { event: copy(event) };
    }
  }

  /** @internal */
  subscribe(stream: string, options: SubscribeToStreamOptions = {}): EntrySubscription {
    const { fromRevision = 'start' } = options;
    const events = () => this.events(stream);
    const check = () => this.check();
    const last = events()[events().length - 1]?.revision ?? -1n;
    let next = fromRevision === 'start' ? 0n : fromRevision === 'end' ? last + 1n : fromRevision + 1n;
    let open = true;
    let wake: (() => void) | undefined;
    // Resolves at the next append anywhere (or when unsubscribed).
    const appended = () =>
      new Promise<void>((resolve) => {
        const once = () => {
          this.waiting.delete(once);
          resolve();
        };
        wake = once;
        this.waiting.add(once);
      });
    return {
      async unsubscribe() {
        open = false;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        while (open) {
          check();
          const event = events().find((e) => e.revision >= next);
          if (!event) {
            await appended();
            continue;
          }
          next = event.revision + 1n;
          yield { event: copy(event) };
        }
      },
    };
  }

  private check(): void {
    if (this.failure === 'unavailable') throw new UnavailableError();
    if (this.failure === 'access-denied') throw new AccessDeniedError();
  }
}

class InMemoryConnection implements KurrentDbConnection {
  constructor(private readonly server: InMemoryKurrentDb) {}

  appendToStream(streamName: string, events: EventData[], options?: AppendToStreamOptions): Promise<AppendResult> {
    return this.server.append(streamName, events, options);
  }

  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<ResolvedEntryEvent> {
    return this.server.read(streamName, options);
  }

  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): EntrySubscription {
    return this.server.subscribe(streamName, options);
  }

  async dispose(): Promise<void> {}
}

// What a read returns for the metadata the client sent: JSON text parsed back, else bytes.
function overTheWire(metadata: unknown): unknown {
  if (metadata === undefined) return undefined;
  if (metadata instanceof Uint8Array) return Uint8Array.from(metadata);
  return JSON.parse(JSON.stringify(metadata));
}

function copy(event: InMemoryEvent): InMemoryEvent {
  return { ...event, data: event.data instanceof Uint8Array ? Uint8Array.from(event.data) : event.data };
}
