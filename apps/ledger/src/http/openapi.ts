import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

// The API reference: Swagger UI at /docs, the OpenAPI document at /docs/openapi.json.
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Evidence Ledger')
      .setDescription(
        'Hash-chained, Merkle-tree, signed evidence log. Authenticate with `Authorization: Bearer <API key>`. Every error is application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
