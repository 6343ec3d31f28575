import { describe, expect, it } from 'vitest';
import { bearerRequest, json } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';

describe('contact pressure (ours, beyond the seed)', () => {
  const env = useServerFixture({ approvalRequired: false });

  const create = async (
    iins: string[],
    dates: { date_start: string; date_end: string; out_date: string },
  ) => {
    const request = seedCreateRequest({ user_iins: iins });
    return json(
      await bearerRequest(env.server, env.token, 'POST', '/campaigns/create', {
        ...request,
        metadata: { ...request.metadata, ...dates },
        filter_config: { contact_pressure: true },
      }),
    );
  };

  it('leaves out users already reserved by a campaign whose dates overlap, and only those', async () => {
    const everyone = validIins(10, 300);
    const first = await create(everyone.slice(0, 4), {
      date_start: '2026-03-01',
      date_end: '2026-03-31',
      out_date: '2026-03-02',
    });
    expect(first.deployment_result.success).toBe(true);

    const overlapping = await create(everyone, {
      date_start: '2026-03-15',
      date_end: '2026-04-15',
      out_date: '2026-03-16',
    });
    expect(overlapping.filter_stats).toMatchObject({
      initial_count: 10,
      contact_pressure_removed: 4,
      final_count: 6,
    });

    const later = await create(everyone.slice(0, 4), {
      date_start: '2026-05-01',
      date_end: '2026-05-31',
      out_date: '2026-05-02',
    });
    expect(later.filter_stats).toMatchObject({ initial_count: 4, final_count: 4 });
  });
});
