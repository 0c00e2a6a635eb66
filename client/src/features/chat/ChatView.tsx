import { useCallback, useReducer, useState, type RefObject } from 'react';
import type { Template } from '../../api/types';
import { MenuIcon } from '../../components/icons';
import { ContextMeter } from '../settings/ContextMeter';
import { useSessionContext } from '../settings/hooks';
import { SettingsButton } from '../settings/SettingsButton';
import { ShareButton } from '../sharing/ShareButton';
import { NewChatStart } from '../templates/NewChatStart';
import { ExportMenu } from '../transfer/ExportMenu';
import { ClearHistoryButton } from './ClearHistoryButton';
import { Composer } from './Composer';
import { ErrorNotice } from './ErrorNotice';
import { useChat } from './hooks';
import { MessageList, type MessageFocus } from './MessageList';
import { chatNameFrom } from './chatName';

interface ChatViewProps {
  sessionId: string;
  isNew: boolean;
  title: string | undefined;
  sidebarOpen: boolean;
  toggleRef: RefObject<HTMLButtonElement | null>;
  onToggleSidebar: () => void;
  onMissing: () => void;
  onTurnEnd: () => void;
  /** A message to scroll to and highlight (a search result that was opened). */
  focus?: MessageFocus | null;
}

export function ChatView(props: ChatViewProps) {
  const { sessionId, isNew, title, sidebarOpen, toggleRef, onToggleSidebar, onMissing, onTurnEnd, focus } = props;
  // Counts turns, clears and saved settings: each changes what the model will see next.
  const [changes, changed] = useReducer((n: number) => n + 1, 0);
  const turnEnded = useCallback(() => {
    changed();
    onTurnEnd();
  }, [onTurnEnd]);
  // The template a new chat starts from; its first turn sends it, the server keeps its settings after.
  const [template, setTemplate] = useState<Template | null>(null);
  const chat = useChat({ sessionId, isNew, onMissing, onTurnEnd: turnEnded, templateId: template?.id });
  // A chat started here exists on the server once its first turn has ended (a refused prompt aside: then the calls 404 and show so).
  const saved = !isNew || changes > 0;
  const context = useSessionContext(sessionId, changes, saved);
  const first = chat.messages[0]?.content;
  const heading = title ?? (first === undefined ? 'New chat' : chatNameFrom(first));

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
        <SettingsButton sessionId={sessionId} saved={saved} onSaved={changed} />
        <ExportMenu sessionId={sessionId} saved={saved} />
        <ShareButton sessionId={sessionId} chatName={heading} canShare={saved && chat.messages.length > 0} />
        {chat.messages.length > 0 && <ClearHistoryButton chatName={heading} disabled={chat.streaming} onClear={chat.clear} />}
      </header>

      {chat.loading && chat.messages.length === 0 ? (
        <p className="chat-loading" role="status">
          Loading the conversation…
        </p>
      ) : chat.messages.length === 0 && !saved ? (
        <NewChatStart template={template} onTemplate={setTemplate} onPrompt={(prompt) => void chat.send(prompt)} />
      ) : chat.messages.length === 0 ? (
        <div className="chat-empty">
          <h2>How can I help you today?</h2>
          <p>Ask anything. Your conversations are saved and listed in the sidebar.</p>
        </div>
      ) : (
        <MessageList messages={chat.messages} streaming={chat.streaming} earlier={chat.earlier} focus={focus} />
      )}

      <div className="chat-footer">
        {chat.error && <ErrorNotice detail={chat.error.detail} onRetry={chat.error.retry} />}
        <Composer sessionId={sessionId} streaming={chat.streaming} onSend={(text) => void chat.send(text)} onStop={chat.stop}>
          <ContextMeter state={context} />
        </Composer>
      </div>
    </main>
  );
}
