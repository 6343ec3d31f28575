import { router } from '../trpc';
import { approvalsRouter } from './approvals';
import { audiencesRouter } from './audiences';
import { auditRouter } from './audit';
import { authRouter } from './auth';
import { campaignsRouter } from './campaigns';
import { codesRouter } from './codes';
import { datasetsRouter } from './datasets';
import { jobsRouter } from './jobs';
import { notificationsRouter } from './notifications';
import { tokensRouter } from './tokens';
import { uploadsRouter } from './uploads';
import { usersRouter } from './users';

export const appRouter = router({
  auth: authRouter,
  codes: codesRouter,
  datasets: datasetsRouter,
  audiences: audiencesRouter,
  campaigns: campaignsRouter,
  approvals: approvalsRouter,
  audit: auditRouter,
  users: usersRouter,
  tokens: tokensRouter,
  notifications: notificationsRouter,
  jobs: jobsRouter,
  uploads: uploadsRouter,
});

export type AppRouter = typeof appRouter;
