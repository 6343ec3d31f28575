import { api, type RouterInputs, type RouterOutputs } from '$lib/api/client';

// Every call the administration page makes to the API, so its tabs hold no request code of their own.

export type UserRow = RouterOutputs['users']['list'][number];
export type Role = RouterInputs['users']['create']['role'];
export type TokenRow = RouterOutputs['tokens']['list'][number];
export type AuditQuery = RouterInputs['audit']['list'];
export type AuditPage = RouterOutputs['audit']['list'];

export const listUsers = () => api.users.list.query();
export const createUser = (input: RouterInputs['users']['create']) => api.users.create.mutate(input);
export const setRole = (userId: string, role: Role) => api.users.setRole.mutate({ userId, role });
export const setDisabled = (userId: string, disabled: boolean) =>
  api.users.setDisabled.mutate({ userId, disabled });
export const resetPassword = (userId: string, password: string) =>
  api.users.resetPassword.mutate({ userId, password });

/** Every user's tokens, each with its owner. */
export const listTokens = () => api.tokens.list.query();
/** Resolves with the new token's secret, which the server never shows again. */
export const createToken = async (input: RouterInputs['tokens']['create']) =>
  (await api.tokens.create.mutate(input)).token;
export const revokeToken = (tokenId: string) => api.tokens.revoke.mutate({ tokenId });

/** The registry's datasets and the state of their background preparation, read together. */
export async function datasetsView() {
  const [list, preparation] = await Promise.all([
    api.datasets.list.query(),
    api.datasets.preparation.query(),
  ]);
  return { list, preparation };
}
export type DatasetsView = Awaited<ReturnType<typeof datasetsView>>;
export const reloadDatasets = () => api.datasets.reload.mutate();

export const auditPage = (query: AuditQuery) => api.audit.list.query(query);
