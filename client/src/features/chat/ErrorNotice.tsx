import { AlertIcon } from '../../components/icons';

export function ErrorNotice({ detail, onRetry }: { detail: string; onRetry: () => void }) {
  return (
    <div className="error-notice" role="alert">
      <AlertIcon className="error-icon" />
      <p className="error-detail">{detail}</p>
      <button type="button" className="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
