import PDFDocument from 'pdfkit';
import { ControlStatus } from '@evidence-ledger/core';

// The report's look: colours, page geometry and the drawing primitives (page furniture,
// headings, paragraphs, call-outs, key/value lists, tables, status badges). What the report
// says is in report-pdf.ts.

export const INK = '#1f2933';
export const MUTED = '#616e7c';
const RULE = '#cbd2d9';
export const BAND = '#102a43';
export const STATUS: Record<ControlStatus, { label: string; fill: string; text: string }> = {
  satisfied: { label: 'Satisfied', fill: '#e3f9e5', text: '#1b5e20' },
  'not-satisfied': { label: 'Not satisfied', fill: '#ffe3e3', text: '#a61b1b' },
  'not-tested': { label: 'Not tested', fill: '#fff3c4', text: '#8d5b00' },
  'not-applicable': { label: 'Not applicable', fill: '#eef2f6', text: '#52606d' },
};
export const MARGIN = 56;
/** A4 in points. */
export const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
/** A table at most this tall (in points) is never split across pages. */
const SHORT_TABLE = 220;

/** The document's metadata; its dates are the report's `asOf`, never the clock. */
export interface ReportDocumentInfo {
  readonly title: string;
  readonly subject: string;
  readonly date: Date;
}

// An A4 document with buffered pages (so the contents and footers are drawn last), written by
// `draw`; resolves to the PDF's bytes. Deterministic: nothing reads the clock.
export function renderDocument(info: ReportDocumentInfo, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: false,
    info: {
      Title: info.title,
      Author: 'Evidence Ledger',
      Subject: info.subject,
      Creator: 'Evidence Ledger',
      Producer: 'Evidence Ledger (PDFKit)',
      CreationDate: info.date,
      ModDate: info.date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

/** The drawing primitives of a report; a report's writer and its section writers draw with them. */
export class ReportLayout {
  private readonly toc: { title: string; page: number }[] = [];
  readonly width = PAGE_WIDTH - 2 * MARGIN;

  constructor(readonly doc: PDFKit.PDFDocument) {}

  pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  section(title: string): void {
    this.doc.addPage();
    this.toc.push({ title, page: this.pageIndex() });
    this.heading(title);
  }

  heading(title: string): void {
    const { doc } = this;
    doc.fillColor(BAND).font('Helvetica-Bold').fontSize(18).text(title, MARGIN, doc.y);
    this.rule(doc.y + 4, BAND, 1.5);
    doc.y += 14;
  }

  subheading(title: string): void {
    // Room for the heading and the first lines or table row under it.
    this.ensure(85);
    this.doc.fillColor(INK).font('Helvetica-Bold').fontSize(12).text(title, MARGIN, this.doc.y, { width: this.width });
    this.doc.y += 4;
  }

  para(text: string, size = 10, color = INK): void {
    this.doc.fillColor(color).font('Helvetica').fontSize(size).text(text, MARGIN, this.doc.y, { width: this.width, lineGap: 2 });
    this.doc.y += 6;
  }

  callout(text: string): void {
    const { doc } = this;
    const h =
      doc
        .font('Helvetica')
        .fontSize(10)
        .heightOfString(text, { width: this.width - 24 }) + 16;
    this.ensure(h + 10);
    const y = doc.y;
    doc.rect(MARGIN, y, this.width, h).fill('#fff8e1');
    doc.rect(MARGIN, y, 4, h).fill('#f0b429');
    doc.fillColor(INK).text(text, MARGIN + 14, y + 8, { width: this.width - 24 });
    doc.y = y + h + 10;
    doc.x = MARGIN;
  }

  keyValues(rows: readonly (readonly [string, string])[]): void {
    const { doc } = this;
    for (const [k, v] of rows) {
      // A row is never split across pages: pdfkit would start a page per overflowing line.
      const h = Math.max(
        doc.font('Helvetica-Bold').fontSize(9).heightOfString(k.toUpperCase(), { width: 120 }),
        doc
          .font('Helvetica')
          .fontSize(10)
          .heightOfString(v, { width: this.width - 125 }),
      );
      this.ensure(h + 4);
      const y = doc.y;
      doc
        .fillColor(MUTED)
        .font('Helvetica-Bold')
        .fontSize(9)
        .text(k.toUpperCase(), MARGIN, y + 1, { width: 120 });
      doc
        .fillColor(INK)
        .font('Helvetica')
        .fontSize(10)
        .text(v, MARGIN + 125, y, { width: this.width - 125 });
      doc.y = Math.max(doc.y, y + 14) + 4;
    }
  }

  code(text: string, size = 9): void {
    const { doc } = this;
    const h =
      doc
        .font('Courier')
        .fontSize(size)
        .heightOfString(text, { width: this.width - 20 }) + 14;
    this.ensure(h + 8);
    const y = doc.y;
    doc.rect(MARGIN, y, this.width, h).fill('#f0f4f8');
    doc
      .fillColor(INK)
      .font('Courier')
      .fontSize(size)
      .text(text, MARGIN + 10, y + 7, { width: this.width - 20 });
    doc.y = y + h + 8;
    doc.x = MARGIN;
  }

  // A table with a shaded header; `status` columns are drawn as coloured badges.
  table(
    headers: readonly string[],
    widths: readonly number[],
    rows: readonly (readonly string[])[],
    statusColumn?: number,
    /** Columns of numbers, right-aligned so their digits line up. */
    numeric: readonly number[] = [],
  ): void {
    const { doc } = this;
    const total = widths.reduce((a, b) => a + b, 0);
    const scale = this.width / total;
    const w = widths.map((x) => x * scale);
    // A header that wraps grows its band rather than spilling out of it.
    const headerHeight =
      Math.max(
        ...headers.map((h, i) =>
          doc
            .font('Helvetica-Bold')
            .fontSize(8.5)
            .heightOfString(h, { width: w[i] - 8 }),
        ),
      ) + 8;
    const drawHeader = () => {
      const y = doc.y;
      doc.rect(MARGIN, y, this.width, headerHeight).fill('#d9e2ec');
      let x = MARGIN;
      headers.forEach((h, i) => {
        doc
          .fillColor(INK)
          .font('Helvetica-Bold')
          .fontSize(8.5)
          .text(h, x + 4, y + 5, { width: w[i] - 8, align: numeric.includes(i) ? 'right' : 'left' });
        x += w[i];
      });
      doc.y = y + headerHeight + 2;
    };
    // The header never ends a page alone: it goes with the first row; a short table is kept whole.
    doc.font('Helvetica').fontSize(8.5);
    const heights = rows.map((row) => Math.max(...row.map((cell, i) => doc.heightOfString(cell, { width: w[i] - 8 }))) + 8);
    const whole = heights.reduce((a, b) => a + b, 0);
    this.ensure(headerHeight + (whole <= SHORT_TABLE ? whole : Math.min(heights[0] ?? 0, 200)) + 6);
    drawHeader();
    rows.forEach((row, r) => {
      doc.font('Helvetica').fontSize(8.5);
      const h = Math.max(...row.map((cell, i) => doc.heightOfString(cell, { width: w[i] - 8 }))) + 8;
      if (doc.y + h > PAGE_HEIGHT - MARGIN - 20) {
        doc.addPage();
        doc.y = MARGIN;
        drawHeader();
      }
      const y = doc.y;
      if (r % 2 === 1) doc.rect(MARGIN, y, this.width, h).fill('#f5f7fa');
      let x = MARGIN;
      row.forEach((cell, i) => {
        if (i === statusColumn) {
          const st = STATUS[cell as ControlStatus];
          doc.roundedRect(x + 3, y + 2, w[i] - 6, h - 4, 3).fill(st.fill);
          doc
            .fillColor(st.text)
            .font('Helvetica-Bold')
            .fontSize(8)
            .text(st.label, x + 4, y + 5, { width: w[i] - 8, align: 'center' });
        } else {
          doc
            .fillColor(INK)
            .font('Helvetica')
            .fontSize(8.5)
            .text(cell, x + 4, y + 4, { width: w[i] - 8, align: numeric.includes(i) ? 'right' : 'left' });
        }
        x += w[i];
      });
      doc.y = y + h;
      this.rule(doc.y, RULE, 0.3);
    });
    doc.y += 10;
    doc.x = MARGIN;
  }

  // A bulleted list, each item wrapping under its own text.
  bullets(items: readonly string[], size = 9.5): void {
    const { doc } = this;
    for (const item of items) {
      doc.font('Helvetica').fontSize(size);
      this.ensure(doc.heightOfString(item, { width: this.width - 14 }) + 4);
      const y = doc.y;
      doc.fillColor(INK).text('\u2022', MARGIN + 2, y, { lineBreak: false });
      doc.text(item, MARGIN + 14, y, { width: this.width - 14, lineGap: 1.5 });
      doc.y += 3;
    }
    doc.x = MARGIN;
    doc.y += 3;
  }

  ensure(height: number): void {
    if (this.doc.y + height > PAGE_HEIGHT - MARGIN - 20) {
      this.doc.addPage();
      this.doc.y = MARGIN;
    }
  }

  // The table of contents, drawn last on the page kept for it, once every section's page is known.
  contents(page: number): void {
    const { doc } = this;
    doc.switchToPage(page);
    doc.x = MARGIN;
    doc.y = MARGIN;
    this.heading('Contents');
    for (const entry of this.toc) {
      const y = doc.y;
      doc
        .fillColor(INK)
        .font('Helvetica')
        .fontSize(12)
        .text(entry.title, MARGIN, y, { width: this.width - 40 });
      doc.text(String(entry.page + 1), MARGIN, y, { width: this.width, align: 'right' });
      this.rule(doc.y + 2, RULE, 0.5);
      doc.y += 8;
    }
  }

  // Every page but the cover: `text` on the left, the page number on the right.
  footers(text: string): void {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      if (i === range.start) continue;
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .fillColor(MUTED)
        .font('Helvetica')
        .fontSize(8)
        .text(text, MARGIN, PAGE_HEIGHT - 36, {
          width: this.width - 80,
          lineBreak: false,
        })
        .text(`Page ${i + 1} of ${range.count}`, MARGIN, PAGE_HEIGHT - 36, { width: this.width, align: 'right', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
  }

  // A horizontal rule across the text width.
  rule(y: number, color: string, width: number): void {
    this.doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + this.width, y)
      .strokeColor(color)
      .lineWidth(width)
      .stroke();
  }

  // A cover's dark band across the top of the page, with a small kicker above the title.
  coverBand(kicker: string, title: string, subtitle: string): void {
    const { doc } = this;
    doc.rect(0, 0, PAGE_WIDTH, 250).fill(BAND);
    doc.fillColor('#9fb3c8').font('Helvetica').fontSize(11).text(kicker, MARGIN, 70);
    doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(28).text(title, MARGIN, 100, { width: this.width });
    doc.font('Helvetica').fontSize(13).fillColor('#d9e2ec').text(subtitle, { width: this.width });
  }

  // One tile per status in a row, each with its count in large figures.
  statusTiles(counts: readonly (readonly [ControlStatus, number])[]): void {
    const { doc } = this;
    const y = doc.y;
    const box = (this.width - 36) / 4;
    counts.forEach(([status, n], i) => {
      const st = STATUS[status];
      const x = MARGIN + i * (box + 12);
      doc.roundedRect(x, y, box, 70, 6).fill(st.fill);
      doc
        .fillColor(st.text)
        .font('Helvetica-Bold')
        .fontSize(26)
        .text(String(n), x, y + 10, { width: box, align: 'center' });
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(st.label.toUpperCase(), x, y + 44, { width: box, align: 'center' });
    });
    doc.y = y + 90;
    doc.x = MARGIN;
  }

  // A shaded band titling one item, its status as a badge at the right. A long title wraps
  // inside the band, which grows to hold it.
  statusBand(title: string, status: ControlStatus): void {
    const { doc } = this;
    const y = doc.y;
    const st = STATUS[status];
    const titleWidth = this.width - 120;
    const band = Math.max(24, doc.font('Helvetica-Bold').fontSize(11.5).heightOfString(title, { width: titleWidth }) + 12);
    doc.rect(MARGIN, y, this.width, band).fill('#f0f4f8');
    doc
      .fillColor(BAND)
      .font('Helvetica-Bold')
      .fontSize(11.5)
      .text(title, MARGIN + 8, y + 7, { width: titleWidth });
    doc.roundedRect(MARGIN + this.width - 104, y + 4, 100, 16, 4).fill(st.fill);
    doc
      .fillColor(st.text)
      .font('Helvetica-Bold')
      .fontSize(8.5)
      .text(st.label.toUpperCase(), MARGIN + this.width - 104, y + 8.5, { width: 100, align: 'center' });
    doc.y = y + band + 6;
  }

  // Small muted text at a fixed place on the page (the cover's closing note).
  fineprint(text: string, y: number): void {
    this.doc.fillColor(MUTED).font('Helvetica').fontSize(9).text(text, MARGIN, y, { width: this.width });
  }
}
