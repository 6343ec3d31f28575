import { describe, expect, it } from 'vitest';
import { filtersOf, plannedAgainstFinal, sheetOfCampaign, sheetWarnings } from './sign-sheet';

const saved = {
  campaign_type: 'RB3',
  campaign_code: 'C000000123',
  xls_ow_id: 'KKB_0001',
  metadata: {
    campaign_name: 'Gold',
    camp_cnt: '300',
    bonus: '500 points',
    characteristic_json: '{"tier":"gold"}',
  },
  filter_config: {
    blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'],
    blacklist_omissions: { BL_No_worker: 'payroll only' },
    devices: ['iOS'],
    mau_only: true,
    control_share: 0.1,
  },
  filter_stats: { initial_count: 400, final_count: 285 },
  warnings: [
    {
      step: 'device',
      dataset: 'devices',
      code: 'DATASET.FILE_MISSING',
      message: 'dataset devices skipped: gone',
    },
  ],
  skipped_blacklists: [],
  omitted_blacklists: [{ name: 'BL_No_worker', reason: 'payroll only' }],
  tables_to_write: ['dssb_ocds.rb3_tr_campaign_dict'],
  deploy_at: null,
};

describe('what you sign', () => {
  it('reads every filter value of a saved config, step by step', () => {
    expect(filtersOf(saved.filter_config)).toEqual({
      blacklists: ['ACRM_DW.RB_BLACK_LIST@ACRM'],
      devices: ['iOS'],
      pushStreams: [],
      products: [],
      mauOnly: true,
      contactPressure: false,
    });
  });

  it('keeps the control share, the omissions, the tables and the warnings of a saved campaign', () => {
    const sheet = sheetOfCampaign(saved);
    expect(sheet.controlShare).toBe(0.1);
    expect(sheet.omittedBlacklists).toEqual([{ name: 'BL_No_worker', reason: 'payroll only' }]);
    expect(sheet.warnings).toEqual([
      { code: 'DATASET.FILE_MISSING', dataset: 'devices', message: 'dataset devices skipped: gone' },
    ]);
    expect(sheet.metadata.characteristic_json).toBe('{"tier":"gold"}');
  });

  it('compares the planned count with the final audience', () => {
    expect(plannedAgainstFinal(sheetOfCampaign(saved))).toEqual({
      planned: 300,
      final: 285,
      difference: -15,
    });
    const unplanned = sheetOfCampaign({ ...saved, metadata: {} });
    expect(plannedAgainstFinal(unplanned)).toEqual({ planned: null, final: 285, difference: null });
  });

  it('keeps what a warning is about, given as an object or as text', () => {
    expect(sheetWarnings([{ message: 'a', code: 'X', dataset: 'd' }, 'b'])).toEqual([
      { code: 'X', dataset: 'd', message: 'a' },
      { code: null, dataset: null, message: 'b' },
    ]);
  });
});
