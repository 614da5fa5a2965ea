/**
 * office-addin-mock needs only the OfficeApp names from office-addin-manifest, whose full module
 * loads ESM-only packages that jest cannot require; tests map it to this.
 */
export enum OfficeApp {
  Excel = 'excel',
  OneNote = 'onenote',
  Outlook = 'outlook',
  PowerPoint = 'powerpoint',
  Project = 'project',
  Word = 'word',
}
