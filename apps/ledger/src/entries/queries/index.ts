import { GetEntryHandler } from './get-entry.handler';
import { ListEntriesHandler } from './list-entries.handler';

export const ENTRY_QUERY_HANDLERS = [GetEntryHandler, ListEntriesHandler];
