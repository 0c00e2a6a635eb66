import { useCallback, useState } from 'react';
import type { BulkReply } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useAttempt } from '../../components/useAttempt';
import { chatsLabel, runBulk, type BulkActionName, type BulkTarget } from './bulk';
import type { SessionListState } from './hooks';

/** Names listed in the delete confirmation; the rest are counted. */
const SHOWN_NAMES = 5;

/** Select mode: which chats are ticked, or all the chats the list matches. */
export function useBulkSelection() {
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  /** What the last action did; it goes when select mode starts again. */
  const [status, setStatus] = useState('');

  const toggle = useCallback((id: string) => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  const selectAll = (ids: string[]) => {
    setAllMatching(false);
    setSelected(new Set(ids));
  };
  const selectMatching = (ids: string[]) => {
    setSelected(new Set(ids));
    setAllMatching(true);
  };
  const stop = () => {
    setSelecting(false);
    setSelected(new Set());
    setAllMatching(false);
  };
  const start = () => {
    setStatus('');
    setSelecting(true);
  };
  return { selecting, selected, allMatching, status, setStatus, toggle, selectAll, selectMatching, start, stop };
}

export type BulkSelection = ReturnType<typeof useBulkSelection>;

interface BulkBarProps {
  selection: BulkSelection;
  list: SessionListState;
  /** Called with the ids of ticked chats that were deleted (the open chat may be one of them). */
  onDeleted: (ids: string[]) => void;
  /** After a filter-wide delete, the ids are not known: the open chat is checked instead. */
  onDeletedMatching: () => void;
}

/** The bar of select mode: how many are chosen, select all, and the actions; a delete is counted by a dry run and confirmed first. */
export function BulkBar({ selection, list, onDeleted, onDeletedMatching }: BulkBarProps) {
  const { status, setStatus } = selection;
  const [confirming, setConfirming] = useState<{ target: BulkTarget; dryRun: BulkReply } | null>(null);
  const visible = list.items.map((s) => s.session_id);
  const target: BulkTarget = selection.allMatching
    ? { kind: 'matching', query: list.query, filter: list.filter, total: list.total }
    : { kind: 'selected', ids: [...selection.selected] };
  const count = target.kind === 'matching' ? target.total : target.ids.length;
  const archiveAction: BulkActionName = list.filter.archived ? 'unarchive' : 'archive';

  const finish = async (text: string) => {
    selection.stop();
    setStatus(text);
    await list.refresh();
  };

  const { busy, error, run: act } = useAttempt(async (action: BulkActionName) => {
    setStatus('');
    if (action === 'delete') {
      const dryRun = await runBulk(target, 'delete', true);
      if (dryRun.affected === 0) setStatus('Nothing to delete: those chats are gone already.');
      else setConfirming({ target, dryRun });
      return;
    }
    const done = await runBulk(target, action);
    await finish(`${action === 'archive' ? 'Archived' : 'Unarchived'} ${chatsLabel(done.affected)}.`);
  });

  const confirmDelete = async (what: BulkTarget) => {
    const done = await runBulk(what, 'delete');
    setConfirming(null);
    if (what.kind === 'selected') onDeleted(what.ids);
    else onDeletedMatching();
    await finish(`Deleted ${chatsLabel(done.affected)}.`);
  };

  if (!selection.selecting) {
    return status ? (
      <p className="bulk-status" role="status">
        {status}
      </p>
    ) : null;
  }

  return (
    <div className="bulk-bar" role="toolbar" aria-label="Act on selected chats">
      <div className="bulk-head">
        <p className="bulk-count" role="status">
          {selection.allMatching ? `All ${chatsLabel(count)} matching` : `${count} selected`}
        </p>
        <button type="button" className="button button-ghost" onClick={selection.stop}>
          Done
        </button>
      </div>
      <div className="bulk-buttons">
        <button type="button" className="chip filter-chip" onClick={() => selection.selectAll(visible)} disabled={visible.length === 0}>
          Select all
        </button>
        {list.total > visible.length && !selection.allMatching && (
          <button type="button" className="chip filter-chip" onClick={() => selection.selectMatching(visible)}>
            All {chatsLabel(list.total)}
          </button>
        )}
        <button type="button" className="button" disabled={busy || count === 0} onClick={() => void act(archiveAction)}>
          {archiveAction === 'archive' ? 'Archive' : 'Unarchive'}
        </button>
        <button type="button" className="button button-danger" disabled={busy || count === 0} onClick={() => void act('delete')}>
          Delete…
        </button>
      </div>
      {error && (
        <p className="bulk-error" role="alert">
          {error}
        </p>
      )}
      {confirming && <BulkDeleteDialog {...confirming} onConfirm={confirmDelete} onClose={() => setConfirming(null)} />}
    </div>
  );
}

interface BulkDeleteDialogProps {
  target: BulkTarget;
  dryRun: BulkReply;
  onConfirm: (target: BulkTarget) => Promise<void>;
  onClose: () => void;
}

/** "This will delete N chats", with the first names the dry run gave; a failure stays in the dialog. */
function BulkDeleteDialog({ target, dryRun, onConfirm, onClose }: BulkDeleteDialogProps) {
  const names = dryRun.sample.slice(0, SHOWN_NAMES).map((s) => s.chat_name || 'Untitled chat');
  const more = dryRun.affected - names.length;

  return (
    <ConfirmDialog
      title={`Delete ${chatsLabel(dryRun.affected)}?`}
      confirmLabel={`Delete ${chatsLabel(dryRun.affected)}`}
      danger
      onConfirm={() => onConfirm(target)}
      onCancel={onClose}
    >
      <p>This will delete {chatsLabel(dryRun.affected)} and all their messages for good.</p>
      <ul className="bulk-names">
        {names.map((name, i) => (
          <li key={i}>{name}</li>
        ))}
        {more > 0 && <li>and {chatsLabel(more)} more</li>}
      </ul>
    </ConfirmDialog>
  );
}
