import { CreateApiKeyHandler } from './create-api-key.handler';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

export const ADMIN_COMMAND_HANDLERS = [CreateApiKeyHandler, RevokeApiKeyHandler];
