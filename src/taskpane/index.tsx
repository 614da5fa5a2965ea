/// <reference types="office-js" />
/// <reference types="office-runtime" />
/** The task pane in Excel: the App with the Office.js gateway. */
import { createRoot } from 'react-dom/client';
import { OfficeGateway } from '../workbook/office-gateway';
import { App } from './App';
import type { TaskPaneHost } from './host';
import { ingestInWorker } from './ingest-client';
import { nameFromToken, storedReviewerName } from './reviewer';
import { fetchSample } from './sample';
import { OfficeDocumentLike, readDocumentBytes } from '../workbook/office-file';
import { openShare } from './shares';
import { azureToken } from './azure-sign-in';

/**
 * The signed-in user's name from an Office SSO token, without prompting. It needs the add-in to be
 * registered for SSO (WebApplicationInfo in the manifest); until it is, Office refuses and the
 * reviewer types a name.
 */
async function signedInUser(): Promise<string | undefined> {
  try {
    if (typeof OfficeRuntime === 'undefined' || !OfficeRuntime.auth) return undefined;
    return nameFromToken(await OfficeRuntime.auth.getAccessToken({ allowSignInPrompt: false, allowConsentPrompt: false }));
  } catch {
    return undefined;
  }
}

Office.onReady(() => {
  const gateway = new OfficeGateway();
  const reviewer = storedReviewerName(window.localStorage, signedInUser);
  const host: TaskPaneHost = {
    gateway,
    // Office.js does not tell an add-in who is signed in without SSO; the Audit log records the name typed in Review.
    get user() {
      return reviewer.remembered() || 'Excel user';
    },
    ingest: ingestInWorker,
    loadSample: () => fetchSample(),
    selectCell: (table, row, column) => gateway.selectCell(table, row, column),
    workbookBytes: () => readDocumentBytes(Office.context.document as unknown as OfficeDocumentLike),
    openShare,
    selectRange: (where) => gateway.selectRange(where),
    reviewer,
    azureToken,
  };
  createRoot(document.getElementById('root')!).render(<App host={host} />);
});
