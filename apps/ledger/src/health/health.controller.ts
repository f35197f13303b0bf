import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { LedgerRuntime } from '../runtime/ledger-runtime';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly runtime: LedgerRuntime,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([() => this.store(), () => this.appends(), () => this.signingKey()]);
  }

  // The store answers a real query, not just a ping of the pool.
  private async store() {
    const indicator = this.indicators.check('store');
    try {
      await this.runtime.store.tenants();
      return indicator.up({ kind: this.runtime.store.kind });
    } catch (e) {
      // The code only: the message may name the database (it is in the service's log).
      return indicator.down({ kind: this.runtime.store.kind, code: (e as { code?: unknown }).code ?? 'INTERNAL' });
    }
  }

  // A store that answers queries but cannot write (disk full, read-only) shows only here:
  // down while most of the recent commits failed.
  private appends() {
    const indicator = this.indicators.check('appends');
    const { healthy, ...report } = this.runtime.appendHealth.report();
    return healthy ? indicator.up(report) : indicator.down(report);
  }

  private async signingKey() {
    const indicator = this.indicators.check('signingKey');
    const { signer } = this.runtime;
    return signer.publicKey.length === 32 ? indicator.up({ keyId: signer.keyId }) : indicator.down();
  }
}
