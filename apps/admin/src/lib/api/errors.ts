import { TRPCClientError } from '@trpc/client';
import { toast } from 'svelte-sonner';
import { i18n } from '$lib/i18n/i18n.svelte';
import { type FieldIssue, issueText } from '$lib/issue-text';
import { session } from '$lib/session.svelte';

interface ErrorData {
  code?: string;
  httpStatus?: number;
  domainCode?: string | null;
  issues?: FieldIssue[] | null;
}

/** The tRPC error payload (code, domain code, field issues), or null for network and other errors. */
export function errorData(error: unknown): ErrorData | null {
  return error instanceof TRPCClientError ? ((error.data as ErrorData | undefined) ?? null) : null;
}

/** Field issues the server named (zod or a domain error), to show beside the form fields. */
export function fieldIssues(error: unknown): Array<{ field: string; message: string }> {
  return errorData(error)?.issues ?? [];
}

/**
 * Every client error ends here: a toast saying what failed and what the server said. An expired session sends
 * the person to sign-in and back to where they were (the wizard keeps its draft in local storage meanwhile).
 */
export function handleError(error: unknown, message: string): void {
  const data = errorData(error);
  const t = i18n.t;
  if (data?.code === 'UNAUTHORIZED') {
    session.expired();
    toast.warning(t.errors.sessionEnded);
    return;
  }
  const detail =
    error instanceof TRPCClientError
      ? error.message
      : error instanceof TypeError
        ? t.errors.network
        : error instanceof Error
          ? error.message
          : String(error);
  // Field problems are worded with the field's label in the UI language, all of them; the error's own message
  // is left out then (for a refused input it is zod's JSON).
  const issues = data?.issues?.map((i) => issueText(t, i)) ?? [];
  toast.error(message, {
    description: (issues.length > 0 ? issues : [detail])
      .filter((line, i, all) => all.indexOf(line) === i)
      .join('\n'),
  });
}
