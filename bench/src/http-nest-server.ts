import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

// The framework baseline: the smallest NestJS 11 application on its default Express platform
// (the service's pinned framework), one process like the ledger's. POST /v1/events parses the
// JSON body and answers 201 with the raw server's fixed small JSON — no guard, no validation,
// no ledger. What Nest + Express alone cost per request on this machine, measured with the
// same client as the raw server and the service. Listens on 127.0.0.1:$PORT.
const REPLY = { id: '019a0000-0000-7000-8000-000000000000', sequence: 0, recordedAt: '2026-11-21T05:00:00.000Z' };

@Controller()
class BaselineController {
  @Post('v1/events')
  @HttpCode(201)
  record(@Body() body: unknown): typeof REPLY {
    void body;
    return REPLY;
  }

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BaselineController] })
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BaselineModule, { logger: false });
  app.enableShutdownHooks();
  const server = app.getHttpServer() as { keepAliveTimeout: number };
  server.keepAliveTimeout = 60_000;
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
