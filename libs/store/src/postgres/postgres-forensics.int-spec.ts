import { describeForensicsStoreContract } from '../testing/forensics-store.contract';
import { openFreshPostgresStore } from './testing/fresh-postgres-store';

describeForensicsStoreContract('PostgreSQL', openFreshPostgresStore);
