import { z } from 'zod';
import { withFileFacts } from '../services/dataset-files';
import { authedProcedure, router, sessionRoleProcedure } from '../trpc';

export const datasetsRouter = router({
  /** Registered datasets with rows, file time, load time and memory (the wizard shows their freshness). */
  list: authedProcedure
    .input(
      z
        .object({
          /** Read these kinds first (cached afterwards), so their value lists are there: the wizard's choices. */
          load: z
            .array(z.enum(['device', 'push', 'product', 'client']))
            .max(4)
            .default([]),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const load = input?.load ?? [];
      // As the audience worker holds them: where filters run and the datasets are prepared.
      const described = await ctx.app.audiences.describeDatasets(load);
      const list = await withFileFacts(ctx.app.settings.dataDir, described);
      return list.map((d) => ({
        name: d.name,
        kind: d.kind,
        /** The dataset's name for people per UI language (null: only its technical name is known). */
        label: d.label ?? null,
        status: d.status,
        rows: d.rows ?? null,
        distinct_iins: d.distinct_iins ?? null,
        values: d.values ?? null,
        load_ms: d.load_ms ?? null,
        memory_bytes: d.memory_bytes ?? null,
        loaded_at: d.loaded_at ?? null,
        prepared_from: d.prepared_from ?? null,
        /** in_cache: after a restart, only the merged index is in memory yet (it answers filters alone). */
        vectors: d.vectors ?? null,
        file_mtime: d.file_mtime,
        file_bytes: d.file_bytes,
        problem: d.problem ?? null,
      }));
    }),

  /** The background preparation of the datasets (null when none runs: no audience worker, no datasets). */
  preparation: authedProcedure.query(({ ctx }) => ctx.app.audiences.preparation()),

  /** Drops the cache: the next run reads every file again. */
  reload: sessionRoleProcedure('admin').mutation(async ({ ctx }) => {
    ctx.app.audiences.reloadDatasets();
    await ctx.app.audit.record({
      actorId: ctx.principal.userId,
      action: 'datasets.reloaded',
      entityType: 'datasets',
      entityId: null,
      details: {},
    });
    return { ok: true as const };
  }),
});
