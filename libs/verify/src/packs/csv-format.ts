/**
 * RFC 4180 CSV, as the pack writes its population files: records end with CRLF (the last one
 * too), fields are separated by commas, and a field holding a comma, a double quote, CR or LF
 * is enclosed in double quotes with each double quote doubled. Nothing else is quoted, so the
 * same rows always give the same bytes.
 */
export function encodeCsv(rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from(rows.map(csvRecord).join(''), 'utf8');
}

/** One record, CRLF included. */
export function csvRecord(row: readonly string[]): string {
  return `${row.map(csvField).join(',')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Where a CSV file breaks RFC 4180: the record (1 = the header) and what is wrong. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(`row ${row}: ${message}`);
  }
}

// Reads RFC 4180 strictly, as the pack writes it: CRLF after every record, quotes only around
// a whole field, a quote inside a quoted field doubled, and every record as wide as the
// header. Anything else is refused with the row it is in, never guessed at.
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  readCsv(text, (row) => {
    rows.push(row);
  });
  return rows;
}

// parseCsv one record at a time: `onRow` gets each record (0 is the header) as it is read,
// so a large file is checked without holding all of it; returning false stops the reading.
export function readCsv(text: string, onRow: (row: string[], index: number) => boolean | void): void {
  let count = 0;
  let width = -1;
  let row: string[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new CsvSyntaxError(count + 1, message);
  };
  while (i < text.length) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      // A quoted field: runs up to each quote, a doubled quote standing for one.
      const parts: string[] = [];
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) fail('a quoted field is not closed');
        parts.push(text.slice(from, q));
        if (text.charCodeAt(q + 1) !== QUOTE) {
          i = q + 1;
          break;
        }
        parts.push('"');
        from = q + 2;
      }
      field = parts.join('');
    } else {
      let end = i;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === CR || c === LF) break;
        if (c === QUOTE) fail('a double quote inside an unquoted field');
        end++;
      }
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CR && text.charCodeAt(i + 1) === LF) {
      i += 2;
      if (width >= 0 && row.length !== width) fail(`${row.length} fields; the header has ${width}`);
      if (width < 0) width = row.length;
      if (onRow(row, count++) === false) return;
      row = [];
      continue;
    }
    fail(
      i >= text.length
        ? 'the last record does not end with CRLF'
        : `unexpected ${JSON.stringify(text[i])} after a field (records end with CRLF)`,
    );
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
