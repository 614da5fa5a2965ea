/**
 * Text that looks the same to a reader must compare the same: a person's name in the Audit log and a
 * cost center code on the statement. One home for the Unicode work both need:
 *
 * - compatibility normalisation (NFKC: fullwidth "Ｍａｌｌｏｒｙ" is "Mallory"),
 * - invisible characters: Unicode's default-ignorable code points (zero-width space and joiners, soft
 *   hyphen, word joiner, variation selectors, ...) and the direction controls (U+202A–U+202E,
 *   U+2066–U+2069, ...), removed from names and refused in codes,
 * - case folding and white space,
 * - confusable skeletons (Unicode Technical Standard #39, section 4: skeleton(X) = NFD(map(NFD(X))),
 *   where map replaces each character by its prototype in Unicode's confusables.txt): a Cyrillic "о"
 *   is a Latin "o", "I" and "l" and "1" are one, "rn" is "m".
 *
 * The prototype map is the `unhomoglyph` package (nodeca, MIT), which carries Unicode's
 * confusables.txt as data; the NFD steps around it are TR39's.
 */
import unhomoglyph from 'unhomoglyph';

/** Characters a reader cannot see: default-ignorable code points, direction controls and C0/C1 controls. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cc}]/gu;
const IS_INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cc}]$/u;

/** TR39 skeleton (section 4): NFD, each character to its confusable prototype, NFD again. */
export function skeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/** Full case folding as far as JavaScript has it: upper then lower ("ß" and "SS" fold alike), NFKC again after. */
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase().normalize('NFKC');
}

/** NFKC, invisible characters removed, runs of white space made one space, trimmed: how a name is recorded. */
export function visibleText(text: string): string {
  // Control characters that space words (tab, line breaks) become spaces; every other invisible one goes.
  return text.normalize('NFKC').replace(/[\t\n\v\f\r\u0085]/g, ' ').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/**
 * What two texts are compared by: equal keys look the same to a reader (case, width, invisible
 * characters, white space and confusable letters aside). The skeleton is taken before and after
 * folding case, as "I" (capital i) passes for "l" only before it.
 */
export function lookalikeKey(text: string): string {
  return skeleton(foldCase(skeleton(visibleText(text))));
}

/** Whether two texts would look the same to a reader. */
export function looksTheSame(a: string, b: string): boolean {
  return lookalikeKey(a) === lookalikeKey(b);
}

/** An invisible or direction-control character found in a text: where (from 1) and which. */
export interface InvisibleCharacter {
  position: number;
  codePoint: string;
}

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** "U+200B ZERO WIDTH SPACE" (the name where it is one commonly met, else the code point alone). */
export function describeCodePoint(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return NAMES[codePoint] ? `${hex} ${NAMES[codePoint]}` : hex;
}

/** Every invisible or direction-control character in `text`, in order. */
export function invisibleCharacters(text: string): InvisibleCharacter[] {
  const found: InvisibleCharacter[] = [];
  [...text].forEach((character, index) => {
    if (IS_INVISIBLE.test(character)) found.push({ position: index + 1, codePoint: describeCodePoint(character.codePointAt(0)!) });
  });
  return found;
}

/** The characters of `text` that are not plain ASCII, described, for saying why two texts look alike. */
export function unusualCharacters(text: string): string[] {
  return [...new Set([...text].filter((c) => c.codePointAt(0)! > 0x7e).map((c) => `"${c}" ${describeCodePoint(c.codePointAt(0)!)}`))];
}
