import fc from 'fast-check';
import { describeCodePoint, invisibleCharacters, lookalikeKey, looksTheSame, skeleton, visibleText } from '../../src/core/lookalike';

describe('text that looks the same compares the same', () => {
  it('takes the TR39 skeleton: confusable letters to their prototype, decomposed', () => {
    expect(skeleton('раураl')).toBe(skeleton('paypal')); // Cyrillic р, а, у
    expect(skeleton('rn')).toBe(skeleton('m'));
    expect(skeleton('0')).toBe(skeleton('O'));
    expect(skeleton('é')).toBe('e\u0301');
  });

  it('drops invisible characters and folds compatibility forms, case and white space', () => {
    expect(visibleText(' Ｄａｎａ\u200d \t Reviewer\u2069 ')).toBe('Dana Reviewer');
    expect(looksTheSame('Straße', 'STRASSE')).toBe(true);
    expect(looksTheSame('CC-A', 'СС-А')).toBe(true); // Cyrillic С and А
    expect(looksTheSame('CC-A', 'CC-B')).toBe(false);
  });

  it('names each invisible or direction-control character by code point and position', () => {
    expect(invisibleCharacters('CC\u200b-A\u202e')).toEqual([
      { position: 3, codePoint: 'U+200B ZERO WIDTH SPACE' },
      { position: 6, codePoint: 'U+202E RIGHT-TO-LEFT OVERRIDE' },
    ]);
    expect(invisibleCharacters('CC-\u00e9')).toEqual([]);
    expect(describeCodePoint(0xe0041)).toBe('U+E0041');
  });

  it('gives one key whatever invisible characters are slipped in (property)', () => {
    const invisible = fc.constantFrom('\u200b', '\u200c', '\u200d', '\u00ad', '\u2060', '\ufeff', '\u202e', '\u2066');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/), fc.array(fc.tuple(fc.nat(12), invisible), { maxLength: 4 }), (code, inserts) => {
        let spelled = code;
        for (const [at, character] of inserts) spelled = spelled.slice(0, at) + character + spelled.slice(at);
        expect(lookalikeKey(spelled)).toBe(lookalikeKey(code));
      }),
    );
  });
});
