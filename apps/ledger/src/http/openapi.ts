import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readCatalogSchemas } from '../catalog/catalog-schemas';

/** Where the OpenAPI document names the envelope schema, e.g. as the body of `POST /v1/events`. */
export const EVENT_ENVELOPE_REF = '#/components/schemas/event-envelope';

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
      // 3.1: schema objects are JSON Schema, so the catalog's documents go in unchanged.
      .setOpenAPIVersion('3.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, withCatalogSchemas(document), { jsonDocumentUrl: 'docs/openapi.json' });
}

/**
 * The event catalog as components, exactly the documents of `schemas/` under their names
 * (`event-envelope`, `scan.completed`, …): each keeps its `$id`, so its own `#/definitions/…`
 * references resolve inside it.
 */
export function withCatalogSchemas(document: OpenAPIObject): OpenAPIObject {
  const components = document.components ?? {};
  return { ...document, components: { ...components, schemas: { ...components.schemas, ...readCatalogSchemas() } } };
}
