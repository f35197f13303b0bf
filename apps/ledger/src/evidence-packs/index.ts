import { CreateEvidencePackHandler } from './commands/create-evidence-pack.handler';
import { EvidencePacksController } from './evidence-packs.controller';
import { evidencePacksRuntimeProvider } from './evidence-packs-runtime';
import { GetEvidencePackHandler } from './queries/get-evidence-pack.handler';
import { ListEvidencePacksHandler } from './queries/list-evidence-packs.handler';

/** Evidence packs (docs/evidence-packs.md): the controller, the builder of queued jobs and the CQRS handlers. */
export const EVIDENCE_PACK_CONTROLLERS = [EvidencePacksController];
export const EVIDENCE_PACK_PROVIDERS = [
  evidencePacksRuntimeProvider,
  CreateEvidencePackHandler,
  GetEvidencePackHandler,
  ListEvidencePacksHandler,
];
