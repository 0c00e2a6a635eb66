import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useCleanup } from './hooks';

const countSessions = (n: number) => `${n} ${n === 1 ? 'session' : 'sessions'}`;
const countDays = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** Deletes sessions idle for more than N days, after a dry run and a confirmation. */
export function CleanupTool({ onDeleted }: { onDeleted: () => void }) {
  const [days, setDays] = useState('30');
  const inputId = useId();
  const { state, check, confirm, cancel } = useCleanup(onDeleted);
  const daysOld = Number(days);
  const valid = Number.isInteger(daysOld) && daysOld >= 1;
  const busy = state.step === 'checking' || state.step === 'deleting';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid && !busy) void check(daysOld);
  };

  return (
    <section className="panel cleanup" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Clean up old sessions</h2>
      <p className="panel-hint">Deletes every session with no activity for the given number of days, with its messages.</p>
      <form className="cleanup-form" onSubmit={submit}>
        <label htmlFor={inputId}>Inactive for more than</label>
        <div className="cleanup-row">
          <input
            id={inputId}
            name="days_old"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-invalid={!valid}
          />
          <span>days</span>
          <button type="submit" className="button button-primary" disabled={!valid || busy}>
            Clean up
          </button>
        </div>
      </form>
      <CleanupResult state={state} />
      {(state.step === 'confirm' || state.step === 'deleting') && state.count > 0 && (
        <ConfirmDialog
          title={`Delete ${countSessions(state.count)}?`}
          confirmLabel="Delete"
          danger
          busy={state.step === 'deleting'}
          onConfirm={() => void confirm()}
          onCancel={cancel}
        >
          <p>
            {countSessions(state.count)} inactive for more than {countDays(state.daysOld)} will be deleted with all their messages. This cannot be
            undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function CleanupResult({ state }: { state: ReturnType<typeof useCleanup>['state'] }) {
  switch (state.step) {
    case 'confirm':
      return state.count === 0 ? (
        <p className="cleanup-result" role="status">
          No session has been inactive for more than {countDays(state.daysOld)}. Nothing to delete.
        </p>
      ) : null;
    case 'done':
      return (
        <p className="cleanup-result" role="status">
          Deleted {countSessions(state.deleted)}.
        </p>
      );
    case 'failed':
      return (
        <p className="cleanup-result cleanup-error" role="alert">
          {state.detail}
        </p>
      );
    case 'idle':
    case 'checking':
    case 'deleting':
      return null;
  }
}
