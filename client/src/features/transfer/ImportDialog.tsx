import { useRef, useState, type DragEvent } from 'react';
import type { ImportReport } from '../../api/types';
import { DialogActions, Modal } from '../../components/Modal';
import { UploadIcon } from '../../components/icons';
import { canImport, useImport, type ImportStep } from './useImport';

interface ImportDialogProps {
  /** After a real import: the list of chats should show the new ones. */
  onImported: (report: ImportReport) => void;
  onOpen: (sessionId: string) => void;
  onClose: () => void;
}

const FORMAT_NAMES: Record<ImportReport['format'], string> = {
  'chat-sessions': 'an export of this service',
  chatgpt: 'a ChatGPT export',
  claude: 'a Claude export',
};

const chats = (n: number) => `${n} ${n === 1 ? 'chat' : 'chats'}`;

/** Import chats from a file: pick or drop it, read the dry run's report, then import for real. */
export function ImportDialog({ onImported, onOpen, onClose }: ImportDialogProps) {
  const { state, check, run, reset } = useImport(onImported);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const busy = state.step === 'checking' || state.step === 'importing';
  const fresh = state.step === 'pick'; // once a file is chosen, the report gets the room

  const choose = (files: FileList | null) => {
    const file = files?.[0];
    if (file) void check(file);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!busy) choose(event.dataTransfer.files);
  };

  return (
    <Modal title="Import chats" wide onClose={onClose}>
      <div className="dialog-scroll">
        {state.step !== 'imported' && (
          <div
            className="drop-zone"
            data-over={over || undefined}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={onDrop}
          >
            {fresh && <UploadIcon width={24} height={24} />}
            <p>{fresh ? 'Drop a .json file here, or' : 'Drop another file here, or'}</p>
            <button type="button" className="button" disabled={busy} onClick={() => input.current?.click()}>
              {fresh ? 'Choose a file' : 'Choose another file'}
            </button>
            <input
              ref={input}
              type="file"
              accept=".json,application/json"
              aria-label="File to import"
              className="visually-hidden"
              tabIndex={-1}
              onChange={(e) => {
                choose(e.target.files);
                e.target.value = ''; // the same file again is a new choice
              }}
            />
            {fresh && (
              <p className="drop-hint">
                From ChatGPT or Claude: the <code>conversations.json</code> of their data export. From here: a file made by Export.
              </p>
            )}
          </div>
        )}
        <div aria-live="polite">
          <ImportStatus state={state} />
        </div>
      </div>
      <DialogActions className="import-actions">
        {state.step === 'imported' ? (
          <>
            <button type="button" className="button" onClick={reset}>
              Import another file
            </button>
            {state.report.session_ids[0] !== undefined && (
              <button type="button" className="button button-primary" onClick={() => onOpen(state.report.session_ids[0]!)}>
                {state.report.session_ids.length === 1 ? 'Open the chat' : 'Open the first chat'}
              </button>
            )}
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="button button-primary" disabled={!canImport(state) || busy} onClick={() => void run()}>
              {state.step === 'importing' ? 'Importing…' : 'Import'}
            </button>
          </>
        )}
      </DialogActions>
    </Modal>
  );
}

function ImportStatus({ state }: { state: ImportStep }) {
  switch (state.step) {
    case 'pick':
      return null;
    case 'checking':
      return <p className="import-status">Reading “{state.name}”…</p>;
    case 'failed':
      return (
        <>
          {state.report && <Report name={state.name} report={state.report} />}
          <p className="dialog-error" role="alert">
            {state.report ? 'The import failed: ' : `“${state.name}”: `}
            {state.detail}
          </p>
        </>
      );
    case 'checked':
    case 'importing':
      return <Report name={state.file.name} report={state.report} />;
    case 'imported':
      return <Report name={state.file.name} report={state.report} done />;
  }
}

function Report({ name, report, done = false }: { name: string; report: ImportReport; done?: boolean }) {
  const { imported, skipped } = report;
  const headline = done
    ? `Imported ${chats(imported)} from “${name}”.`
    : imported > 0
      ? `“${name}” is ${FORMAT_NAMES[report.format]}: ${chats(imported)} will be imported.`
      : `“${name}” is ${FORMAT_NAMES[report.format]}, but it has no chat to import.`;
  return (
    <div className="import-report">
      <p className="import-status">{headline}</p>
      {skipped.length > 0 && (
        <>
          <p className="import-skipped-title">
            {done ? 'Skipped' : 'Will be skipped'}: {chats(skipped.length)}
          </p>
          <ul className="import-skipped" aria-label="Skipped chats">
            {skipped.map((item) => (
              <li key={item.index}>
                <span className="import-skipped-name">
                  <span className="import-skipped-index">#{item.index}</span> {item.title || 'Untitled'}
                </span>
                <span className="import-skipped-reason">{item.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
