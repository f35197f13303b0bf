import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@evidence-ledger/core';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { integerParam } from '../http/query-params';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { publicKeysOf } from './public-key-view';

const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');

// Checkpoints, proofs and keys hold hashes only, never event content, so producers may read
// them too: a producer SDK checks its receipts and the log's consistency by itself.
@ApiTags('proofs')
@ApiBearerAuth()
@Controller('v1')
export class ProofsController {
  constructor(private readonly runtime: LedgerRuntime) {}

  @Get('checkpoint')
  @Roles('producer', 'auditor', 'admin')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note)' })
  async checkpoint(@CurrentPrincipal() p: Principal): Promise<string> {
    const checkpoint = await this.runtime.ledger.latestCheckpoint(p.tenant);
    if (!checkpoint) throw new LedgerError('NOT_FOUND', 'this tenant has no entries yet, so no checkpoint');
    return checkpoint.note;
  }

  @Get('proofs/inclusion')
  @Roles('producer', 'auditor', 'admin')
  @ApiOperation({ summary: 'RFC 9162 §2.1.3 inclusion proof (sequence = leaf index)' })
  @ApiQuery({ name: 'sequence', type: Number })
  @ApiQuery({ name: 'treeSize', type: Number, required: false })
  async inclusion(@CurrentPrincipal() p: Principal, @Query('sequence') sequence: unknown, @Query('treeSize') treeSize: unknown) {
    const seq = integerParam(sequence, 'sequence', { required: true }) as number;
    const size = integerParam(treeSize, 'treeSize', { min: 1 });
    const { proof, checkpoint } = await this.runtime.ledger.inclusionProof(p.tenant, seq, size);
    return { leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: proof.hashes.map(b64), checkpoint: checkpoint?.note ?? null };
  }

  @Get('proofs/consistency')
  @Roles('producer', 'auditor', 'admin')
  @ApiOperation({ summary: 'RFC 9162 §2.1.4 consistency proof between two tree sizes' })
  @ApiQuery({ name: 'from', type: Number })
  @ApiQuery({ name: 'to', type: Number, required: false })
  async consistency(@CurrentPrincipal() p: Principal, @Query('from') from: unknown, @Query('to') to: unknown) {
    const fromSize = integerParam(from, 'from', { required: true }) as number;
    const proof = await this.runtime.ledger.consistencyProof(p.tenant, fromSize, integerParam(to, 'to'));
    return { fromSize: proof.fromSize, toSize: proof.toSize, hashes: proof.hashes.map(b64) };
  }

  @Get('public-keys')
  @Roles('producer', 'auditor', 'admin')
  @ApiOperation({ summary: 'Checkpoint verifier keys (signed-note vkey form and PEM)' })
  publicKeys(@CurrentPrincipal() p: Principal) {
    return publicKeysOf(this.runtime, p.tenant);
  }
}
