import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Principal } from '../../../auth/principal';
import { HttpProblem } from '../../../http/http-problem';
import { AppendEventsCommand } from '../../../ingest/commands/append-events.command';
import { decodeGithubDelivery, githubEventName } from '../github-delivery';
import { mapGithubDelivery } from '../github-delivery.mapper';
import { SIGNATURE_HEADER, verifyGithubSignature } from '../github-signature';
import { GithubWebhookSecrets } from '../github-webhook-secrets';
import { ReceiveGithubDeliveryCommand, ReceivedDelivery } from './receive-github-delivery.command';

/** The producer id entries from GitHub webhooks carry (there is no API key behind them). */
export const GITHUB_WEBHOOK_PRODUCER = 'github-webhook';

// Verify first — an unknown tenant and a bad signature get the same answer, so the endpoint
// does not reveal which tenants exist — then decode, translate, and append through the same
// path as POST /v1/events.
@CommandHandler(ReceiveGithubDeliveryCommand)
export class ReceiveGithubDeliveryHandler implements ICommandHandler<ReceiveGithubDeliveryCommand, ReceivedDelivery> {
  private readonly logger = new Logger('github-webhook');

  constructor(
    private readonly secrets: GithubWebhookSecrets,
    private readonly commands: CommandBus,
  ) {}

  async execute({ tenant, headers, body }: ReceiveGithubDeliveryCommand): Promise<ReceivedDelivery> {
    const secret = await this.secrets.secretOf(tenant);
    if (!verifyGithubSignature(secret, body, headers[SIGNATURE_HEADER]) || tenant === undefined) {
      this.logger.warn({ tenant: secret ? tenant : undefined }, 'webhook delivery refused: signature not verified');
      throw new HttpProblem(
        401,
        'UNAUTHENTICATED',
        "the delivery's X-Hub-Signature-256 does not verify with the webhook secret of the tenant in the URL",
      );
    }
    if (githubEventName(headers) === 'ping') return { ping: true, appended: [], ignored: [] };
    const { events, ignored } = mapGithubDelivery(decodeGithubDelivery(body, headers));
    const principal: Principal = { keyId: GITHUB_WEBHOOK_PRODUCER, tenant, role: 'producer' };
    const appended = events.length > 0 ? await this.commands.execute(new AppendEventsCommand(principal, events)) : [];
    return { ping: false, appended, ignored };
  }
}
