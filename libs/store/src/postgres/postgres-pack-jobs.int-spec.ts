import { describePackJobStoreContract } from '../testing/pack-job-store.contract';
import { openFreshPostgresStore } from './testing/fresh-postgres-store';

describePackJobStoreContract('PostgreSQL', openFreshPostgresStore);
