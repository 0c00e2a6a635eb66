import { useId, useState } from 'react';
import type { Template } from '../../api/types';
import { DialogActions, Modal } from '../../components/Modal';
import { useTemplates, type TemplateGroup } from './hooks';

interface TemplatePickerProps {
  /** The template chosen so far, marked in the list. */
  current: Template | null;
  onPick: (template: Template) => void;
  onClose: () => void;
}

/** The built-in templates and one's own, by category; choosing one closes the picker. */
export function TemplatePicker({ current, onPick, onClose }: TemplatePickerProps) {
  const [attempt, setAttempt] = useState(0);
  const templates = useTemplates(attempt);
  return (
    <Modal title="Start from a template" wide onClose={onClose}>
      <p className="dialog-body">The chat takes the template’s instructions, model and settings; you can change them later in its settings.</p>
      {templates.status === 'loading' && (
        <p className="dialog-body" role="status">
          Loading the templates…
        </p>
      )}
      {templates.status === 'failed' && (
        <div className="dialog-error" role="alert">
          <p>{templates.detail}</p>
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      {templates.status === 'ready' && (
        <div className="dialog-scroll template-groups">
          {templates.groups.map((group, i) => (
            <Group key={group.category} group={group} current={current} focusFirst={i === 0 && current === null} onPick={onPick} />
          ))}
        </div>
      )}
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </DialogActions>
    </Modal>
  );
}

function Group({ group, current, focusFirst, onPick }: { group: TemplateGroup; current: Template | null; focusFirst: boolean; onPick: (t: Template) => void }) {
  const headingId = useId();
  return (
    <section className="template-group" aria-labelledby={headingId}>
      <h3 id={headingId} className="template-category">
        {group.category}
      </h3>
      <ul className="template-list">
        {group.templates.map((template, i) => (
          <li key={template.id}>
            <Option template={template} chosen={current?.id === template.id} autoFocus={current === null ? focusFirst && i === 0 : current.id === template.id} onPick={onPick} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A card: the button names the template, the instructions below describe it (the whole card takes the click). */
function Option({ template, chosen, autoFocus, onPick }: { template: Template; chosen: boolean; autoFocus: boolean; onPick: (t: Template) => void }) {
  const promptId = useId();
  return (
    <div className="template-card" data-chosen={chosen || undefined}>
      <button
        type="button"
        className="template-option"
        aria-describedby={promptId}
        aria-pressed={chosen}
        // The list appears once loaded: focus moves into it then (to the chosen template, else the first).
        autoFocus={autoFocus}
        onClick={() => onPick(template)}
      >
        <span className="template-name">{template.name}</span>
        {!template.builtin && (
          <>
            {' '}
            <span className="badge">yours</span>
          </>
        )}
      </button>
      <p id={promptId} className="template-prompt">
        {template.system_prompt}
      </p>
    </div>
  );
}
