import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useAttempt } from './useAttempt';

describe(useAttempt.name, () => {
  it('should be busy while the action runs, and ignore a second run meanwhile', async () => {
    let finish!: () => void;
    const action = vi.fn((_n: number) => new Promise<void>((resolve) => (finish = resolve)));
    const { result } = renderHook(() => useAttempt(action));

    act(() => void result.current.run(1));
    expect(result.current.busy).toBe(true);
    act(() => void result.current.run(2));
    await act(async () => finish());

    expect(action).toHaveBeenCalledOnce();
    expect(action).toHaveBeenCalledWith(1);
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it('should keep why the action failed until the next try or a dismissal', async () => {
    const action = vi.fn().mockRejectedValueOnce(new Error('The server is unavailable')).mockRejectedValueOnce(new Error('Again')).mockResolvedValueOnce(undefined);
    const { result } = renderHook(() => useAttempt(action));

    await act(() => result.current.run());
    expect(result.current.error).toBe('The server is unavailable');
    expect(result.current.busy).toBe(false);
    act(() => result.current.dismiss());
    expect(result.current.error).toBeNull();

    await act(() => result.current.run());
    expect(result.current.error).toBe('Again');
    await act(() => result.current.run());
    expect(result.current.error).toBeNull();
    expect(action).toHaveBeenCalledTimes(3);
  });
});
