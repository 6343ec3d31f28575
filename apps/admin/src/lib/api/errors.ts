import type { AppRouter } from '@campaigns/api';
import type { InputIssue } from '@campaigns/core/rules';
import { TRPCClientError } from '@trpc/client';
import { toast } from 'svelte-sonner';
import { i18n } from '$lib/i18n/i18n.svelte';
import { codeText, issueText } from '$lib/issue-text';
import { session } from '$lib/session.svelte';
import { JobFailedError } from './jobs';

/** The tRPC error's data as the API's formatter types it (trpc.ts): code, status, domain code, issues. */
type ErrorData = NonNullable<TRPCClientError<AppRouter>['data']>;

/** The tRPC error payload (code, domain code, field issues), or null for network and other errors. */
export function errorData(error: unknown): ErrorData | null {
  return error instanceof TRPCClientError ? ((error.data as ErrorData | undefined) ?? null) : null;
}

/** Field issues the server named (zod or a domain error), to show beside the form fields. */
export function fieldIssues(error: unknown): InputIssue[] {
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
  toast.error(message, { description: refusalLines(error).join('\n') });
}

/**
 * What the server refused, in the UI language: every field problem worded with its label; else the refusal's
 * code worded; else the error's own message (a network failure, a job's reason).
 */
export function refusalLines(error: unknown): string[] {
  const data = errorData(error);
  const t = i18n.t;
  const issues = data?.issues?.map((i) => issueText(t, i)) ?? [];
  if (issues.length > 0) return issues.filter((line, i, all) => all.indexOf(line) === i);
  const worded = codeText(t, data?.domainCode);
  if (worded) return [worded];
  // A job that failed on the server (an upload's parse): its code worded, never the server's English.
  if (error instanceof JobFailedError)
    return [codeText(t, error.code, error.details, i18n.number) ?? t.errors.jobFailed];
  return [
    error instanceof TRPCClientError
      ? error.message
      : error instanceof TypeError
        ? t.errors.network
        : error instanceof Error
          ? error.message
          : String(error),
  ];
}
