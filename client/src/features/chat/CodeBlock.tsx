import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CheckIcon, CopyIcon } from '../../components/icons';

const COPIED_MS = 2000;

export function CodeBlock({ language, children }: { language?: string; children: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    const text = pre.current?.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="code-block">
      <div className="code-header">
        <span className="code-language">{language ?? 'code'}</span>
        <button type="button" className="code-copy" onClick={() => void copy()} aria-label={copied ? 'Copied' : 'Copy code'}>
          {copied ? <CheckIcon width={14} height={14} /> : <CopyIcon width={14} height={14} />}
          <span aria-hidden="true">{copied ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}
