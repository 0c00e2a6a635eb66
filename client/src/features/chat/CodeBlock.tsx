import { useRef, type ReactNode } from 'react';
import { CopyButton } from './CopyButton';

export function CodeBlock({ language, children }: { language?: string; children: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div className="code-block">
      <div className="code-header">
        <span className="code-language">{language ?? 'code'}</span>
        <CopyButton label="Copy code" getText={() => pre.current?.textContent ?? ''} />
      </div>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}
