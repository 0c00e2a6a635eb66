import { memo, useId } from 'react';
import type { SessionSummary } from '../../api/types';
import { TrashIcon } from '../../components/icons';
import { relativeTime } from './relativeTime';

interface SessionItemProps {
  session: SessionSummary;
  current: boolean;
  onSelect: (id: string) => void;
  onDelete: (session: SessionSummary) => void;
}

function countLabel(count: number): string {
  return `${count} ${count === 1 ? 'message' : 'messages'}`;
}

export const SessionItem = memo(function SessionItem({ session, current, onSelect, onDelete }: SessionItemProps) {
  const nameId = useId();
  const name = session.chat_name || 'Untitled chat';
  return (
    <li className="session-item" data-current={current || undefined}>
      <button
        type="button"
        className="session-select"
        aria-current={current ? 'page' : undefined}
        onClick={() => onSelect(session.session_id)}
      >
        <span id={nameId} className="session-name">
          {name}
        </span>
        <span className="session-meta">
          <time dateTime={session.last_activity}>{relativeTime(session.last_activity)}</time>
          <span aria-hidden="true"> · </span>
          <span>{countLabel(session.message_count)}</span>
        </span>
      </button>
      <button
        type="button"
        className="icon-button session-delete"
        aria-label="Delete"
        aria-describedby={nameId}
        title="Delete chat"
        onClick={() => onDelete(session)}
      >
        <TrashIcon width={16} height={16} />
      </button>
    </li>
  );
});
