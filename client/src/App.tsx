import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ChatPage } from './features/chat/ChatPage';

const Dashboard = lazy(() => import('./features/admin/Dashboard'));

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route
          path="/admin"
          element={
            <Suspense fallback={<p className="page-loading">Loading dashboard…</p>}>
              <Dashboard />
            </Suspense>
          }
        />
        <Route path="*" element={<ChatPage />} />
      </Routes>
    </BrowserRouter>
  );
}
