import { Inject, Injectable, Logger, OnApplicationShutdown, BeforeApplicationShutdown } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Ledger } from '@evidence-ledger/ledger';
import { LocalKeySigner, Signer } from '@evidence-ledger/signing';
import { CredentialStore, LedgerStore, openStore } from '@evidence-ledger/store';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger-config';
import { AppendHealth, failureCode } from '../health/append-health';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { EntriesAppendedEvent } from './entries-appended.event';
import { readRetiredKeys, RetiredKey } from './retired-keys';
import { sharedStoreFileWarning } from './store-file-mode';

/**
 * The long-lived parts of a running ledger: the store, the signing key and the append path.
 * Opened once at startup; on shutdown, appends already accepted are committed (drained)
 * before the store is closed.
 */
@Injectable()
export class LedgerRuntime implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');

  private constructor(
    readonly store: LedgerStore & CredentialStore,
    readonly signer: Signer,
    readonly ledger: Ledger,
    readonly retiredKeys: readonly RetiredKey[],
    readonly config: LedgerConfig,
    /** How this instance's recent commits went (/health, /metrics). */
    readonly appendHealth: AppendHealth,
  ) {}

  // The ledger library knows no framework: its commit callback is where this process learns
  // of each durable commit, and the one place it is published on the EventBus.
  static async start(config: LedgerConfig, metrics: MetricsRegistry, events?: EventBus): Promise<LedgerRuntime> {
    const store = (await openStore(config.store)) as LedgerStore & CredentialStore;
    try {
      const shared = await sharedStoreFileWarning(store);
      if (shared) new Logger('ledger').warn(shared);
      const signer = await LocalKeySigner.loadOrCreate(config.keyFile, config.originPrefix);
      const appendHealth = new AppendHealth();
      metrics.watchAppendHealth(() => appendHealth.report());
      const ledger = new Ledger({
        store,
        signer,
        originPrefix: config.originPrefix,
        onCommit: ({ tenant, events: count, durationMs }) => {
          metrics.commitEvents.observe(count);
          metrics.commitSeconds.observe(durationMs / 1000);
          appendHealth.committed();
          events?.publish(new EntriesAppendedEvent(tenant, count));
        },
        onCommitFailed: ({ error }) => {
          appendHealth.failed(error);
          metrics.appendFailures.inc({ code: failureCode(error) });
        },
      });
      return new LedgerRuntime(store, signer, ledger, await readRetiredKeys(config.keyFile), config, appendHealth);
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.logger.log('draining accepted appends');
    await this.ledger.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('store closed');
  }
}

export const runtimeProvider = {
  provide: LedgerRuntime,
  inject: [LEDGER_CONFIG, MetricsRegistry, EventBus],
  useFactory: (config: LedgerConfig, metrics: MetricsRegistry, events: EventBus) => LedgerRuntime.start(config, metrics, events),
};

// Lets providers declare the runtime as a dependency by token when a class is not handy.
export const InjectRuntime = () => Inject(LedgerRuntime);
