import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { resetToken } from '../api/auth';

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
