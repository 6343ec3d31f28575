// The seed's deploy_options: which of the target tables a deploy writes. A missing option means true.
import { z } from 'zod';

export const deployOptionsSchema = z
  .object({
    deploy_metadata: z.boolean().default(true),
    deploy_targeting: z.boolean().default(true),
    deploy_users: z.boolean().default(true),
    deploy_offlimit: z.boolean().default(true),
  })
  .strict();
export type DeployOptions = z.output<typeof deployOptionsSchema>;

/** Every table written: the default when a request names no deploy_options. */
export const ALL_DEPLOY_OPTIONS: Readonly<DeployOptions> = Object.freeze({
  deploy_metadata: true,
  deploy_targeting: true,
  deploy_users: true,
  deploy_offlimit: true,
});
