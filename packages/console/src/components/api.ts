import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useGetIdentity } from '@refinedev/core';
import type { Me } from '../providers/auth-provider';
import type { FormInstance } from 'antd';
import i18n from '../providers/i18n';
import { gql, toApiError, tokenStore, type ApiError } from '../providers/graphql';

/** A read through `gql` cached by react-query (the client Refine already provides). */
export function useGql<T = Record<string, any>>(key: string, query: string, variables?: Record<string, unknown>, enabled = true) {
  return useQuery<T, ApiError>({ queryKey: ['gql', key, variables ?? {}], queryFn: () => gql<T>(query, variables), enabled });
}

/** After a write: every cached read (ours and Refine's) is fetched again. */
export function useRefreshAll() {
  const client = useQueryClient();
  return () => client.invalidateQueries();
}

/** Puts a BAD_USER_INPUT refusal's field errors on the form items of the same name; true when it did. */
export function showFieldErrors(form: FormInstance, error: unknown): boolean {
  const errors = (error as ApiError)?.errors as Record<string, string[]> | undefined;
  if (!errors || !Object.keys(errors).length) return false;
  form.setFields(
    Object.entries(errors).map(([name, messages]) => ({
      name: name
        .split(/[.[\]]+/)
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      errors: messages,
    })),
  );
  return true;
}

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256?: string;
}

const authHeaders = (): Record<string, string> => {
  const token = tokenStore.get();
  const headers: Record<string, string> = { 'accept-language': i18n.language?.startsWith('en') ? 'en' : 'vi' };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
};

/** POST /files: one multipart upload, answered with the stored file's id. */
export async function uploadFile(file: File): Promise<StoredFile> {
  const body = new FormData();
  body.append('file', file, file.name);
  const res = await fetch('/files', { method: 'POST', headers: authHeaders(), body });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw toApiError(json?.code ?? json?.error?.code ?? 'INTERNAL_SERVER_ERROR', json?.message ?? json?.error?.message);
  return json as StoredFile;
}

/** GET /files/:id with the token, saved under the file's name. */
export async function downloadFile(id: string, name: string): Promise<void> {
  const res = await fetch(`/files/${id}`, { headers: authHeaders() });
  if (!res.ok) throw toApiError(res.status === 404 ? 'NOT_FOUND' : res.status === 403 ? 'FORBIDDEN' : 'INTERNAL_SERVER_ERROR', undefined);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Current year in Vietnam, the default of every yearly view. */
export const thisYear = () => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));

/** A `Decimal` rate (0.1234) as `12,3 %` / `12.3 %`. */
export function formatRate(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const pct = Number(value) * 100;
  return `${pct.toLocaleString(i18n.language === 'en' ? 'en-US' : 'vi-VN', { maximumFractionDigits: 1 })} %`;
}

/** A `Decimal` as the reader's number format. */
export function formatDecimal(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return Number(value).toLocaleString(i18n.language === 'en' ? 'en-US' : 'vi-VN', { maximumFractionDigits: 4 });
}

/** An idempotency key for one press of a button (a retried request is then recorded once). */
export const newKey = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The administrative unit whose subtree the caller works in (API.md Access: an agency works across the
 * unit it belongs to); undefined for ADMIN, who is unscoped.
 */
export function useScopeUnit(): { id?: string; loading: boolean } {
  const { data: me } = useGetIdentity<Me>();
  const home = useGql<{ unit: { id: string; kind: string; parent: { id: string } | null } | null }>(
    'homeUnit',
    'query($id: ID!) { unit(id: $id) { id kind parent { id } } }',
    { id: me?.unit.id ?? '' },
    !!me && me.role !== 'ADMIN',
  );
  if (!me) return { loading: true };
  if (me.role === 'ADMIN') return { loading: false };
  const u = home.data?.unit;
  return { id: u ? (u.kind === 'AGENCY' ? (u.parent?.id ?? u.id) : u.id) : undefined, loading: home.isLoading };
}
