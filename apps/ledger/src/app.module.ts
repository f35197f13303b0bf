import { DynamicModule, MiddlewareConsumer, Module, NestModule, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ApiKeysController } from './admin/api-keys.controller';
import { SchemasController } from './catalog/schemas.controller';
import { ADMIN_COMMAND_HANDLERS } from './admin/commands';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysService } from './auth/api-keys.service';
import { WhoAmIController } from './auth/whoami.controller';
import { ConsoleMiddleware } from './console/console.middleware';
import { RateLimits } from './auth/rate-limits';
import { RequestRateLimitGuard } from './auth/request-rate-limit.guard';
import { LEDGER_CONFIG, LedgerConfig } from './config/ledger-config';
import { EntriesController } from './entries/entries.controller';
import { FORENSICS_CONTROLLERS, FORENSICS_PROVIDERS } from './forensics';
import { EVIDENCE_PACK_CONTROLLERS, EVIDENCE_PACK_PROVIDERS } from './evidence-packs';
import { HealthController } from './health/health.controller';
import { GithubIntegrationModule } from './integrations/github/github-integration.module';
import { OpaIntegrationModule } from './integrations/opa/opa-integration.module';
import { BodyReaderGuard } from './http/body-reader.guard';
import { createLedgerLogger, LEDGER_LOGGER } from './logging/ledger-logger';
import { RequestLogMiddleware } from './logging/request-log.middleware';
import { HttpProblem } from './http/http-problem';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { validationViolations } from './http/validation-violations';
import { AppendEventsHandler } from './ingest/commands/append-events.handler';
import { EventsController } from './ingest/events.controller';
import { MetricsModule } from './metrics/metrics.module';
import { RequestTimingMiddleware } from './metrics/request-timing.middleware';
import { ProofsController } from './proofs/proofs.controller';
import { LedgerRuntime, runtimeProvider } from './runtime/ledger-runtime';

/** The ledger service. `forRoot(config)` wires one running ledger from its configuration. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: AppModule,
      // The runtime is shared with the feature modules (integrations) that read the store.
      global: true,
      exports: [LedgerRuntime, LEDGER_LOGGER],
      imports: [CqrsModule.forRoot(), TerminusModule, MetricsModule, OpaIntegrationModule, GithubIntegrationModule],
      controllers: [
        EventsController,
        ProofsController,
        EntriesController,
        ApiKeysController,
        SchemasController,
        HealthController,
        WhoAmIController,
        ...FORENSICS_CONTROLLERS,
        ...EVIDENCE_PACK_CONTROLLERS,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: LEDGER_LOGGER, useValue: createLedgerLogger(config.logLevel) },
        runtimeProvider,
        ApiKeysService,
        RateLimits,
        AppendEventsHandler,
        ...ADMIN_COMMAND_HANDLERS,
        ...FORENSICS_PROVIDERS,
        ...EVIDENCE_PACK_PROVIDERS,
        // In this order: who is calling, whether they may call now, and only then their body.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RequestRateLimitGuard },
        { provide: APP_GUARD, useClass: BodyReaderGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            exceptionFactory: (errors) =>
              new HttpProblem(400, 'INVALID_ENVELOPE', 'the request body is invalid; nothing was changed', validationViolations(errors)),
          }),
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware, RequestTimingMiddleware, ConsoleMiddleware).forRoutes('*');
  }
}
