// The log's JSON lines are read by the offline verifier too, so their format lives there.
export {
  checkpointLine,
  entryLine,
  LogCheckpointLine,
  LogEntryLine,
  ParsedLogLine,
  parseLogLine,
  strictBase64,
} from '@evidence-ledger/verify';
