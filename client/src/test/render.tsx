import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';

export function renderWithRouter(ui: ReactElement, path = '/') {
  const user = userEvent.setup();
  return { user, ...render(<MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>) };
}

export const SESSION = '11111111-1111-4111-8111-111111111111';
export const OTHER = '22222222-2222-4222-8222-222222222222';

export function summary(
  id: string,
  chatName: string,
  minutesAgo: number,
  count: number,
  organised: { pinned?: boolean; archived?: boolean; tags?: string[] } = {},
) {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return { session_id: id, chat_name: chatName, created_at: at, last_activity: at, message_count: count, pinned: false, archived: false, tags: [] as string[], ...organised };
}

export function done(response: string, sessionId = SESSION) {
  return { response, session_id: sessionId, chat_name: 'x', message_type: 'conversation', timestamp: Date.now() };
}
