import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api/client';
import type { MemoryStrategy } from '../../api/types';
import { DialogActions, Modal } from '../../components/Modal';
import { useSessionSettings } from './hooks';
import { toChange, toForm, usesTokenBudget, type SettingsForm } from './settingsForm';

const STRATEGIES: Array<{ value: MemoryStrategy; label: string; hint: string }> = [
  { value: 'window', label: 'Window', hint: 'the last turns, up to a number' },
  { value: 'tokens', label: 'Token budget', hint: 'the newest turns that fit in a number of tokens' },
  { value: 'summary', label: 'Summary', hint: 'a running summary of older turns, then the newest ones' },
];

interface SettingsDialogProps {
  sessionId: string;
  onSaved: () => void;
  onClose: () => void;
}

/** The chat's settings: system prompt, model, temperature and memory. Saves with PATCH and shows the server's `detail` on a refusal. */
export function SettingsDialog({ sessionId, onSaved, onClose }: SettingsDialogProps) {
  const { settings, error: loadError, save } = useSessionSettings(sessionId);
  const [edits, setEdits] = useState<Partial<SettingsForm>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = settings && { ...toForm(settings), ...edits };
  const edit = (change: Partial<SettingsForm>) => setEdits((e) => ({ ...e, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || busy) return;
    const change = toChange(form);
    if ('invalid' in change) return setError(change.invalid);
    setBusy(true);
    setError(null);
    try {
      await save(change);
      onSaved();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Modal title="Chat settings" wide onClose={onClose}>
      {!form ? (
        <p className={loadError ? 'dialog-error' : 'dialog-body'} role={loadError ? 'alert' : 'status'}>
          {loadError ?? 'Loading the settings…'}
        </p>
      ) : (
        <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="dialog-scroll settings-fields">
            <Field label="System prompt" hint="Sent to the model first, on every turn.">
              {(id, hint) => (
                <textarea
                  id={id}
                  // The form appears once the settings are loaded: focus moves to it then.
                  autoFocus
                  aria-describedby={hint}
                  rows={4}
                  value={form.systemPrompt}
                  placeholder="None"
                  onChange={(e) => edit({ systemPrompt: e.target.value })}
                />
              )}
            </Field>
            <div className="settings-row">
              <Field label="Model">
                {(id) => (
                  <select id={id} value={form.model} onChange={(e) => edit({ model: e.target.value })}>
                    <option value="">Server default</option>
                    {settings.allowed_models.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                    {/* A model the server no longer allows stays visible rather than silently becoming the default. */}
                    {settings.model !== null && !settings.allowed_models.includes(settings.model) && (
                      <option value={settings.model}>{settings.model} (no longer allowed)</option>
                    )}
                  </select>
                )}
              </Field>
              <Field label="Temperature" hint="0 to 2; empty: the model’s default.">
                {(id, hint) => (
                  <div className="settings-inline">
                    <input
                      id={id}
                      aria-describedby={hint}
                      type="number"
                      inputMode="decimal"
                      min={0}
                      max={2}
                      step={0.1}
                      placeholder="Default"
                      value={form.temperature}
                      onChange={(e) => edit({ temperature: e.target.value })}
                    />
                    <button
                      type="button"
                      className="button button-ghost"
                      aria-label="Reset temperature to default"
                      disabled={form.temperature === ''}
                      onClick={() => {
                        edit({ temperature: '' });
                        // The button is disabled now: the focus goes back to the field rather than out of the dialog.
                        document.getElementById(id)?.focus();
                      }}
                    >
                      Reset
                    </button>
                  </div>
                )}
              </Field>
            </div>
            <MemoryFields form={form} edit={edit} />
          </div>
          <DialogActions error={error}>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            {/* aria-disabled, not disabled: a disabled button would drop the focus out of the dialog. */}
            <button type="submit" className="button button-primary" aria-disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
          </DialogActions>
        </form>
      )}
    </Modal>
  );
}

function MemoryFields({ form, edit }: { form: SettingsForm; edit: (change: Partial<SettingsForm>) => void }) {
  return (
    <fieldset className="settings-memory">
      <legend>Memory</legend>
      <div className="settings-strategies">
        {STRATEGIES.map((s) => (
          <label key={s.value} className="settings-strategy">
            <input type="radio" name="strategy" value={s.value} checked={form.strategy === s.value} onChange={() => edit({ strategy: s.value })} />
            <span>
              <strong>{s.label}</strong>: {s.hint}
            </span>
          </label>
        ))}
      </div>
      <div className="settings-row">
        <Field label="Turns to keep" hint="1 to 100 earlier turns; empty: 10.">
          {(id, hint) => (
            <input id={id} aria-describedby={hint} type="number" min={1} max={100} step={1} value={form.maxHistory} onChange={(e) => edit({ maxHistory: e.target.value })} />
          )}
        </Field>
        {usesTokenBudget(form.strategy) && (
          <Field label="Token budget" hint="Of the whole context; empty: the service default.">
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                type="number"
                min={64}
                step={100}
                placeholder="Default"
                value={form.maxTokens}
                onChange={(e) => edit({ maxTokens: e.target.value })}
              />
            )}
          </Field>
        )}
      </div>
    </fieldset>
  );
}

function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, hintId: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      {children(id, hint ? hintId : undefined)}
      {hint && (
        <small id={hintId} className="settings-hint">
          {hint}
        </small>
      )}
    </div>
  );
}
