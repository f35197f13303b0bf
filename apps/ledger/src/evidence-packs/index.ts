import { EvidencePacksController } from './evidence-packs.controller';
import { evidencePacksRuntimeProvider } from './evidence-packs-runtime';

/** Evidence packs (docs/evidence-packs.md): the controller and the builder of queued jobs. */
export const EVIDENCE_PACK_CONTROLLERS = [EvidencePacksController];
export const EVIDENCE_PACK_PROVIDERS = [evidencePacksRuntimeProvider];
