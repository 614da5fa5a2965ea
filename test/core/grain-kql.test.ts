import { grainKql, periodsKql } from '../../src/core/grain-kql';
import { optionalGrainDimensions } from '../../src/core/focus';
import { analyzeKql } from '../support/kusto-language';

const dimensions = ['ProviderName', 'SubAccountName', 'ServiceCategory', 'ServiceName', 'x_ResourceGroupName', 'Tag:CostCenter', 'Tag:env'];

describe('the grain query in KQL for a FinOps hub', () => {
  it.each(['Costs_v1_2', 'Costs'] as const)('parses and type-checks against the hub schema with %s()', (costFunction) => {
    const query = grainKql(costFunction, dimensions, '2026-10');
    const { errors, columns } = analyzeKql(query.text);
    expect(errors).toEqual([]);
    // keys as text, sums as text (exact decimals), counts as long
    expect(columns).toEqual([
      ...Array.from({ length: 4 + dimensions.length }, (_, i) => [`k${i}`, 'string']),
      ['billed', 'string'],
      ['effective', 'string'],
      ['source_rows', 'long'],
      ['missing_amounts', 'long'],
    ]);
  });

  it('sums costs as decimal, never as real', () => {
    const { text } = grainKql('Costs_v1_2', dimensions, '2026-10');
    expect(text).toMatch(/sum\(todecimal\(\['BilledCost'\]\)\)/);
    expect(text).toMatch(/sum\(todecimal\(\['EffectiveCost'\]\)\)/);
    expect(text).not.toMatch(/sum\(\['(Billed|Effective)Cost'\]\)/);
  });

  it('passes the period and tag keys as parameters, never in the query text', () => {
    const query = grainKql('Costs_v1_2', ['Tag:Team"; .drop table Costs', 'SubAccountName'], '2026-12');
    expect(query.text).not.toContain('drop');
    expect(query.text).not.toContain('2026');
    expect(query.parameters).toEqual({ periodStart: '2026-12-01T00:00:00Z', periodEnd: '2027-01-01T00:00:00Z', tagKey0: 'Team"; .drop table Costs', tagFolded0: 'team"; .drop table costs' });
    expect(query.text.split('\n')[0]).toBe('declare query_parameters(periodStart:datetime, periodEnd:datetime, tagKey0:string, tagFolded0:string);');
    expect(analyzeKql(query.text).errors).toEqual([]);
  });

  it('refuses a dimension that is not a column name', () => {
    expect(() => grainKql('Costs_v1_2', ["x_a']) | take 1 //"], '2026-10')).toThrow(/not a FOCUS column name/);
  });

  it('is refused by an older hub without Costs_v1_2(), naming the function', () => {
    const { errors } = analyzeKql(grainKql('Costs_v1_2', dimensions, '2026-10').text, 'older');
    expect(errors.map((e) => e.message).join(' ')).toMatch(/Costs_v1_2/);
  });

  it('names a column the hub does not have', () => {
    const { errors } = analyzeKql(grainKql('Costs_v1_2', ['x_NoSuchColumn'], '2026-10').text);
    expect(errors.map((e) => e.message).join(' ')).toMatch(/x_NoSuchColumn/);
  });

  it('reads a default dimension no rule names with column_ifexists, so an older cost function without it still answers', () => {
    const query = grainKql('Costs_v1_2', ['SubAccountName', 'x_NoSuchColumn'], '2026-10', ['x_NoSuchColumn']);
    expect(query.text).toContain("k5 = tostring(column_ifexists('x_NoSuchColumn', ''))");
    expect(query.text).toContain("k4 = tostring(['SubAccountName'])");
    expect(analyzeKql(query.text).errors).toEqual([]);
    expect(analyzeKql(grainKql('Costs', optionalGrainDimensions([]), '2026-10', optionalGrainDimensions([])).text, 'only-costs').errors).toEqual([]);
  });

  it('lists the billing periods with their row counts', () => {
    const { errors, columns } = analyzeKql(periodsKql('Costs_v1_2').text);
    expect(errors).toEqual([]);
    expect(columns).toEqual([
      ['BillingPeriod', 'string'],
      ['source_rows', 'long'],
    ]);
  });
});
