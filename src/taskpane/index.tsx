/// <reference types="office-js" />
/** The task pane in Excel: the App with the Office.js gateway. */
import { createRoot } from 'react-dom/client';
import { OfficeGateway } from '../workbook/office-gateway';
import { App } from './App';
import type { TaskPaneHost } from './host';
import { ingestInWorker } from './ingest-client';
import { fetchSample } from './sample';
import { OfficeDocumentLike, readDocumentBytes } from '../workbook/office-file';
import { openShare } from './shares';

const USER_KEY = 'chargeback.user';

Office.onReady(() => {
  const gateway = new OfficeGateway();
  const host: TaskPaneHost = {
    gateway,
    // Office.js does not tell an add-in who is signed in without SSO; the Audit log records this name.
    user: window.localStorage.getItem(USER_KEY) || 'Excel user',
    ingest: ingestInWorker,
    loadSample: () => fetchSample(),
    selectCell: (table, row, column) => gateway.selectCell(table, row, column),
    workbookBytes: () => readDocumentBytes(Office.context.document as unknown as OfficeDocumentLike),
    openShare,
  };
  createRoot(document.getElementById('root')!).render(<App host={host} />);
});
