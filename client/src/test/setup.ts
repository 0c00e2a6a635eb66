import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { resetToken } from '../api/auth';

// findBy*/waitFor give up after 1 s by default: too short on a loaded 2-core machine, where a first
// render with highlighting can take longer. Still bounded, well within the 10 s test timeout.
configure({ asyncUtilTimeout: 4_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  resetToken();
  vi.unstubAllGlobals();
});

// jsdom has no layout: the chart container and the sidebar's infinite scroll need these to exist.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
