import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@evidence-ledger/core';
import { Public } from '../auth/roles.decorator';
import { readCatalogSchemas } from './catalog-schemas';

// The event catalog as JSON Schema, for producers not written in TypeScript: the documents
// of schemas/ in the repository, which the service itself validates with.
@ApiTags('catalog')
@Controller('v1/schemas')
export class SchemasController {
  private readonly schemas: Record<string, object> = readCatalogSchemas();

  @Get()
  @Public()
  @ApiOperation({ summary: 'Names of the published JSON Schemas (the envelope and each typed event)' })
  list(): { schemas: string[] } {
    return { schemas: Object.keys(this.schemas).sort() };
  }

  @Get(':name')
  @Public()
  @ApiOperation({ summary: 'One JSON Schema, e.g. model.invocation.completed or event-envelope' })
  get(@Param('name') name: string): object {
    const schema = Object.prototype.hasOwnProperty.call(this.schemas, name) ? this.schemas[name] : undefined;
    if (!schema) throw new LedgerError('NOT_FOUND', `no schema named ${name}`);
    return schema;
  }
}
