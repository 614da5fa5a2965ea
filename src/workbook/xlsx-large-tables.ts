/**
 * The command line's workbook file: the ExcelJS gateway, with the large tables (Costs, Allocation)
 * kept out of ExcelJS's in-memory model. ExcelJS holds every cell as an object of its own (some
 * 1.5 KB a cell in all), which put a 100,000-line book at 3 GB; held as plain rows, a cost line
 * costs a few hundred bytes. In the model such a sheet is a placeholder (its header row, the
 * table's definition, column formats, frozen header, protection); its rows are streamed out of the
 * .xlsx when it is opened and streamed into it when it is saved, so neither the whole sheet's XML
 * nor its cells are ever in memory at once.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { CellValue, TableData, TableSpec } from './gateway';
import { ExcelJsGateway, repairLoaded } from './exceljs-gateway';
import { findTable, holdsCellsOutside } from './exceljs-in-place';
import { xlsxInflatesTooBig, XlsxKind, XlsxLimits, XLSX_LIMITS, xlsxSize, xlsxSizeTooBig, xlsxTooBig } from './xlsx-size';
import { attribute, columnLetters, columnNumber, encodeXml, localName, REF_ATTRIBUTES, tablePart, TablePart, tags, workbookParts } from './xlsx-package';

/** A workbook refused by its unpacked size once it is known which sheets are streamed. */
export class WorkbookTooBig extends Error {}

/** The product's tables that grow with the cost lines. */
export const LARGE_TABLES: readonly string[] = ['Costs', 'Allocation'];

const key = (name: string) => name.toLowerCase();

export class ExcelJsFileGateway extends ExcelJsGateway {
  /** Large tables' rows, by lower-case name; their sheets in the model hold the header only. */
  private readonly outside = new Map<string, { sheet: string; data: TableData }>();

  /**
   * Opens a workbook; given its kind, what ExcelJS is about to hold whole (everything but the sheets
   * taken out here) is checked against that kind's limits first.
   */
  static override async fromBytes(bytes: ArrayBuffer | Uint8Array, kind?: XlsxKind, limits?: XlsxLimits): Promise<ExcelJsFileGateway> {
    const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    // What the parts really inflate to, counted as they stream (the zip's declared sizes may lie),
    // before JSZip or ExcelJS inflate anything.
    const counted = kind ? await xlsxInflatesTooBig(array, kind, limits ?? XLSX_LIMITS[kind]) : undefined;
    if (counted?.tooBig) throw new WorkbookTooBig(counted.tooBig);
    const zip = await JSZip.loadAsync(bytes);
    const parts = await workbookParts(zip);
    const taken: { sheet: string; path: string; data: TableData }[] = [];
    let sharedStrings: string[] | undefined;
    for (const part of parts) {
      if (!part.table || !LARGE_TABLES.some((name) => key(name) === key(part.sheet))) continue;
      const table = await tablePart(zip, part.table);
      if (!table || key(table.name) !== key(part.sheet) || table.totalsRow || table.top !== 1 || table.left !== 1) continue;
      sharedStrings ??= await readSharedStrings(zip);
      const { data, placeholder, besideTable } = await takeRows(zip, part.path, table, sharedStrings);
      // Cells typed below or beside the table are the user's: the placeholder would lose them, so such a sheet stays in the model.
      if (data.rowsBelow || besideTable) continue;
      zip.file(part.path, placeholder);
      zip.file(part.table, table.xml.replace(REF_ATTRIBUTES, (_m, name: string) => `${name}="A1:${columnLetters(table.right)}2"`));
      taken.push({ sheet: part.sheet, path: part.path, data });
    }
    if (kind) {
      const streamed = new Set(taken.map((t) => t.path));
      const tooBig = xlsxSizeTooBig(counted?.size ?? xlsxSize(array), kind, (part) => streamed.has(part), limits ?? XLSX_LIMITS[kind]);
      if (tooBig) throw new WorkbookTooBig(tooBig);
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(taken.length === 0 ? (bytes as ArrayBuffer) : ((await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })) as unknown as ArrayBuffer));
    const gateway = new ExcelJsFileGateway(repairLoaded(workbook));
    for (const { sheet, data } of taken) gateway.outside.set(key(sheet), { sheet, data });
    return gateway;
  }

  override async toBytes(): Promise<Uint8Array> {
    const large = [...this.outside.values()].filter(({ data }) => data.rows.length > 0);
    if (large.length === 0) return super.toBytes();
    const zip = await this.package();
    const parts = await workbookParts(zip);
    for (const { sheet, data } of large) {
      const part = parts.find((p) => key(p.sheet) === key(sheet));
      const tablePath = part?.table;
      const table = tablePath ? await tablePart(zip, tablePath) : undefined;
      if (!part || !tablePath || !table) throw new Error(`the ${sheet} sheet's table went missing while saving`);
      const last = `${columnLetters(table.right)}${data.rows.length + 1}`;
      zip.file(tablePath, table.xml.replace(REF_ATTRIBUTES, (_m, name: string) => `${name}="A1:${last}"`));
      const placeholder = await zip.file(part.path)!.async('string');
      // Bytes, not strings: JSZip's own UTF-8 conversion and string CRC took half the time. Level 1 deflates the
      // rows three times as fast as the default for a file some 15% larger.
      const bytes = Readable.from(sheetWithRows(placeholder, data.rows, last), { objectMode: false });
      zip.file(part.path, bytes, { compression: 'DEFLATE', compressionOptions: { level: 1 } });
    }
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', streamFiles: true });
  }

  protected override read(name: string): TableData | undefined {
    return this.outside.get(key(name))?.data ?? super.read(name);
  }

  protected override replaceSheet(spec: TableSpec): void {
    this.outside.delete(key(spec.name));
    // A sheet the user wrote beside the table on stays in the model, updated in place: the streamed rows would replace the whole sheet.
    const found = findTable(this.workbook, spec.name);
    const usersSheet = found !== undefined && holdsCellsOutside(found.sheet, found.place);
    if (usersSheet || spec.totals || spec.rows.length === 0 || !LARGE_TABLES.some((name) => key(name) === key(spec.name))) return super.replaceSheet(spec);
    super.replaceSheet({ ...spec, rows: [] });
    // As the in-memory gateway reads a table back, an empty cell is null. The rows are taken over, not
    // copied (a spec is built for its commit): a copy would double the largest thing in memory.
    for (const row of spec.rows) row.forEach((cell, i) => cell === '' && (row[i] = null));
    this.outside.set(key(spec.name), { sheet: spec.name, data: { headers: spec.columns.map((c) => c.header), rows: spec.rows } });
  }
}

// ---- Reading a large sheet -------------------------------------------------------------------

async function readSharedStrings(zip: JSZip): Promise<string[]> {
  const file = zip.file('xl/sharedStrings.xml');
  if (!file) return [];
  const strings: string[] = [];
  let current: string | undefined;
  let inText = false;
  let phonetic = 0;
  const parser = new SaxesParser();
  parser.on('opentag', (node) => {
    const name = localName(node.name);
    if (name === 'si') current = '';
    else if (name === 'rPh') phonetic++;
    else if (name === 't' && phonetic === 0) inText = true;
  });
  parser.on('text', (text) => {
    if (inText && current !== undefined) current += text;
  });
  parser.on('closetag', (node) => {
    const name = localName(node.name);
    if (name === 't') inText = false;
    else if (name === 'rPh') phonetic--;
    else if (name === 'si') {
      strings.push(current ?? '');
      current = undefined;
    }
  });
  await feed(file, (text) => parser.write(text));
  parser.close();
  return strings;
}

async function feed(file: JSZip.JSZipObject, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  await new Promise<void>((resolve, reject) => {
    file
      .nodeStream('nodebuffer')
      .on('data', (chunk: Buffer) => {
        try {
          onText(decoder.decode(chunk, { stream: true }));
        } catch (error) {
          reject(error);
        }
      })
      .on('error', reject)
      .on('end', resolve);
  });
  onText(decoder.decode());
}

/**
 * The table's rows (as the in-memory gateway reads them: empty rows inside the table skipped, rows
 * below it reported) and the sheet's XML with only its header row left.
 */
async function takeRows(zip: JSZip, path: string, table: TablePart, sharedStrings: readonly string[]): Promise<{ data: TableData; placeholder: string; besideTable: boolean }> {
  const width = table.right - table.left + 1;
  const headers: string[] = Array.from({ length: width }, () => '');
  const rows: CellValue[][] = [];
  let below: { first: number; last: number } | undefined;
  let besideTable = false;
  let row: CellValue[] = [];
  let rowNumber = 0;
  let cell: { column: number; type: string } | undefined;
  let nextColumn = 1;
  let text: string | undefined;
  let inValue = false;
  // Periods, currencies, categories, cost centers repeat on every line: one string each, not one a cell.
  const seen = new Map<string, string>();
  // A string the parser cut out of a chunk of XML keeps the whole chunk alive: keep a copy instead.
  const intern = (value: CellValue) => {
    if (typeof value !== 'string') return value;
    if (value.length > 48) return (' ' + value).slice(1);
    const known = seen.get(value);
    if (known !== undefined) return known;
    const copy = (' ' + value).slice(1);
    if (seen.size < 200_000) seen.set(copy, copy);
    return copy;
  };
  const parser = new SaxesParser();
  parser.on('opentag', (node) => {
    const name = localName(node.name);
    const attrs = node.attributes as Record<string, string>;
    if (name === 'row') {
      rowNumber = attrs.r ? Number(attrs.r) : rowNumber + 1;
      row = Array.from({ length: width }, () => null);
      nextColumn = 1;
    } else if (name === 'c') {
      const column = attrs.r ? columnNumber(/^[A-Z]+/.exec(attrs.r)?.[0] ?? 'A') : nextColumn;
      nextColumn = column + 1;
      cell = { column, type: attrs.t ?? 'n' };
      text = undefined;
    } else if (cell && (name === 'v' || (name === 't' && cell.type === 'inlineStr'))) {
      inValue = true;
      text ??= '';
    } else if (name === 'rPh') inValue = false;
  });
  parser.on('text', (value) => {
    if (inValue) text += value;
  });
  parser.on('closetag', (node) => {
    const name = localName(node.name);
    if (name === 'v' || name === 't') inValue = false;
    else if (name === 'c' && cell) {
      const at = cell.column - table.left;
      if (at >= 0 && at < width) row[at] = intern(cellValue(cell.type, text, sharedStrings));
      else if (rowNumber > table.top && cellValue(cell.type, text, sharedStrings) !== null) besideTable = true;
      cell = undefined;
    } else if (name === 'row') {
      const empty = row.every((value) => value === null);
      if (rowNumber === table.top) row.forEach((value, i) => (headers[i] = String(value ?? '').trim()));
      else if (rowNumber <= table.bottom) {
        if (!empty) rows.push(row);
      } else if (!empty) below = { first: below?.first ?? rowNumber - table.top + 1, last: rowNumber - table.top + 1 };
    }
  });
  const sheet = new PlaceholderSheet();
  await feed(zip.file(path)!, (chunk) => {
    parser.write(chunk);
    sheet.write(chunk);
  });
  parser.close();
  return { data: { headers, rows, ...(below ? { rowsBelow: below } : {}) }, placeholder: sheet.xml(), besideTable };
}

/** The value the in-memory gateway reads from such a cell (ExcelJS's value, as plain). */
function cellValue(type: string, text: string | undefined, sharedStrings: readonly string[]): CellValue {
  if (text === undefined) return null;
  let value: CellValue;
  switch (type) {
    case 's':
      value = sharedStrings[Number(text)] ?? null;
      break;
    case 'b':
      value = text === '1' || text === 'true';
      break;
    case 'n': {
      const number = Number(text);
      value = text.trim() === '' || Number.isNaN(number) ? text : number;
      break;
    }
    default:
      value = text;
  }
  return value === '' ? null : value;
}

/**
 * A sheet's XML, fed in chunks, kept whole but for the rows after its header row: what lies before
 * `<sheetData>` and after `</sheetData>` is small (views, columns, protection, the table's part).
 */
class PlaceholderSheet {
  private before = '';
  private header = '';
  private after = '';
  private tail = '';
  private state: 'before' | 'header' | 'rows' | 'after' = 'before';

  write(chunk: string): void {
    let text = this.tail + chunk;
    this.tail = '';
    for (;;) {
      if (this.state === 'before') {
        const open = /<(?:\w+:)?sheetData\b[^>]*>/.exec(text);
        if (!open) {
          // A tag cut by the chunk's end waits for the next chunk.
          const cut = Math.max(0, text.length - 64);
          this.before += text.slice(0, cut);
          this.tail = text.slice(cut);
          return;
        }
        this.before += text.slice(0, open.index + open[0].length);
        text = text.slice(open.index + open[0].length);
        this.state = open[0].endsWith('/>') ? 'after' : 'header';
      } else if (this.state === 'header') {
        // Keep the first row if it is row 1 (the table's header); a header row is small, so wait for all of it.
        const start = /<[^>]*>/.exec(text);
        if (!start) return void (this.tail = text);
        if (/^<(?:\w+:)?row\b/.test(start[0]) && /\sr="1"/.test(start[0])) {
          const end = start[0].endsWith('/>') ? start : /<\/(?:\w+:)?row>/.exec(text);
          if (!end) return void (this.tail = text);
          this.header = text.slice(0, end.index + end[0].length);
          text = text.slice(end.index + end[0].length);
        }
        this.state = 'rows';
      } else if (this.state === 'rows') {
        const close = /<\/(?:\w+:)?sheetData>/.exec(text);
        if (!close) return void (this.tail = text.slice(-16));
        text = text.slice(close.index);
        this.state = 'after';
      } else {
        this.after += text;
        return;
      }
    }
  }

  xml(): string {
    if (this.state !== 'after') throw new Error('the sheet\'s XML ends inside its rows');
    return this.before + this.header + this.after;
  }
}

// ---- Writing a large sheet -------------------------------------------------------------------

/**
 * The placeholder sheet (ExcelJS's XML, with the header row) with the table's rows after the
 * header, in chunks: each cell takes its column's style (number format), strings inline.
 */
function* sheetWithRows(placeholder: string, rows: readonly CellValue[][], last: string): Generator<Buffer> {
  const open = /<sheetData\b[^>]*?(\/?)>/.exec(placeholder);
  const close = placeholder.indexOf('</sheetData>');
  if (!open) throw new Error('a sheet without sheetData');
  const inside = open[1] === '/' ? '' : placeholder.slice(open.index + open[0].length, close);
  const header = /<row\b[^>]*\br="1"[^>]*>[\s\S]*?<\/row>/.exec(inside)?.[0] ?? '';
  const styles = columnStyles(placeholder);
  const width = rows.reduce((w, row) => Math.max(w, row.length), 0);
  const letters = Array.from({ length: width }, (_, i) => columnLetters(i + 1));
  const style = letters.map((_, i) => (styles[i + 1] ? ` s="${styles[i + 1]}"` : ''));
  yield Buffer.from(placeholder.slice(0, open.index).replace(/(<dimension\b[^>]*\bref=")[^"]*"/, `$1A1:${last}"`) + '<sheetData>' + header);
  let chunk = '';
  for (let index = 0; index < rows.length; index++) {
    const r = index + 2;
    chunk += `<row r="${r}">`;
    rows[index].forEach((value, c) => {
      if (value === null || value === '') return;
      const at = `${letters[c]}${r}"${style[c]}`;
      if (typeof value === 'number') chunk += Number.isFinite(value) ? `<c r="${at}><v>${value}</v></c>` : `<c r="${at} t="inlineStr"><is><t>${value}</t></is></c>`;
      else if (typeof value === 'boolean') chunk += `<c r="${at} t="b"><v>${value ? 1 : 0}</v></c>`;
      else chunk += `<c r="${at} t="inlineStr"><is><t xml:space="preserve">${encodeXml(value)}</t></is></c>`;
    });
    chunk += '</row>';
    if (chunk.length > 1 << 16) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(chunk + (open[1] === '/' ? '</sheetData>' + placeholder.slice(open.index + open[0].length) : placeholder.slice(close)));
}

/** Style id of each column (1-based), from the sheet's `<cols>`. */
function columnStyles(xml: string): Record<number, string> {
  const styles: Record<number, string> = {};
  for (const tag of tags(xml, 'col')) {
    const style = attribute(tag, 'style');
    if (!style) continue;
    for (let c = Number(attribute(tag, 'min')); c <= Number(attribute(tag, 'max')); c++) styles[c] = style;
  }
  return styles;
}
