import { Module } from '@nestjs/common';
import { RecordDecisionLogsHandler } from './commands/record-decision-logs.handler';
import { OpaLogsController } from './opa-logs.controller';

/** OPA decision logs in: `POST /v1/ingest/opa/logs` (producer keys). */
@Module({ controllers: [OpaLogsController], providers: [RecordDecisionLogsHandler] })
export class OpaIntegrationModule {}
