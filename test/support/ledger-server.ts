import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../../apps/ledger/src/app.module';
import { loadLedgerConfig } from '../../apps/ledger/src/config/ledger-config';
import { setupOpenApi } from '../../apps/ledger/src/http/openapi';
import { bootstrapAdminKey } from '../../apps/ledger/src/runtime/bootstrap-admin';
import { LedgerRuntime } from '../../apps/ledger/src/runtime/ledger-runtime';

export interface RunningLedger {
  readonly url: string;
  readonly adminKey: string;
  readonly runtime: LedgerRuntime;
  readonly app: INestApplication;
  close(): Promise<void>;
}

/** Everything a restart must keep: the store location, the key file, the admin key. */
export interface LedgerSite {
  readonly store: string;
  readonly keyFile: string;
  readonly adminKey: string;
}

export function newSite(store: string): LedgerSite {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-site-'));
  return { store, keyFile: join(dir, 'ledger.key'), adminKey: `elk_test_${randomBytes(24).toString('base64url')}` };
}

// Boots the real service (same module, guards, filters, middleware as `npm start`) on a
// random local port.
export async function startLedger(site: LedgerSite, env: Record<string, string> = {}): Promise<RunningLedger> {
  // The whole environment, as `npm start` reads it (tests set LEDGER_ARCHIVE and the S3
  // variables there), under the site's own settings.
  const config = loadLedgerConfig({
    ...process.env,
    PORT: '0',
    LEDGER_STORE: site.store,
    LEDGER_KEY_FILE: site.keyFile,
    LEDGER_ORIGIN: 'ledger.test',
    LEDGER_BOOTSTRAP_ADMIN_KEY: site.adminKey,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger: false });
  app.enableShutdownHooks();
  setupOpenApi(app);
  const runtime = app.get(LedgerRuntime);
  await bootstrapAdminKey(runtime.store, config.bootstrapAdminKey);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, adminKey: site.adminKey, runtime, app, close: () => app.close() };
}
