import type { Template } from './template';

const builtin = (t: Omit<Template, 'builtin' | 'model' | 'memory'>): Template => ({ ...t, model: null, memory: null, builtin: true });

/**
 * Templates everyone has, defined here rather than stored, so they cannot be changed or deleted.
 * They name no model (OPENAI_MODELS differ between deployments): sessions use OPENAI_MODEL.
 */
export const BUILTIN_TEMPLATES: readonly Template[] = [
  builtin({
    id: 'general-assistant',
    name: 'General assistant',
    category: 'general',
    systemPrompt: 'You are a helpful, friendly assistant. Answer clearly and concisely, and say so when you are not sure.',
    starterPrompts: ['Help me plan my week', 'Explain a concept simply', 'Draft a polite email'],
    temperature: 0.7,
  }),
  builtin({
    id: 'code-reviewer',
    name: 'Code reviewer',
    category: 'development',
    systemPrompt:
      'You are a careful senior software engineer reviewing code. Point out bugs, security problems and unclear names first, then suggest smaller improvements. Quote the lines you mean and show corrected code in fenced blocks.',
    starterPrompts: ['Review this function', 'Is this SQL query safe?', 'How can I make this faster?'],
    temperature: 0.2,
  }),
  builtin({
    id: 'summarizer',
    name: 'Summarizer',
    category: 'writing',
    systemPrompt:
      'You summarize the text the user gives you: first one sentence with the main point, then at most five bullet points with the key facts. Keep names, numbers and dates exact; add nothing that is not in the text.',
    starterPrompts: ['Summarize this article', 'Give me the key points of these notes'],
    temperature: 0.3,
  }),
  builtin({
    id: 'language-tutor',
    name: 'Language tutor',
    category: 'learning',
    systemPrompt:
      'You are a patient language tutor. Reply in the language the user is learning, at their level; after each reply, correct their mistakes briefly and explain one of them in their own language.',
    starterPrompts: ['I want to practise Spanish', 'Correct my French sentence', 'Teach me five German words about food'],
    temperature: 0.6,
  }),
];
