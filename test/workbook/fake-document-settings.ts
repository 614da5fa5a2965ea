/**
 * Office.Settings as Office documents it, for the harness page: `get` answers null for a setting
 * never set; `set` changes only the copy in memory; `saveAsync` writes the whole bag into the
 * document, and only what was saved is there when the document is opened again. The document is
 * stood in for by a Storage (sessionStorage: it outlives a reload of the page, as a workbook
 * outlives its task pane).
 */
type Callback = (result: { status: 'succeeded' | 'failed'; error?: { message: string } }) => void;

export class FakeDocumentSettings {
  private readonly values: Record<string, unknown>;

  constructor(
    private readonly document: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly key = 'harness.document.settings',
  ) {
    this.values = JSON.parse(document.getItem(key) ?? '{}') as Record<string, unknown>;
  }

  get(name: string): unknown {
    return name in this.values ? this.values[name] : null;
  }

  set(name: string, value: unknown): void {
    // Settings are stored as JSON: what cannot be serialized is refused, as Office does.
    JSON.stringify(value);
    this.values[name] = value;
  }

  saveAsync(callback?: Callback): void {
    this.document.setItem(this.key, JSON.stringify(this.values));
    setTimeout(() => callback?.({ status: 'succeeded' }), 0);
  }
}
