import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger-config';
import { HttpProblem } from '../http/http-problem';

const MINUTE = 60;

/** 429 with how long to wait: the problem filter sends it as `Retry-After`. */
export class RateLimitedProblem extends HttpProblem {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'RATE_LIMITED', message);
    this.name = 'RateLimitedProblem';
  }
}

/**
 * The service's two request budgets, each a fixed one-minute window per caller kept as one
 * counter (O(1) per request, unlike a list of hit times that every request prunes):
 * requests per API key (per address for public routes), and failed authentications per
 * client address. The counters live in this process: each instance enforces the budgets on
 * the requests it serves, so N instances behind a balancer admit up to N times a budget
 * (docs/api.md, "Rate limits").
 */
@Injectable()
export class RateLimits {
  private readonly requests?: RateLimiterMemory;
  private readonly authFailures?: RateLimiterMemory;

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    if (config.rateLimitPerMinute > 0) this.requests = new RateLimiterMemory({ points: config.rateLimitPerMinute, duration: MINUTE });
    if (config.authFailureLimitPerMinute > 0) {
      this.authFailures = new RateLimiterMemory({ points: config.authFailureLimitPerMinute, duration: MINUTE });
    }
  }

  /** Counts one request against `caller`'s budget; throws 429 once it is spent. */
  async admit(caller: string): Promise<void> {
    if (!this.requests) return;
    try {
      await this.requests.consume(caller);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw new RateLimitedProblem('too many requests for this API key; slow down and retry', retryAfter(e));
    }
  }

  /** Throws 429 while `address` is over its budget of failed authentications. */
  async assertMayAuthenticate(address: string): Promise<void> {
    const spent = this.authFailures ? await this.authFailures.get(address) : null;
    if (spent && spent.consumedPoints >= this.authFailures!.points) {
      throw new RateLimitedProblem(
        'too many failed authentications from this address; retry later with a valid API key',
        retryAfter(spent),
      );
    }
  }

  /** Counts one failed authentication from `address`. */
  async recordAuthFailure(address: string): Promise<void> {
    await this.authFailures?.penalty(address);
  }
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
