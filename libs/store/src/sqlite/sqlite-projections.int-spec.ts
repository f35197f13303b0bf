import { describeProjectionStoreContract } from '../testing/projection-store.contract';
import { openFreshSqliteStore } from './testing/fresh-sqlite-store';

describeProjectionStoreContract('SQLite', openFreshSqliteStore);
