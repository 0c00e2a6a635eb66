import { useState, type RefObject } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EraseIcon, MenuIcon } from '../../components/icons';
import { errorMessage } from '../../api/client';
import { Composer } from './Composer';
import { ErrorNotice } from './ErrorNotice';
import { useChat } from './hooks';
import { MessageList } from './MessageList';

interface ChatViewProps {
  sessionId: string;
  isNew: boolean;
  title: string | undefined;
  sidebarOpen: boolean;
  toggleRef: RefObject<HTMLButtonElement | null>;
  onToggleSidebar: () => void;
  onMissing: () => void;
  onTurnEnd: () => void;
}

export function ChatView(props: ChatViewProps) {
  const { sessionId, isNew, title, sidebarOpen, toggleRef, onToggleSidebar, onMissing, onTurnEnd } = props;
  const chat = useChat({ sessionId, isNew, onMissing, onTurnEnd });
  const [confirmClear, setConfirmClear] = useState(false);
  const [clearError, setClearError] = useState<string | null>(null);
  const [clearing, setClearing] = useState(false);
  const heading = title ?? chat.messages[0]?.content.slice(0, 40) ?? 'New chat';
  const empty = chat.messages.length === 0 && !chat.loading;

  const clear = async () => {
    setClearing(true);
    try {
      await chat.clear();
      setClearError(null);
    } catch (error) {
      setClearError(errorMessage(error));
    } finally {
      setClearing(false);
      setConfirmClear(false);
    }
  };

  return (
    <main className="chat">
      <title>{`${heading} · Chat`}</title>
      <header className="chat-header">
        <button
          ref={toggleRef}
          type="button"
          className="icon-button sidebar-toggle"
          aria-label="Open sidebar"
          aria-controls="sidebar"
          aria-expanded={sidebarOpen}
          onClick={onToggleSidebar}
        >
          <MenuIcon />
        </button>
        <h1 className="chat-title">{heading}</h1>
        {chat.messages.length > 0 && (
          <button
            type="button"
            className="button button-ghost"
            aria-label="Clear history"
            title="Clear history"
            onClick={() => setConfirmClear(true)}
            disabled={chat.streaming}
          >
            <EraseIcon width={16} height={16} />
            <span className="button-label">Clear history</span>
          </button>
        )}
      </header>

      {empty ? (
        <div className="chat-empty">
          <h2>How can I help you today?</h2>
          <p>Ask anything. Your conversations are saved and listed in the sidebar.</p>
        </div>
      ) : (
        <MessageList messages={chat.messages} streaming={chat.streaming} />
      )}

      <div className="chat-footer">
        {chat.error && <ErrorNotice detail={chat.error.detail} onRetry={chat.error.retry} />}
        {clearError && <ErrorNotice detail={clearError} onRetry={() => void clear()} />}
        <Composer streaming={chat.streaming} onSend={(text) => void chat.send(text)} onStop={chat.stop} />
      </div>

      {confirmClear && (
        <ConfirmDialog
          title="Clear this chat’s history?"
          confirmLabel="Clear history"
          danger
          busy={clearing}
          onConfirm={() => void clear()}
          onCancel={() => setConfirmClear(false)}
        >
          <p>All messages of “{heading}” will be deleted. The chat stays in the sidebar, empty.</p>
        </ConfirmDialog>
      )}
    </main>
  );
}
