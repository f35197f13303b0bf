import { writeZip } from '@evidence-ledger/verify';

// A bundle zips with the evidence pack's own writer: one zip stack for everything an auditor
// unpacks, and its fixed DOS entry time involves no time zone, so the same bundle gives the same
// bytes on any machine.
export function zipBundle(files: Record<string, string>): Uint8Array {
  return writeZip(Object.entries(files).map(([name, text]) => ({ name, bytes: Buffer.from(text, 'utf8'), level: 6 })));
}
