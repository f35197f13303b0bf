import { encodeCsv, parseCsv } from './csv-format';

describe('RFC 4180 CSV', () => {
  const rows = [
    ['eventId', 'note', 'result'],
    ['e-1', 'plain', 'pass'],
    ['e-2', 'a, comma', 'exception'],
    ['e-3', 'say "hi"\r\nand go', ''],
  ];

  it('writes CRLF records, quoting only fields that need it, quotes doubled', () => {
    expect(encodeCsv(rows).toString('utf8')).toBe(
      'eventId,note,result\r\ne-1,plain,pass\r\ne-2,"a, comma",exception\r\ne-3,"say ""hi""\r\nand go",\r\n',
    );
  });

  it('reads back what it writes', () => {
    expect(parseCsv(encodeCsv(rows).toString('utf8'))).toEqual(rows);
    expect(parseCsv('')).toEqual([]);
  });

  it('refuses anything RFC 4180 does not allow, naming the row', () => {
    expect(() => parseCsv('a,b\nc,d\n')).toThrow('row 1: unexpected "\\n" after a field (records end with CRLF)');
    expect(() => parseCsv('a,b\r\nc,d')).toThrow('row 2: the last record does not end with CRLF');
    expect(() => parseCsv('a,b\r\nc\r\n')).toThrow('row 2: 1 fields; the header has 2');
    expect(() => parseCsv('a,b\r\nc,d"e\r\n')).toThrow('row 2: a double quote inside an unquoted field');
    expect(() => parseCsv('a,b\r\n"c"x,d\r\n')).toThrow('row 2: unexpected "x" after a field');
    expect(() => parseCsv('a,b\r\n"c,d\r\n')).toThrow('row 2: a quoted field is not closed');
  });
});
