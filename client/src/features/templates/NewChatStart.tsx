import { useEffect, useRef, useState } from 'react';
import type { Template } from '../../api/types';
import { TemplateIcon } from '../../components/icons';
import { TemplatePicker } from './TemplatePicker';

interface NewChatStartProps {
  template: Template | null;
  onTemplate: (template: Template | null) => void;
  /** Sends a starter prompt as the first message. */
  onPrompt: (prompt: string) => void;
}

/** The empty new chat: start from a template, and then its starter prompts as suggestions. */
export function NewChatStart({ template, onTemplate, onPrompt }: NewChatStartProps) {
  const [picking, setPicking] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const picked = useRef(false);

  // The button that opened the picker is gone once a template is chosen: focus goes to what took its place.
  useEffect(() => {
    if (!picked.current) return;
    picked.current = false;
    const next = ['.starter-prompt', '.template-change', '.template-start'].map((selector) => root.current?.querySelector<HTMLElement>(selector)).find(Boolean);
    next?.focus();
  }, [template]);

  const choose = (next: Template | null) => {
    picked.current = true;
    setPicking(false);
    onTemplate(next);
  };

  return (
    <div ref={root} className="chat-empty">
      <h2>How can I help you today?</h2>
      {template ? (
        <>
          <p className="template-chosen">
            Starting from the template <strong>{template.name}</strong>.
          </p>
          <div className="template-actions">
            <button type="button" className="button button-ghost template-change" aria-haspopup="dialog" onClick={() => setPicking(true)}>
              Change template
            </button>
            <button type="button" className="button button-ghost" onClick={() => choose(null)}>
              No template
            </button>
          </div>
          {template.starter_prompts.length > 0 && (
            <ul className="starter-prompts" aria-label="Suggestions">
              {template.starter_prompts.map((prompt) => (
                <li key={prompt}>
                  <button type="button" className="starter-prompt" onClick={() => onPrompt(prompt)}>
                    {prompt}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <>
          <p>Ask anything, or start from a template. Your conversations are saved and listed in the sidebar.</p>
          <button type="button" className="button template-start" aria-haspopup="dialog" onClick={() => setPicking(true)}>
            <TemplateIcon width={16} height={16} />
            <span>Start from a template</span>
          </button>
        </>
      )}
      {picking && <TemplatePicker current={template} onPick={choose} onClose={() => setPicking(false)} />}
    </div>
  );
}
