import { describe, expect, it } from 'vitest';
import { en } from './i18n/en';
import { ru } from './i18n/ru';
import { notificationText } from './notification-text';

const number = (n: number) => n.toLocaleString('ru-RU');

describe('notifications worded from kind and params', () => {
  const rejected = {
    kind: 'campaign.rejected',
    title: 'C000000007 was rejected',
    body: 'Укажите продукт',
    params: { code: 'C000000007', name: 'Весна', campaign_type: 'RB1', comment: 'Укажите продукт' },
  };

  it('uses the reader’s language for the title and keeps the comment as written', () => {
    expect(notificationText(ru.inbox, rejected, number)).toEqual({
      title: 'C000000007 отклонена',
      body: 'Укажите продукт',
    });
    expect(notificationText(en.inbox, rejected, number).title).toBe('C000000007 was rejected');
  });

  it('words the deployed count and the submitted campaign’s name in Russian', () => {
    const deployed = {
      kind: 'campaign.deployed',
      title: 'C000000007 is deployed',
      body: '12000 users',
      params: { code: 'C000000007', users: 12000 },
    };
    expect(notificationText(ru.inbox, deployed, number).body).toBe(`${number(12000)} пользователей`);
    const three = { ...deployed, params: { code: 'C000000007', users: 3 } };
    expect(notificationText(ru.inbox, three, number).body).toBe('3 пользователя');
    expect(notificationText(ru.inbox, { ...deployed, params: { code: 'C1', users: 21 } }, number).body).toBe(
      '21 пользователь',
    );
    expect(notificationText(en.inbox, { ...deployed, params: { code: 'C1', users: 1 } }, number).body).toBe(
      '1 user',
    );
    const submitted = { ...rejected, kind: 'campaign.submitted', body: 'Весна (RB1)' };
    expect(notificationText(ru.inbox, submitted, number)).toEqual({
      title: 'C000000007 ждёт согласования',
      body: 'Весна (RB1)',
    });
  });

  it('keeps the API’s text for a kind it does not know', () => {
    const other = { kind: 'campaign.archived', title: 'Archived', body: 'x', params: { code: 'C1' } };
    expect(notificationText(ru.inbox, other, number)).toEqual({ title: 'Archived', body: 'x' });
  });
});
