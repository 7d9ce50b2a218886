import { useState } from 'react';
import { App } from 'antd';
import type { ApiError } from '../providers/graphql';

/** Runs one API call from a button, showing the server's refusal in words (the server decides). */
export function useAction() {
  const { notification, message } = App.useApp();
  const [pending, setPending] = useState(false);
  const run = async <T>(fn: () => Promise<T>, done?: string): Promise<T | undefined> => {
    setPending(true);
    try {
      const result = await fn();
      if (done) message.success(done);
      return result;
    } catch (e) {
      const err = e as ApiError;
      const detail = Object.values(err.errors ?? {})
        .flat()
        .join(' ');
      notification.error({ message: err.message, description: detail || undefined });
      return undefined;
    } finally {
      setPending(false);
    }
  };
  return { run, pending };
}
