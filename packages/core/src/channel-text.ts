// Channel text rules a marketer sees before submitting: every problem with its field and limit, not just the first.
import { type SmsInfo, smsInfo } from './sms';

/** Channel names as the seed spells them. */
export const CHANNELS = ['Push', 'POP-UP', 'SMS'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Length limits, in characters (Unicode code points: an emoji counts once). Push has no hard platform limit below
 * the 4 KB APNs/FCM payload, so the limits are what the user sees without expanding the notification: iOS shows
 * about 4 lines, ~178 characters, of the body on the lock screen (Android's expanded view shows ~240), and ~50 of a
 * title. A pop-up is our own in-app dialog: ~400 characters fit a 360 dp wide phone screen without scrolling.
 * SMS is limited by parts (see sms.ts): long texts are concatenated, but each part is billed and operators often
 * refuse more than a handful, so we stop at 6 parts (918 GSM-7 or 402 UCS-2 units).
 */
export const CHANNEL_TEXT_LIMITS = {
  pushTitle: 50,
  pushBody: 178,
  popupBody: 400,
  smsMaxSegments: 6,
} as const;

export type ChannelTextField = 'campaign_text' | 'campaign_text_kz' | 'channel';

export type ChannelTextProblemCode =
  | 'TEXT.EMPTY'
  | 'TEXT.TOO_LONG'
  | 'SMS.TOO_MANY_SEGMENTS'
  | 'CHANNEL.UNKNOWN';

export interface ChannelTextProblem {
  field: ChannelTextField;
  code: ChannelTextProblemCode;
  /** The limit broken (characters, or SMS parts), null when none applies (empty text, unknown channel). */
  limit: number | null;
  actual: number | null;
  message: string;
}

export interface ChannelTexts {
  channel: string;
  campaign_text: string;
  campaign_text_kz: string;
}

const TEXT_FIELDS = [
  { field: 'campaign_text', language: 'Russian' },
  { field: 'campaign_text_kz', language: 'Kazakh' },
] as const;

/** The seed's spelling of a channel given in any case ('push', 'Pop-Up', 'popup'), or null when unknown. */
export function normaliseChannel(value: string): Channel | null {
  const key = value
    .trim()
    .toUpperCase()
    .replace(/[\s_-]/g, '');
  if (key === 'PUSH') return 'Push';
  if (key === 'POPUP') return 'POP-UP';
  if (key === 'SMS') return 'SMS';
  return null;
}

/** Length of a text as the channel limits count it: code points. */
export function textLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

export interface ChannelTextInfo {
  length: number;
  /** Character limit for Push / POP-UP; null for SMS, which is limited by parts. */
  limit: number | null;
  /** Encoding and parts, for SMS only. */
  sms: SmsInfo | null;
}

/** What a form shows beside a text field while the marketer types. */
export function describeChannelText(channel: Channel, text: string): ChannelTextInfo {
  const length = textLength(text);
  if (channel === 'SMS') return { length, limit: null, sms: smsInfo(text) };
  return {
    length,
    limit: channel === 'Push' ? CHANNEL_TEXT_LIMITS.pushBody : CHANNEL_TEXT_LIMITS.popupBody,
    sms: null,
  };
}

export function checkChannelTexts(texts: ChannelTexts): ChannelTextProblem[] {
  const problems: ChannelTextProblem[] = [];
  const channel = normaliseChannel(texts.channel);
  if (channel === null) {
    problems.push({
      field: 'channel',
      code: 'CHANNEL.UNKNOWN',
      limit: null,
      actual: null,
      message: `Unknown channel ${JSON.stringify(texts.channel)}: use one of ${CHANNELS.join(', ')}`,
    });
  }
  for (const { field, language } of TEXT_FIELDS) {
    const text = texts[field];
    if (text.trim() === '') {
      problems.push({
        field,
        code: 'TEXT.EMPTY',
        limit: null,
        actual: 0,
        message: `The ${language} text is empty`,
      });
      continue;
    }
    if (channel === null) continue;
    const info = describeChannelText(channel, text);
    if (info.sms !== null) {
      if (info.sms.segments > CHANNEL_TEXT_LIMITS.smsMaxSegments) {
        problems.push({
          field,
          code: 'SMS.TOO_MANY_SEGMENTS',
          limit: CHANNEL_TEXT_LIMITS.smsMaxSegments,
          actual: info.sms.segments,
          message: `The ${language} SMS needs ${info.sms.segments} parts (${info.sms.units} ${info.sms.encoding} units); at most ${CHANNEL_TEXT_LIMITS.smsMaxSegments} are allowed`,
        });
      }
    } else if (info.limit !== null && info.length > info.limit) {
      problems.push({
        field,
        code: 'TEXT.TOO_LONG',
        limit: info.limit,
        actual: info.length,
        message: `The ${language} ${channel} text has ${info.length} characters; at most ${info.limit} are allowed`,
      });
    }
  }
  return problems;
}
