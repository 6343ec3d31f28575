import { seedExampleMetadata } from '@campaigns/core/testing';
import { validIins } from './iins';

/** The seed's example create request, with valid IINs in place of its three (which fail the check digit). */
export function seedCreateRequest(overrides: { campaign_type?: 'RB1' | 'RB3'; user_iins?: string[] } = {}) {
  const type = overrides.campaign_type ?? 'RB1';
  return {
    campaign_type: type,
    metadata: {
      ...seedExampleMetadata,
      ...(type === 'RB3' ? { bonus: '5% cashback', characteristic_json: '{"tier":"gold"}' } : {}),
    },
    user_iins: overrides.user_iins ?? validIins(3),
    filter_config: {
      blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'],
    },
    deploy_options: {
      deploy_metadata: true,
      deploy_targeting: true,
      deploy_users: true,
      deploy_offlimit: true,
    },
  };
}

/** The seed's literal example body, IINs and all. */
export const seedLiteralIins = ['123456789012', '987654321098', '456789123456'];
