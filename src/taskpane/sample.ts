/** The bundled sample, served beside the page under sample/ (copied there by the build). */
import { ruleTablesFromJson } from '../core/rules';
import type { SampleData } from './host';

declare const __SAMPLE_FILES__: string[];

export async function fetchSample(base = new URL('sample/', document.baseURI)): Promise<SampleData> {
  const names = typeof __SAMPLE_FILES__ === 'undefined' ? [] : __SAMPLE_FILES__;
  const focus = names.filter((name) => !name.endsWith('.json'));
  if (focus.length === 0) throw new Error('this build has no sample data (assets/sample was empty when it was built)');
  const fetchOk = async (name: string) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`the sample file ${name} could not be loaded (HTTP ${response.status})`);
    return response;
  };
  const files = await Promise.all(focus.map(async (name) => new File([await (await fetchOk(name)).blob()], name)));
  const rules = names.includes('rules.json') ? ruleTablesFromJson(await (await fetchOk('rules.json')).json()) : {};
  return { files, rules };
}
