import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/global.css';
import './styles/chat.css';
import './styles/highlight.css';
import './styles/settings.css';
import './styles/sharing.css';
import './styles/transfer.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
