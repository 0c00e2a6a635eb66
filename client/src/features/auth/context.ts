import { createContext, useContext } from 'react';
import type { AuthUser } from '../../api/types';

export interface Auth {
  /** `off`: no accounts, everyone is the local admin (the default, and what a component sees without a provider). */
  mode: 'off' | 'jwt';
  /** The signed-in user; null when accounts are off. */
  user: AuthUser | null;
  isAdmin: boolean;
  signOut: () => void;
}

export const AuthContext = createContext<Auth>({ mode: 'off', user: null, isAdmin: true, signOut: () => undefined });

export const useAuth = () => useContext(AuthContext);
