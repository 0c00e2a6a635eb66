import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AccountPage } from './features/account/AccountPage';
import { AdminsOnly } from './features/auth/AdminsOnly';
import { AuthGate } from './features/auth/AuthGate';
import { useAuth } from './features/auth/context';
import { ChatPage } from './features/chat/ChatPage';

const Dashboard = lazy(() => import('./features/admin/Dashboard'));

function AdminPage() {
  const { isAdmin } = useAuth();
  if (!isAdmin) return <AdminsOnly />;
  return (
    <Suspense fallback={<p className="page-loading">Loading dashboard…</p>}>
      <Dashboard />
    </Suspense>
  );
}

/** The pages, behind the sign-in when the server has accounts on (render inside a router). */
export function AppRoutes() {
  return (
    <AuthGate>
      <Routes>
        <Route path="/admin" element={<AdminPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<ChatPage />} />
      </Routes>
    </AuthGate>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
