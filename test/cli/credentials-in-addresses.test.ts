/**
 * A password or token typed into a source address (`scheme://user:password@host`) never reaches
 * stderr, stdout or the workbook: the address is refused, and every message is redacted.
 */
import { redactSecrets } from '../../src/shares/share';
import { chargeback } from '../support/cli';

const SECRET = 'dapiS3cretT0ken42';

describe('redactSecrets', () => {
  it.each([
    ['databricks://token:dapiS3cretT0ken42@adb-1.azuredatabricks.net/sql/1.0/warehouses/abc', 'databricks://<redacted>@adb-1.azuredatabricks.net/sql/1.0/warehouses/abc'],
    ['fabric://finance:dapiS3cretT0ken42@x.datawarehouse.fabric.microsoft.com/Costs', 'fabric://<redacted>@x.datawarehouse.fabric.microsoft.com/Costs'],
    ['cannot reach kusto://user:dapiS3cretT0ken42@hub.kusto.windows.net/Hub: refused', 'cannot reach kusto://<redacted>@hub.kusto.windows.net/Hub: refused'],
    ['https://me:dapiS3cretT0ken42@acct.blob.core.windows.net/c', 'https://<redacted>@acct.blob.core.windows.net/c'],
  ])('removes the user-info of %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('removes SAS signatures, bearer tokens, passwords and account keys from a server answer', () => {
    const answer = 'denied: Authorization: Bearer eyJ0eXAi.eyJhdWQi.c2lnbmF0dXJl; DefaultEndpointsProtocol=https;AccountName=a;AccountKey=bXlrZXk=;x sig=abc%2Fdef password=hunter2hunter';
    const redacted = redactSecrets(answer);
    for (const secret of ['eyJ0eXAi', 'bXlrZXk', 'abc%2Fdef', 'hunter2hunter']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('AccountName=a');
  });

  it('keeps an address without credentials as it is', () => {
    expect(redactSecrets('kusto://hub.kusto.windows.net/Hub and someone@example.com')).toBe('kusto://hub.kusto.windows.net/Hub and someone@example.com');
  });
});

describe('a source address with credentials in it', () => {
  it.each([
    ['sources', 'test', `databricks://token:${SECRET}@adb-1.azuredatabricks.net/sql/1.0/warehouses/abc`, '--period', '2026-10'],
    ['sources', 'test', `fabric://finance:${SECRET}@x.datawarehouse.fabric.microsoft.com/Costs`, '--period', '2026-10'],
    ['sources', 'test', `kusto://user:${SECRET}@127.0.0.1:9/Hub`, '--period', '2026-10'],
    ['run', '--source', `databricks://token:${SECRET}@adb-1.azuredatabricks.net/sql/1.0/warehouses/abc?catalog=c&schema=s&table=t`, '--period', '2026-10', '--rules', 'assets/sample/rules.json', '--out', '/tmp/never-written.xlsx'],
    ['run', '--costs', `https://me:${SECRET}@127.0.0.1:9/exports`, '--period', '2026-10', '--rules', 'assets/sample/rules.json', '--out', '/tmp/never-written.xlsx'],
  ])('is refused without echoing the secret: %s %s %s', (...args) => {
    const result = chargeback(args);
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).not.toContain(SECRET);
    expect(result.stderr).toMatch(/credentials are never taken from an address/);
    expect(result.stderr).not.toMatch(/unexpected|\n\s+at /);
  });
});
