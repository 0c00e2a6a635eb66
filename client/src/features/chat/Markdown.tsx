import { memo } from 'react';
import ReactMarkdown, { type Components, type Options } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** Turns raw HTML in the Markdown into plain text, so `<img onerror=…>` is shown, never parsed. */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return walk;
}

interface HastElement {
  type: string;
  tagName?: string;
  properties?: { className?: unknown };
  children?: HastElement[];
}

function languageOf(pre: HastElement | undefined): string | undefined {
  const code = pre?.children?.find((child) => child.tagName === 'code');
  const classes = code?.properties?.className;
  const names = Array.isArray(classes) ? classes.map(String) : [];
  return names.find((name) => name.startsWith('language-'))?.slice('language-'.length);
}

const components: Components = {
  pre: ({ node, children }) => <CodeBlock language={languageOf(node as HastElement | undefined)}>{children}</CodeBlock>,
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
  // A reply never loads a remote image by itself (it could carry data out): it gets a link instead.
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer">
        {alt || src}
      </a>
    ) : null,
  table: ({ node: _node, ...props }) => (
    <div className="table-scroll">
      <table {...props} />
    </div>
  ),
};

const remarkPlugins: Options['remarkPlugins'] = [remarkGfm, remarkHtmlAsText];
// Guessing the language of an unlabelled block tries every grammar: only once the reply is complete.
const highlightLabelled: Options['rehypePlugins'] = [[rehypeHighlight, { detect: false }]];
const highlightAll: Options['rehypePlugins'] = [[rehypeHighlight, { detect: true }]];

/** Renders a reply's Markdown without raw HTML (react-markdown without rehype-raw), code highlighted. */
export default memo(function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={streaming ? highlightLabelled : highlightAll}
      components={components}
    >
      {text}
    </ReactMarkdown>
  );
});
