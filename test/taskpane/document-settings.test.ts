import { officeDocumentSettings } from '../../src/taskpane/document-settings';
import { FakeDocumentSettings } from '../workbook/fake-document-settings';

/** A Storage standing in for the workbook file. */
const file = () => {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
};

describe('choices kept in the workbook (Office document settings)', () => {
  it('reads nothing for a setting never set', () => {
    expect(officeDocumentSettings(new FakeDocumentSettings(file())).get('chargeback.hub.clusterUrl')).toBeUndefined();
  });

  it('saves a setting into the document, so the workbook opened again has it', async () => {
    const workbook = file();
    await officeDocumentSettings(new FakeDocumentSettings(workbook)).set('chargeback.hub.clusterUrl', 'https://myhub.westeurope.kusto.windows.net/Hub');
    expect(officeDocumentSettings(new FakeDocumentSettings(workbook)).get('chargeback.hub.clusterUrl')).toBe('https://myhub.westeurope.kusto.windows.net/Hub');
  });

  it('says so when Office does not keep it', async () => {
    const refusing = { get: () => null, set: () => undefined, saveAsync: (done: (r: { status: unknown; error?: { message: string } }) => void) => done({ status: 'failed', error: { message: 'The document is read-only.' } }) };
    await expect(officeDocumentSettings(refusing).set('x', 'y')).rejects.toThrow('the workbook did not keep the setting: The document is read-only.');
  });
});
