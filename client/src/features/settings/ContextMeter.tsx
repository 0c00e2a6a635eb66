import { useRef, useState } from 'react';
import { DialogActions, Modal } from '../../components/Modal';
import type { ContextState } from './hooks';
import { meterText } from './meterText';

const ROLE_LABEL = { system: 'System', user: 'User', assistant: 'Assistant' } as const;

/** The size of what the model will see next; a click shows those messages exactly. */
export function ContextMeter({ state }: { state: ContextState | null }) {
  const [open, setOpen] = useState(false);
  if (!state) return null;
  const text = meterText(state);
  return (
    <>
      <button type="button" className="chip context-meter" aria-haspopup="dialog" title="Show what the model will see" onClick={() => setOpen(true)}>
        {text}
      </button>
      {open && <ContextDialog state={state} text={text} onClose={() => setOpen(false)} />}
    </>
  );
}

function ContextDialog({ state, text, onClose }: { state: ContextState; text: string; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  const { messages } = state.context;
  return (
    <Modal title="What the model will see" wide initialFocus={close} onClose={onClose}>
      <p className="dialog-body">These messages go to the model before your next one: {text}.</p>
      {messages.length === 0 ? (
        <p className="context-empty">Nothing yet: the next message goes alone.</p>
      ) : (
        // Focusable: a long context scrolls here, and the keyboard must be able to scroll it.
        <ol className="dialog-scroll context-messages" aria-label="Context messages" tabIndex={0}>
          {messages.map((m, i) => (
            <li key={i} className={`context-message context-${m.role}`}>
              <span className="context-role">{ROLE_LABEL[m.role]}</span>
              <p className="context-content">{m.content}</p>
            </li>
          ))}
        </ol>
      )}
      <DialogActions>
        <button ref={close} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Modal>
  );
}
