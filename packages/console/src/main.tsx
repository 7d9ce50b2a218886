import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './providers/i18n';
import { App } from './App';

// antd's validateFields() rejects with { errorFields } when a form is invalid; the form already shows
// those errors next to the fields, so the rejection is expected, not a failure of the page.
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason as { errorFields?: unknown } | null;
  if (reason && typeof reason === 'object' && 'errorFields' in reason) event.preventDefault();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
