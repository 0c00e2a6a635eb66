import { useEffect, useState } from 'react';
import { api, call, errorMessage } from '../../api/client';
import type { Template } from '../../api/types';

export interface TemplateGroup {
  category: string;
  templates: Template[];
}

/** Templates by category, in the order the server lists them (built-in first, then one's own by category). */
export function byCategory(templates: readonly Template[]): TemplateGroup[] {
  const groups = new Map<string, Template[]>();
  for (const t of templates) groups.set(t.category, [...(groups.get(t.category) ?? []), t]);
  return [...groups].map(([category, list]) => ({ category, templates: list }));
}

type TemplatesState = { status: 'loading' } | { status: 'failed'; detail: string } | { status: 'ready'; groups: TemplateGroup[] };

/** The built-in templates and the caller's own, loaded when the picker opens (`attempt` loads them again). */
export function useTemplates(attempt: number): TemplatesState {
  const [state, setState] = useState<TemplatesState & { attempt: number }>({ status: 'loading', attempt });
  useEffect(() => {
    const controller = new AbortController();
    call(api.GET('/api/templates', { signal: controller.signal }))
      .then(({ data }) => setState({ status: 'ready', groups: byCategory(data), attempt }))
      .catch((e: unknown) => !controller.signal.aborted && setState({ status: 'failed', detail: errorMessage(e), attempt }));
    return () => controller.abort();
  }, [attempt]);
  return state.attempt === attempt ? state : { status: 'loading' };
}
