import type { Health } from './hooks';

const LABELS: Record<Health['state'], string> = {
  checking: 'Checking…',
  ok: 'Healthy',
  error: 'Unhealthy',
  unreachable: 'Unreachable',
};

export function HealthStatus({ health }: { health: Health }) {
  const failing = health.state === 'error' && health.failing.length > 0 ? `: ${health.failing.join(', ')} down` : '';
  return (
    <p className="health" data-state={health.state} role="status">
      <span className="health-dot" aria-hidden="true" />
      <span>
        Service {LABELS[health.state].toLowerCase()}
        {failing}
      </span>
    </p>
  );
}
