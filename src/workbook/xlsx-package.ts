/**
 * The parts of an .xlsx package the command line's workbook file reads without ExcelJS: which part
 * holds each sheet and its first table, the table's range, and the XML and A1 helpers for them.
 */
import JSZip from 'jszip';

/** `ref="A1:K9"` on the table and on its autoFilter. */
export const REF_ATTRIBUTES = /\b(ref)="[^"]*"/g;

export interface SheetPart {
  sheet: string;
  path: string;
  /** The path of the sheet's first table, if it has one. */
  table?: string;
}

export const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeXml(match[1]) : undefined;
};
export const tags = (xml: string, name: string) => xml.match(new RegExp(`<(?:\\w+:)?${name}\\b[^>]*>`, 'g')) ?? [];

/** Resolves a relationship's target against the folder of the part that names it. */
function partPath(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const segments = from.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}

async function relationships(zip: JSZip, part: string): Promise<{ id: string; type: string; path: string }[]> {
  const relsPath = partPath(part, `_rels/${part.split('/').pop()}.rels`);
  const xml = await zip.file(relsPath)?.async('string');
  if (!xml) return [];
  return tags(xml, 'Relationship').map((tag) => ({ id: attribute(tag, 'Id') ?? '', type: attribute(tag, 'Type') ?? '', path: partPath(part, attribute(tag, 'Target') ?? '') }));
}

/** Each sheet's name, part and first table part, from the workbook's relationships. */
export async function workbookParts(zip: JSZip): Promise<SheetPart[]> {
  const book = 'xl/workbook.xml';
  const xml = (await zip.file(book)?.async('string')) ?? '';
  const rels = await relationships(zip, book);
  const parts: SheetPart[] = [];
  for (const tag of tags(xml, 'sheet')) {
    const id = /\s[\w]+:id="([^"]*)"/.exec(tag)?.[1];
    const target = rels.find((r) => r.id === id);
    if (!target || !zip.file(target.path)) continue;
    const table = (await relationships(zip, target.path)).find((r) => r.type.endsWith('/table'));
    parts.push({ sheet: attribute(tag, 'name') ?? '', path: target.path, table: table?.path });
  }
  return parts;
}

export interface TablePart {
  xml: string;
  name: string;
  top: number;
  left: number;
  right: number;
  bottom: number;
  totalsRow: boolean;
}

export async function tablePart(zip: JSZip, path: string): Promise<TablePart | undefined> {
  const xml = await zip.file(path)?.async('string');
  const tag = xml ? tags(xml, 'table')[0] : undefined;
  const ref = tag ? /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(attribute(tag, 'ref') ?? '') : undefined;
  if (!xml || !tag || !ref) return undefined;
  const totals = Number(attribute(tag, 'totalsRowCount') ?? 0) > 0;
  return { xml, name: attribute(tag, 'name') ?? attribute(tag, 'displayName') ?? '', left: columnNumber(ref[1]), top: Number(ref[2]), right: columnNumber(ref[3]), bottom: Number(ref[4]), totalsRow: totals };
}

// ---- XML and A1 helpers ----------------------------------------------------------------------

export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

export function columnNumber(letters: string): number {
  return letters.split('').reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0);
}

export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** Text as XML character data; characters XML cannot hold are dropped, as ExcelJS drops them. */
export function encodeXml(text: string): string {
  if (!/[&<>\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.test(text)) return text;
  return text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_m, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name]!);
}
