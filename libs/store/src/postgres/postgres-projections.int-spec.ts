import { describeProjectionStoreContract } from '../testing/projection-store.contract';
import { openFreshPostgresStore } from './testing/fresh-postgres-store';

describeProjectionStoreContract('PostgreSQL', openFreshPostgresStore);
