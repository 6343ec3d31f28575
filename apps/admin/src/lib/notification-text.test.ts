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

  it('says what each deployed count counts: the target group and the control group apart', () => {
    const deployed = {
      kind: 'campaign.deployed',
      title: 'C1 is deployed',
      body: '',
      params: { code: 'C1', users: 900, target: 900, control: 100 },
    };
    expect(notificationText(en.inbox, deployed, number).body).toBe(
      `Target group: ${number(900)}; control group: ${number(100)}`,
    );
    expect(
      notificationText(ru.inbox, { ...deployed, params: { code: 'C1', target: 5, control: 0 } }, number).body,
    ).toBe('Целевая группа: 5; без контрольной группы');
  });

  it('words a deletion with who did it, what it removed and why', () => {
    const deleted = {
      kind: 'campaign.deleted',
      title: 'C1 was deleted by approver',
      body: '',
      params: { code: 'C1', by: 'approver', rows_removed: 1201, reason: 'ended early' },
    };
    expect(notificationText(en.inbox, deleted, number)).toEqual({
      title: 'C1 was deleted by approver',
      body: `${number(1201)} rows removed from the target tables. ended early`,
    });
    expect(
      notificationText(ru.inbox, { ...deleted, params: { code: 'C1', by: 'approver' } }, number),
    ).toEqual({
      title: 'C1 удалена (approver)',
      body: '',
    });
  });

  it('says how a settled approval request ended and who settled it', () => {
    const request = {
      kind: 'campaign.submitted',
      title: 'C1 waits for approval',
      body: '',
      params: { code: 'C1', resolution: 'rejected', resolved_by: 'admin' },
    };
    expect(notificationText(en.inbox, request, number).settled).toBe('Rejected by admin');
    expect(notificationText(ru.inbox, request, number).settled).toBe('Отклонена: admin');
    const open = { ...request, params: { code: 'C1' } };
    expect(notificationText(en.inbox, open, number).settled).toBeUndefined();
  });

  it('keeps the API’s text for a kind it does not know', () => {
    const other = { kind: 'campaign.archived', title: 'Archived', body: 'x', params: { code: 'C1' } };
    expect(notificationText(ru.inbox, other, number)).toEqual({ title: 'Archived', body: 'x' });
  });
});
