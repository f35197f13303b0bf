import { Command } from '@nestjs/cqrs';
import { AppendedEvent } from '@evidence-ledger/ledger';
import { IgnoredItem } from '../../ingest-reply';

export interface ReceivedDelivery {
  /** GitHub's `ping` on webhook creation: verified, nothing to record. */
  readonly ping: boolean;
  readonly appended: AppendedEvent[];
  readonly ignored: IgnoredItem[];
}

/** A webhook delivery as it arrived: the tenant named in the URL, the headers and the exact body bytes. */
export class ReceiveGithubDeliveryCommand extends Command<ReceivedDelivery> {
  constructor(
    readonly tenant: string | undefined,
    readonly headers: Readonly<Record<string, string | string[] | undefined>>,
    readonly body: Buffer,
  ) {
    super();
  }
}
