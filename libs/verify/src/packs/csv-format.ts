/**
 * RFC 4180 CSV, as the pack writes its population files: records end with CRLF (the last one
 * too), fields are separated by commas, and a field holding a comma, a double quote, CR or LF
 * is enclosed in double quotes with each double quote doubled. Nothing else is quoted, so the
 * same rows always give the same bytes.
 */
export function encodeCsv(rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from(rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join(''), 'utf8');
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
  let row: string[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new CsvSyntaxError(rows.length + 1, message);
  };
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('a quoted field is not closed');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('a double quote inside an unquoted field');
        field += text[i++];
      }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      if (rows.length > 0 && row.length !== rows[0].length) fail(`${row.length} fields; the header has ${rows[0].length}`);
      rows.push(row);
      row = [];
      continue;
    }
    fail(
      i >= text.length
        ? 'the last record does not end with CRLF'
        : `unexpected ${JSON.stringify(text[i])} after a field (records end with CRLF)`,
    );
  }
  return rows;
}
