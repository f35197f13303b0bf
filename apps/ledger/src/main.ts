import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ConfigError, loadLedgerConfig } from './config/ledger-config';
import { setupOpenApi } from './http/openapi';
import { LEDGER_LOGGER, NestPinoLogger } from './logging/ledger-logger';
import { bootstrapAdminKey } from './runtime/bootstrap-admin';
import { LedgerRuntime } from './runtime/ledger-runtime';

// `npm start`: the ledger on http://localhost:3000 over ./data/ledger.db unless configured.
async function main(): Promise<void> {
  const config = loadLedgerConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  // Every receipt is unique: an ETag over a 1 MB batch reply is pure cost.
  app.set('etag', false);
  app.useLogger(new NestPinoLogger(app.get(LEDGER_LOGGER)));
  app.enableShutdownHooks();
  setupOpenApi(app);

  const runtime = app.get(LedgerRuntime);
  const admin = await bootstrapAdminKey(runtime.store, config.bootstrapAdminKey);
  await app.listen(config.port, config.host);
  const url = `http://localhost:${config.port}`;
  const lines = [
    `Evidence Ledger listening on ${url}  (API docs: ${url}/docs)`,
    `  auditor console  ${url}/console/`,
    `  store            ${runtime.store.location}`,
    `  signing key id   ${runtime.signer.keyId}`,
    `  verifier key     ${runtime.signer.verifierKey()}`,
  ];
  if (admin?.generated) {
    lines.push(`  admin API key    ${admin.key}`, '                   (tenant "default"; shown only on this first start — store it now)');
  } else if (admin) {
    lines.push('  admin API key    taken from LEDGER_BOOTSTRAP_ADMIN_KEY (tenant "default")');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
  const message =
    e instanceof ConfigError ? e.message : (e as { code?: string }).code ? `${(e as Error).message}` : String((e as Error)?.stack ?? e);
  process.stderr.write(`evidence-ledger: cannot start: ${message}\n`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
