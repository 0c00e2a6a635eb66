import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AccountPage } from './features/account/AccountPage';
import { AdminsOnly } from './features/auth/AdminsOnly';
import { AuthGate } from './features/auth/AuthGate';
import { useAuth } from './features/auth/context';
import { ChatPage } from './features/chat/ChatPage';
import { ContinueShared, ResumeContinue } from './features/sharing/ContinueShared';
import { SharedPage } from './features/sharing/SharedPage';

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

/** The pages behind the sign-in when the server has accounts on. */
function SignedInRoutes() {
  return (
    <AuthGate>
      <ResumeContinue>
        <Routes>
          <Route path="/admin" element={<AdminPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/shared/:shareId/continue" element={<ContinueShared />} />
          <Route path="*" element={<ChatPage />} />
        </Routes>
      </ResumeContinue>
    </AuthGate>
  );
}

/** The pages (render inside a router): a shared chat is open to anyone with its link, the rest behind the sign-in. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/shared/:shareId" element={<SharedPage />} />
      <Route path="*" element={<SignedInRoutes />} />
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
