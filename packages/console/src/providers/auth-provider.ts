import type { AuthProvider } from '@refinedev/core';
import { gql, tokenStore, type ApiError } from './graphql';

export type Role = 'ADMIN' | 'COORDINATOR' | 'AGENCY_OFFICER' | 'COMMUNE_OFFICER' | 'VIEWER';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unit: { id: string; code: string; name: string; kind: string };
}

const ME_FIELDS = 'id username displayName role unit { id code name kind }';

/** `me`, asked once per token: the role drives menus on every render. */
let cached: { token: string; me: Promise<Me> } | undefined;

export function currentUser(): Promise<Me> {
  const token = tokenStore.get();
  if (!token) return Promise.reject(new Error('signed out'));
  if (cached?.token !== token) {
    const me = gql<{ me: Me }>(`{ me { ${ME_FIELDS} } }`).then((d) => d.me);
    me.catch(() => {
      if (cached?.token === token) cached = undefined;
    });
    cached = { token, me };
  }
  return cached.me;
}

export const authProvider: AuthProvider = {
  async login({ username, password }) {
    try {
      const data = await gql<{ login: { token: string; user: Me } }>(
        `mutation($username: String!, $password: String!) { login(username: $username, password: $password) { token user { ${ME_FIELDS} } } }`,
        { username, password },
      );
      tokenStore.set(data.login.token);
      cached = { token: data.login.token, me: Promise.resolve(data.login.user) };
      return { success: true, redirectTo: '/' };
    } catch (e) {
      const err = e as ApiError;
      return { success: false, error: { name: err.code ?? 'Error', message: err.message } };
    }
  },

  async logout() {
    if (tokenStore.get()) await gql('mutation { logout }').catch(() => undefined);
    tokenStore.clear();
    cached = undefined;
    return { success: true, redirectTo: '/login' };
  },

  async check() {
    try {
      await currentUser();
      return { authenticated: true };
    } catch {
      tokenStore.clear();
      return { authenticated: false, logout: true, redirectTo: '/login' };
    }
  },

  async onError(error: ApiError) {
    if (error?.statusCode === 401) return { logout: true, redirectTo: '/login', error };
    return {};
  },

  async getIdentity() {
    try {
      return await currentUser();
    } catch {
      return null;
    }
  },

  async getPermissions() {
    try {
      return (await currentUser()).role;
    } catch {
      return null;
    }
  },
};
