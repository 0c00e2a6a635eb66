import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiKey, CreatedApiKey } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useAttempt } from '../../components/useAttempt';
import { CopyButton } from '../chat/CopyButton';
import { useApiKeys } from './hooks';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : 'Never');

/** Lists, creates (showing the new key once) and revokes the user's API keys. */
export function ApiKeys() {
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [pending, setPending] = useState<ApiKey | null>(null);
  const titleId = useId();

  return (
    <section className="panel api-keys" aria-labelledby={titleId}>
      <h2 id={titleId}>API keys</h2>
      <p className="panel-hint">
        For programs: send a key as <code>Authorization: Bearer &lt;key&gt;</code>. It acts as you. Revoke a key you no longer use.
      </p>
      <CreateKeyForm onCreate={keys.create} onCreated={setCreated} />
      {created && <NewKey created={created} onDone={() => setCreated(null)} />}
      {keys.error ? (
        <div className="error-notice" role="alert">
          <p className="error-detail">{keys.error}</p>
          <button type="button" className="button" onClick={keys.reload}>
            Retry
          </button>
        </div>
      ) : keys.loading ? (
        <p className="muted" role="status">
          Loading keys…
        </p>
      ) : keys.items.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <table className="key-table">
          <caption className="visually-hidden">Your API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.items.map((key) => (
              <tr key={key.id}>
                <th scope="row">{key.name}</th>
                <td>{when(key.created_at)}</td>
                <td>{when(key.last_used_at)}</td>
                <td>
                  <button type="button" className="button button-ghost" aria-label={`Revoke ${key.name}`} onClick={() => setPending(key)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending && (
        <RevokeKeyDialog
          apiKey={pending}
          onRevoke={async (id) => {
            await keys.revoke(id);
            if (created?.id === id) setCreated(null);
          }}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
}

function CreateKeyForm({ onCreate, onCreated }: { onCreate: (name: string) => Promise<CreatedApiKey>; onCreated: (key: CreatedApiKey) => void }) {
  const [name, setName] = useState('');
  const inputId = useId();
  const { busy, error, run: create } = useAttempt(async (keyName: string) => {
    onCreated(await onCreate(keyName));
    setName('');
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) void create(name.trim());
  };

  return (
    <form className="key-form" onSubmit={submit}>
      <label htmlFor={inputId}>New key name</label>
      <div className="key-form-row">
        <input id={inputId} name="name" maxLength={100} placeholder="e.g. backup script" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button button-primary" disabled={!name.trim() || busy}>
          Create key
        </button>
      </div>
      {error && (
        <p className="auth-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The new key, shown this once: the server keeps only its hash. Focus moves to it so a screen reader announces it. */
function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  useEffect(() => heading.current?.focus(), [created.id]);
  return (
    <div className="new-key" role="region" aria-labelledby={titleId}>
      <h3 id={titleId} ref={heading} tabIndex={-1}>
        Key “{created.name}” created
      </h3>
      <p>Copy it now: it will not be shown again.</p>
      <div className="new-key-row">
        <code className="new-key-value">{created.key}</code>
        <CopyButton label="Copy API key" getText={() => created.key} />
      </div>
      <button type="button" className="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function RevokeKeyDialog({ apiKey, onRevoke, onClose }: { apiKey: ApiKey; onRevoke: (id: string) => Promise<void>; onClose: () => void }) {
  const confirm = async () => {
    await onRevoke(apiKey.id);
    onClose();
  };

  return (
    <ConfirmDialog title="Revoke API key?" confirmLabel="Revoke" danger onConfirm={confirm} onCancel={onClose}>
      <p>Programs using “{apiKey.name}” will be refused at once. This cannot be undone.</p>
    </ConfirmDialog>
  );
}
