import { SetMetadata } from '@nestjs/common';
import { Role } from './principal';

export const ROLES_KEY = 'ledger:roles';
export const PUBLIC_KEY = 'ledger:public';

/** Which roles may call a route. Every route names its roles or is explicitly public. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Routes anyone may call (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
