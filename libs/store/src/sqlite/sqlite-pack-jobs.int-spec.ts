import { describePackJobStoreContract } from '../testing/pack-job-store.contract';
import { openFreshSqliteStore } from './testing/fresh-sqlite-store';

describePackJobStoreContract('SQLite', openFreshSqliteStore);
