import { Module } from '@nestjs/common';
import { ReceiveGithubDeliveryHandler } from './commands/receive-github-delivery.handler';
import { GithubSecretController } from './github-secret.controller';
import { GithubWebhookController } from './github-webhook.controller';
import { GithubWebhookSecrets } from './github-webhook-secrets';

/** GitHub webhooks in (`POST /v1/ingest/github`, HMAC-verified) and their per-tenant secret (admin). */
@Module({
  controllers: [GithubWebhookController, GithubSecretController],
  providers: [GithubWebhookSecrets, ReceiveGithubDeliveryHandler],
})
export class GithubIntegrationModule {}
