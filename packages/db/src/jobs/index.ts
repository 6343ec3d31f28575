// The jobs engine: pg-boss queues on the app's database.
export type { DeployJobData, JobData, QueueName, WebhookJobData } from './job-queue';
export { JobQueue, queueNames } from './job-queue';
