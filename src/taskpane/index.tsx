/// <reference types="office-js" />
/** The task pane in Excel: the App with the Office.js gateway. */
import { createNestablePublicClientApplication } from '@azure/msal-browser';
import { createRoot } from 'react-dom/client';
import { OfficeGateway } from '../workbook/office-gateway';
import { App } from './App';
import type { TaskPaneHost } from './host';
import { ingestInWorker } from './ingest-client';
import { signedInUser } from './identity';
import { authorityFor, loadPaneConfig } from './pane-config';
import { storedReviewerName } from './reviewer';
import { fetchSample } from './sample';
import { openShare } from './shares';
import { assertWorkbookFileReadable, OfficeContextLike, readWorkbookFile } from './workbook-file';
import { azureToken, hubToken } from './azure-sign-in';
import { officeDocumentSettings } from './document-settings';

Office.onReady(() => {
  const gateway = new OfficeGateway();
  const office = Office.context as unknown as OfficeContextLike;
  // The admin's chargeback.config.json beside the pane, read once.
  const config = loadPaneConfig(window.location.href);
  // The signed-in user through nested app authentication, with the configured app registration;
  // without one (or in an Excel without NAA) the user types a name, remembered on this computer.
  const reviewer = storedReviewerName(window.localStorage, async () => {
    const { config: settings } = await config;
    if (!settings.clientId || !Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')) return undefined;
    return signedInUser(await createNestablePublicClientApplication({ auth: { clientId: settings.clientId, authority: authorityFor(settings) } }));
  });
  const host: TaskPaneHost = {
    gateway,
    loadConfig: () => config,
    ingest: ingestInWorker,
    loadSample: () => fetchSample(),
    selectCell: (table, row, column) => gateway.selectCell(table, row, column),
    workbookBytes: () => readWorkbookFile(office),
    // Whether Excel can hand over the workbook file is asked before signing in to the share.
    openShare: async (choice) => {
      assertWorkbookFileReadable(office.requirements);
      return openShare(choice);
    },
    selectRange: (where) => gateway.selectRange(where),
    reviewer,
    onShown: (listener) => {
      // SharedRuntime 1.1: the page outlives the pane, so refresh when it is shown again.
      const subscribed = Office.addin.onVisibilityModeChanged((event) => {
        if (event.visibilityMode === Office.VisibilityMode.taskpane) listener();
      });
      return () => void subscribed.then((remove) => remove());
    },
    azureToken,
    hubToken,
    // The hub's cluster URL belongs to the workbook: Office keeps it in the file.
    documentSettings: officeDocumentSettings(Office.context.document.settings),
  };
    // Office's theme where Excel offers it (OfficeTheme, requirement set 1.3 and later in desktop Excel).
  const officeTheme = (Office.context as { officeTheme?: { bodyBackgroundColor: string } }).officeTheme;
  createRoot(document.getElementById('root')!).render(<App host={host} officeTheme={officeTheme} />);
});
