import { useCallback, useEffect, useState } from 'react';
import { api, call, errorMessage } from '../../api/client';
import type { ApiKey, CreatedApiKey } from '../../api/types';

interface KeysState {
  items: ApiKey[];
  loading: boolean;
  error: string | null;
}

const fetchKeys = async () => (await call(api.GET('/api/auth/keys'))).data;

/** The user's API keys: the list, creating one (whose key the caller shows once) and revoking one. */
export function useApiKeys() {
  const [state, setState] = useState<KeysState>({ items: [], loading: true, error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    fetchKeys().then(
      (items) => live && setState({ items, loading: false, error: null }),
      (error: unknown) => live && setState((s) => ({ ...s, loading: false, error: errorMessage(error) })),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true, error: null }));
    setAttempt((n) => n + 1);
  }, []);

  const create = useCallback(async (name: string): Promise<CreatedApiKey> => {
    const { data } = await call(api.POST('/api/auth/keys', { body: { name } }));
    const listed: ApiKey = { id: data.id, name: data.name, created_at: new Date().toISOString(), last_used_at: null };
    setState((s) => ({ ...s, items: [...s.items, listed] }));
    return data;
  }, []);

  const revoke = useCallback(async (id: string) => {
    await call(api.DELETE('/api/auth/keys/{id}', { params: { path: { id } } }));
    setState((s) => ({ ...s, items: s.items.filter((key) => key.id !== id) }));
  }, []);

  return { ...state, reload, create, revoke };
}
