import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autosaveDelayMs, Wizard } from './wizard.svelte';

// Local storage as the browser has it (Node 20 has none): a string map per key.
const stored = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, String(v)),
    removeItem: (k: string) => void stored.delete(k),
  },
});

const validRb1 = {
  campaign_name: 'Spring',
  stream: 'market',
  channel: 'SMS',
  campaign_text: 'Кэшбэк 5%',
  campaign_text_kz: 'Кэшбэк 5%',
  date_start: '2030-03-01',
  date_end: '2030-03-31',
  out_date: '2030-03-02',
  camp_cnt: '300',
};

describe('new-campaign wizard state', () => {
  beforeEach(() => stored.clear());

  it('reports every bad row of a pasted list with its row and keeps only valid IINs, each once', () => {
    const w = new Wizard('k');
    w.setPasted('paste', ['900101300007', '12345', '900101300007', '900101300811']);
    expect(w.iins).toEqual(['900101300007', '900101300811']);
    expect(w.audience).toMatchObject({ total: 4, accepted: 2, duplicates: 1, rejectedCount: 2 });
    expect(w.audience?.rejected.map((r) => [r.row, r.reason])).toEqual([
      [2, 'length'],
      [3, 'duplicate'],
    ]);
    expect(w.audienceInput).toEqual({ user_iins: ['900101300007', '900101300811'] });
  });

  it('sends metadata as the seed does: empty fields left out, numbers as text, RB3 fields only for RB3', () => {
    const w = new Wizard('k');
    Object.assign(w.metadata, validRb1, { bonus: '500' });
    (w.metadata as Record<string, unknown>).camp_cnt = 300; // what a number input binds
    expect(w.metadataPayload).toEqual({ ...validRb1 });
    expect(w.metadataValid).toBe(true);
    w.campaignType = 'RB3';
    expect(w.metadataPayload.bonus).toBe('500');
  });

  it('names each field the API would refuse, with core’s rule, before anything is sent', () => {
    const w = new Wizard('k');
    Object.assign(w.metadata, validRb1, { date_end: '2030-02-01', campaign_text_kz: '' });
    expect(Object.keys(w.metadataIssues).sort()).toEqual(['campaign_text_kz', 'date_end']);
  });

  it('restores everything the marketer entered after a reload or an expired session', () => {
    const w = new Wizard('marketer');
    w.setPasted('paste', ['900101300007']);
    Object.assign(w.metadata, validRb1);
    w.filters = { blacklist_tables: ['BL'], mau_only: true };
    w.step = 2;
    w.save();
    const again = new Wizard('marketer');
    expect(again.restore()).toBe(true);
    expect({
      step: again.step,
      iins: again.iins,
      filters: again.filters,
      name: again.metadata.campaign_name,
    }).toEqual({
      step: 2,
      iins: ['900101300007'],
      filters: { blacklist_tables: ['BL'], mau_only: true },
      name: 'Spring',
    });
    expect(new Wizard('someone-else').restore()).toBe(false);
  });

  it('keeps an edited campaign’s saved audience unless a new list replaces it', () => {
    const w = new Wizard('k');
    w.loadCampaign({
      campaign_code: 'C000000002',
      campaign_type: 'RB3',
      metadata: { ...validRb1, camp_cnt: 300, bonus: '500', characteristic_json: null },
      filter_config: { blacklist_tables: ['BL'], control_share: 0.1 },
      filter_stats: { initial_count: 40, final_count: 36 },
      skipped_blacklists: [],
      deploy_at: null,
      deploy_options: {
        deploy_metadata: true,
        deploy_targeting: true,
        deploy_users: true,
        deploy_offlimit: false,
      },
    });
    expect(w.audienceSize).toBe(40);
    expect(w.audienceInput).toEqual({});
    expect(w.controlPercent).toBe(10);
    expect(w.filters).toEqual({ blacklist_tables: ['BL'] });
    expect(w.metadata.camp_cnt).toBe('300');
    expect(w.deployOptions.deploy_offlimit).toBe(false);
    w.setPasted('paste', ['900101300007']);
    expect(w.audienceInput).toEqual({ user_iins: ['900101300007'] });
  });

  it('applies every registered blacklist by default; one left out needs a reason, sent with the config', () => {
    const w = new Wizard('k');
    w.setRegisteredBlacklists(['A', 'B', 'C']);
    expect(w.filters.blacklist_tables).toEqual(['A', 'B', 'C']);
    expect(w.omissionsExplained).toBe(true);
    w.filters = { ...w.filters, blacklist_tables: ['A', 'C'] };
    expect(w.omittedBlacklists).toEqual([{ name: 'B', reason: '' }]);
    expect(w.omissionsExplained).toBe(false);
    w.setOmissionReason('B', '  payroll offers only ');
    expect(w.omissionsExplained).toBe(true);
    expect(w.filterConfig.blacklist_omissions).toEqual({ B: 'payroll offers only' });
    // Ticked again: its reason is not sent.
    w.filters = { ...w.filters, blacklist_tables: ['A', 'B', 'C'] };
    expect(w.filterConfig.blacklist_omissions).toEqual({});
  });

  it('keeps a restored choice of blacklists instead of the defaults', () => {
    const first = new Wizard('k');
    first.setRegisteredBlacklists(['A', 'B']);
    first.filters = { ...first.filters, blacklist_tables: ['A'] };
    first.setOmissionReason('B', 'not relevant');
    first.save();
    const again = new Wizard('k');
    expect(again.restore()).toBe(true);
    again.setRegisteredBlacklists(['A', 'B']);
    expect(again.filters.blacklist_tables).toEqual(['A']);
    expect(again.filterConfig.blacklist_omissions).toEqual({ B: 'not relevant' });
  });

  it('starts from all clients: the whole base is the audience, sent as all_clients, kept across a reload', () => {
    const w = new Wizard('k');
    w.setAllClients('All clients', 1_000_000);
    expect(w.audienceInput).toEqual({ all_clients: true });
    expect(w.audienceSize).toBe(1_000_000);
    expect(w.previewInput).toMatchObject({ all_clients: true });
    expect(w.audience).toMatchObject({ source: 'clients', accepted: 1_000_000, rejectedCount: 0 });
    w.save();
    const again = new Wizard('k');
    expect(again.restore()).toBe(true);
    expect(again.audienceInput).toEqual({ all_clients: true });
    expect(again.iinsLost).toBe(false);
    // A pasted list replaces it.
    again.setPasted('paste', ['900101300007']);
    expect(again.audienceInput).toEqual({ user_iins: ['900101300007'] });
    again.setAllClients('All clients', 10);
    again.clearAudience();
    expect(again.audienceSize).toBe(0);
    expect(again.audienceInput).toEqual({ user_iins: [] });
  });

  describe('autosave', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    const savedName = (key: string) => {
      const again = new Wizard(key);
      return again.restore() ? again.metadata.campaign_name : null;
    };
    /** The page's autosave run after a change, then the page going away at once. */
    const changedThenGone = (w: Wizard) => {
      w.saveSoon();
      w.flushSave();
    };

    it('writes a change once changes pause for the delay, the last change included', () => {
      const w = new Wizard('k');
      w.metadata.campaign_name = 'Sp';
      w.saveSoon();
      vi.advanceTimersByTime(autosaveDelayMs - 1);
      w.metadata.campaign_name = 'Spring';
      w.saveSoon();
      vi.advanceTimersByTime(autosaveDelayMs - 1);
      expect(savedName('k')).toBeNull();
      vi.advanceTimersByTime(1);
      expect(savedName('k')).toBe('Spring');
    });

    it('writes a change still waiting at once when the page goes (a session ending within the delay)', () => {
      const w = new Wizard('k');
      w.metadata.campaign_name = 'Spring';
      changedThenGone(w);
      expect(savedName('k')).toBe('Spring');
    });

    it('leaves nothing to write after a discard; a restored draft is written again only once it changes', () => {
      const w = new Wizard('k');
      w.metadata.campaign_name = 'Spring';
      w.saveSoon();
      w.discard();
      changedThenGone(w); // the page's autosave sees the emptied wizard
      expect(stored.has('k')).toBe(false);

      w.metadata.campaign_name = 'Summer';
      w.save();
      const again = new Wizard('k');
      again.restore();
      stored.clear(); // whatever is written from here on is a new save
      changedThenGone(again);
      expect(stored.has('k')).toBe(false);
      again.metadata.campaign_name = 'Autumn';
      changedThenGone(again);
      expect(savedName('k')).toBe('Autumn');
    });

    it('writes nothing once its owner signed out on purpose, a waiting change included', () => {
      let signedIn = true;
      const w = new Wizard('k', () => signedIn);
      w.metadata.campaign_name = 'Spring';
      w.saveSoon();
      signedIn = false; // the drafts were removed as the person signed out
      vi.advanceTimersByTime(autosaveDelayMs);
      changedThenGone(w);
      expect(stored.has('k')).toBe(false);
    });

    it('writes nothing on flush when no change waits, and nothing after a cancel', () => {
      const w = new Wizard('k');
      w.flushSave();
      expect(stored.has('k')).toBe(false);
      w.metadata.campaign_name = 'Spring';
      w.saveSoon();
      w.cancelSave();
      w.flushSave();
      vi.advanceTimersByTime(10 * autosaveDelayMs);
      expect(stored.has('k')).toBe(false);
    });
  });
});
