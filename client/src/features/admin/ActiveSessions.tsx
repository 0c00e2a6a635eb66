import type { ActiveSessions as Active } from '../../api/types';

const SHOWN = 8;

export function ActiveSessions({ active }: { active: Active | null }) {
  const ids = active?.active_sessions ?? [];
  return (
    <section className="panel" aria-labelledby="active-title">
      <h2 id="active-title">In memory now</h2>
      <p className="panel-hint">Sessions whose conversation window is held in memory.</p>
      {ids.length === 0 ? (
        <p className="muted">{active ? 'None right now.' : '—'}</p>
      ) : (
        <ul className="id-list">
          {ids.slice(0, SHOWN).map((id) => (
            <li key={id}>
              <code>{id}</code>
            </li>
          ))}
          {ids.length > SHOWN && <li className="muted">and {ids.length - SHOWN} more</li>}
        </ul>
      )}
    </section>
  );
}
