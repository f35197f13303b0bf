import { describeForensicsStoreContract } from '../testing/forensics-store.contract';
import { openFreshSqliteStore } from './testing/fresh-sqlite-store';

describeForensicsStoreContract('SQLite', openFreshSqliteStore);
