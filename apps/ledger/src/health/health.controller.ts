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
    return this.health.check([() => this.store(), () => this.signingKey()]);
  }

  // The store answers a real query, not just a ping of the pool.
  private async store() {
    const indicator = this.indicators.check('store');
    try {
      await this.runtime.store.tenants();
      return indicator.up({ kind: this.runtime.store.kind });
    } catch (e) {
      return indicator.down({ kind: this.runtime.store.kind, message: (e as Error).message });
    }
  }

  private async signingKey() {
    const indicator = this.indicators.check('signingKey');
    const { signer } = this.runtime;
    return signer.publicKey.length === 32 ? indicator.up({ keyId: signer.keyId }) : indicator.down();
  }
}
