import { GetCheckpointHandler } from './get-checkpoint.handler';
import { GetConsistencyProofHandler } from './get-consistency-proof.handler';
import { GetInclusionProofHandler } from './get-inclusion-proof.handler';
import { GetPublicKeysHandler } from './get-public-keys.handler';

export const PROOF_QUERY_HANDLERS = [GetCheckpointHandler, GetInclusionProofHandler, GetConsistencyProofHandler, GetPublicKeysHandler];
