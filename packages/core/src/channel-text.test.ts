import { describe, expect, it } from 'vitest';
import { CHANNEL_TEXT_LIMITS, checkChannelTexts, describeChannelText, normaliseChannel } from './index';

const ok = {
  campaign_text: 'Check out our spring collection!',
  campaign_text_kz: 'Көктемгі коллекциямызды қараңыз!',
};

describe('checkChannelTexts', () => {
  it('accepts the seed example on every channel, in any case', () => {
    for (const channel of ['Push', 'push', 'POP-UP', 'pop-up', 'Popup', 'SMS', 'sms']) {
      expect(checkChannelTexts({ channel, ...ok })).toEqual([]);
    }
    expect(normaliseChannel('pop-up')).toBe('POP-UP');
  });

  it('reports both empty texts at once, each with its field', () => {
    expect(checkChannelTexts({ channel: 'Push', campaign_text: '  ', campaign_text_kz: '' })).toEqual([
      expect.objectContaining({ field: 'campaign_text', code: 'TEXT.EMPTY' }),
      expect.objectContaining({ field: 'campaign_text_kz', code: 'TEXT.EMPTY' }),
    ]);
  });

  it('reports a push text over its limit with the limit and the actual length', () => {
    const limit = CHANNEL_TEXT_LIMITS.pushBody;
    expect(checkChannelTexts({ channel: 'Push', ...ok, campaign_text_kz: 'қ'.repeat(limit) })).toEqual([]);
    expect(checkChannelTexts({ channel: 'Push', ...ok, campaign_text_kz: 'қ'.repeat(limit + 1) })).toEqual([
      expect.objectContaining({ field: 'campaign_text_kz', code: 'TEXT.TOO_LONG', limit, actual: limit + 1 }),
    ]);
  });

  it('counts an emoji once against push and pop-up limits', () => {
    const limit = CHANNEL_TEXT_LIMITS.popupBody;
    expect(checkChannelTexts({ channel: 'POP-UP', ...ok, campaign_text: '😀'.repeat(limit) })).toEqual([]);
    expect(describeChannelText('POP-UP', '😀😀')).toEqual({ length: 2, limit, sms: null });
  });

  it('limits SMS by parts: 6 UCS-2 parts pass, 7 do not', () => {
    const max = CHANNEL_TEXT_LIMITS.smsMaxSegments;
    expect(checkChannelTexts({ channel: 'SMS', ...ok, campaign_text: 'Я'.repeat(67 * max) })).toEqual([]);
    expect(checkChannelTexts({ channel: 'SMS', ...ok, campaign_text: 'Я'.repeat(67 * max + 1) })).toEqual([
      expect.objectContaining({
        field: 'campaign_text',
        code: 'SMS.TOO_MANY_SEGMENTS',
        limit: max,
        actual: max + 1,
      }),
    ]);
    expect(describeChannelText('SMS', 'Сәлем')).toMatchObject({ sms: { encoding: 'UCS-2', segments: 1 } });
  });

  it('names an unknown channel and still checks for empty texts', () => {
    expect(checkChannelTexts({ channel: 'Email', campaign_text: 'x', campaign_text_kz: '' })).toEqual([
      expect.objectContaining({ field: 'channel', code: 'CHANNEL.UNKNOWN' }),
      expect.objectContaining({ field: 'campaign_text_kz', code: 'TEXT.EMPTY' }),
    ]);
  });
});
