/**
 * Whatever the journal — debits and credits, a handful of lines or more than any ERP unit holds,
 * a period's journal or a restatement's difference — every format nets, per account and cost
 * center, to exactly the figures of the generic journal: the parts a format cuts a journal into
 * add nothing and lose nothing.
 */
import fc from 'fast-check';
import { erpJournalFiles, JOURNAL_FORMATS } from '../../../src/core/journal-formats';
import { ledgerOf, restatementJournal } from '../../../src/core/restatement';
import { fileNets, journalNets } from './read-back';
import { journalOf, settingsWith } from './journals';

const entry = fc.tuple(fc.constantFrom('6101', '6102', '6200', '1990'), fc.constantFrom('CC100', 'CC200', 'CC-300', 'OPS_9', ''), fc.bigInt({ min: -5_000_000n, max: 5_000_000n }).filter((a) => a !== 0n));
// Short journals most of the time; now and then one longer than Xero's 300-line file or a D365 voucher.
const entries = fc.oneof({ arbitrary: fc.array(entry, { minLength: 1, maxLength: 40 }), weight: 3 }, { arbitrary: fc.array(entry, { minLength: 290, maxLength: 700 }), weight: 1 });
const settings = settingsWith({ formats: [...JOURNAL_FORMATS], d365Account: '{GLAccount}--{CostCenter}', oracleSegments: ['101', '{CostCenter}', '{GLAccount}'] });

async function netsByFormat(journal: ReturnType<typeof journalOf>, minorDigits: number) {
  const files = await erpJournalFiles(journal, { baseName: 'journal-2025-01', minorDigits, settings: { journalFormats: settings, clearingAccount: '1990' } });
  return Promise.all(JOURNAL_FORMATS.map(async (format) => [format, await fileNets(files.filter((f) => f.format === format), settings, minorDigits)] as const));
}

describe('every journal format', () => {
  it('nets per account and cost center to the generic journal, in currencies with 2 and with 0 decimals', async () => {
    await fc.assert(
      fc.asyncProperty(entries, fc.constantFrom(0, 2), async (lines, minorDigits) => {
        const journal = journalOf(lines);
        const generic = journalNets(journal);
        for (const [, nets] of await netsByFormat(journal, minorDigits)) expect(nets).toEqual(generic);
      }),
      { numRuns: 40 },
    );
  });

  it('nets to the generic journal for a restatement\'s difference journal too', async () => {
    await fc.assert(
      fc.asyncProperty(entries, entries, async (before, after) => {
        const difference = restatementJournal({ period: '2025-01', currency: 'USD', minorDigits: 2, restatesVersion: 1, before: ledgerOf(journalOf(before)), after: ledgerOf(journalOf(after)), form: 'Difference', postedIn: '2025-01' });
        const generic = journalNets(difference);
        for (const [, nets] of await netsByFormat(difference, 2)) expect(nets).toEqual(generic);
      }),
      { numRuns: 25 },
    );
  });
});
