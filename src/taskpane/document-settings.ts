/// <reference types="office-js" />
/**
 * Choices kept in the workbook itself, not on this computer: Office's document settings (the
 * add-in's own property bag in the file, Office.Settings). Used for what belongs to a workbook and
 * is not secret, such as the FinOps hub's cluster URL; never for tokens or a SAS. A setting is kept
 * in the file only after saveAsync (and the workbook is saved), as Office documents.
 */

export interface DocumentSettings {
  get(name: string): string | undefined;
  /** Sets and saves the setting into the document. */
  set(name: string, value: string): Promise<void>;
}

/** The part of Office.Settings used here. */
export interface OfficeSettingsLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  saveAsync(callback: (result: { status: unknown; error?: { message: string } }) => void): void;
}

export function officeDocumentSettings(settings: OfficeSettingsLike): DocumentSettings {
  return {
    // Office answers null for a setting that was never set.
    get: (name) => {
      const value: unknown = settings.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    set: (name, value) =>
      new Promise<void>((resolve, reject) => {
        settings.set(name, value);
        // Office.AsyncResultStatus.Succeeded is "succeeded"; compared as text so no Office global is needed.
        settings.saveAsync((result) => (String(result.status) === 'succeeded' ? resolve() : reject(new Error(`the workbook did not keep the setting: ${result.error?.message ?? 'Office refused'}`))));
      }),
  };
}
