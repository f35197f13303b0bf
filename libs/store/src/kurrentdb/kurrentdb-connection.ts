import type {
  AppendResult,
  AppendToStreamOptions,
  EventData,
  ReadStreamOptions,
  SubscribeToStreamOptions,
} from '@kurrent/kurrentdb-client';
import { RecordedEntryEvent } from './entry-event';

/** An event as a read or a subscription yields it; a link has no `event` when unresolved. */
export interface ResolvedEntryEvent {
  readonly event?: RecordedEntryEvent;
}

/** A live catch-up subscription: an async iterable of events that can be ended. */
export interface EntrySubscription extends AsyncIterable<ResolvedEntryEvent> {
  unsubscribe(): Promise<void>;
}

/**
 * The part of `KurrentDBClient` (@kurrent/kurrentdb-client 1.3.1) the adapter uses. The
 * client satisfies it as is; tests substitute an in-memory stand-in (testing/).
 */
export interface KurrentDbConnection {
  appendToStream(streamName: string, events: EventData[], options?: AppendToStreamOptions): Promise<AppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<ResolvedEntryEvent>;
  subscribeToStream(streamName: string, options?: SubscribeToStreamOptions): EntrySubscription;
  dispose(): Promise<void>;
}

// Loads the client only when a KurrentDB store is opened: it brings a native module (its Rust
// bridge), which processes using SQLite or PostgreSQL never need to load.
export async function connectKurrentDb(connectionString: string): Promise<KurrentDbConnection> {
  const { KurrentDBClient } = await import('@kurrent/kurrentdb-client');
  let client: KurrentDbConnection;
  try {
    client = KurrentDBClient.connectionString(connectionString);
  } catch (e) {
    // The client's ParseError quotes the string it could not parse; only its first line is kept.
    throw new RangeError(`not a KurrentDB connection string: ${String((e as Error).message).split('\n')[0]}`);
  }
  return client;
}
