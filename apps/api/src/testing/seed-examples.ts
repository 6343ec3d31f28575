import { validIins } from './iins';

/** The seed's example create request, with valid IINs in place of its three (which fail the check digit). */
export function seedCreateRequest(overrides: { campaign_type?: 'RB1' | 'RB3'; user_iins?: string[] } = {}) {
  const type = overrides.campaign_type ?? 'RB1';
  return {
    campaign_type: type,
    metadata: {
      campaign_name: 'Spring Marketing Campaign',
      campaign_desc: 'Promote spring products',
      stream: 'market',
      sub_stream: 'seasonal',
      target_action: 'purchase',
      channel: 'Push',
      campaign_type: 'promotion',
      campaign_text: 'Check out our spring collection!',
      campaign_text_kz: 'Көктемгі коллекциямызды қараңыз!',
      short_desc: 'Spring promo',
      date_start: '2024-03-01',
      date_end: '2024-03-31',
      out_date: '2024-03-02',
      camp_cnt: '50000',
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
