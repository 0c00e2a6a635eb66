import { useState } from 'react';
import { DownloadIcon, UploadIcon } from '../../components/icons';
import { useAttempt } from '../../components/useAttempt';
import { exportAll } from './download';
import { ImportDialog } from './ImportDialog';

interface TransferLinksProps {
  /** Shows the imported chats in the list. */
  onImported: () => void;
  onOpen: (sessionId: string) => void;
}

/** "Import chats" and "Export all" in the sidebar's footer. */
export function TransferLinks({ onImported, onOpen }: TransferLinksProps) {
  const [importing, setImporting] = useState(false);
  const { busy: exporting, error, run: downloadAll } = useAttempt(exportAll);

  return (
    <>
      <div className="transfer-links">
        <button type="button" className="nav-link" aria-haspopup="dialog" onClick={() => setImporting(true)}>
          <UploadIcon width={16} height={16} />
          <span>Import chats</span>
        </button>
        <button type="button" className="nav-link" disabled={exporting} onClick={() => void downloadAll()}>
          <DownloadIcon width={16} height={16} />
          <span>{exporting ? 'Exporting…' : 'Export all'}</span>
        </button>
      </div>
      {error && (
        <p className="transfer-error" role="alert">
          Export failed: {error}
        </p>
      )}
      {importing && (
        <ImportDialog
          onImported={onImported}
          onOpen={(id) => {
            setImporting(false);
            onOpen(id);
          }}
          onClose={() => setImporting(false)}
        />
      )}
    </>
  );
}
