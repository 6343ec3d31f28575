// The wizard's own browser steps (issue 12 items 6, 9 and 13), run by admin.e2e.ts on the marketer's page with
// the same server and demo data (20,000 clients). Kept in their own file so they change apart from the rest.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export interface WizardSteps {
  page: Page;
  baseUrl: string;
  step: (message: string) => void;
  shot: (page: Page, name: string) => Promise<void>;
}

const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

/** The funnel's text once it shows every word in `wanted`. */
async function funnelWith(page: Page, wanted: string[]): Promise<string> {
  await page.waitForFunction((words) => {
    const text = document.querySelector('[data-testid="funnel"]')?.textContent ?? '';
    return words.every((w) => text.includes(w));
  }, wanted);
  return (await page.getByTestId('funnel').textContent()) ?? '';
}

export async function wizardItems({ page: m, baseUrl, step, shot }: WizardSteps): Promise<void> {
  step('all clients: the client base and its size before any filter, then the five filters narrow it');
  await m.goto(`${baseUrl}/campaigns/new`);
  await m.getByRole('tab', { name: 'All clients' }).click();
  const size = m.getByTestId('all-clients-size');
  await m.waitForFunction(() =>
    /\d/.test(document.querySelector('[data-testid="all-clients-size"] strong')?.textContent ?? ''),
  );
  assert.match((await size.textContent()) ?? '', /All clients\s*clients\s*:\s*20,000 clients/);
  await m.getByRole('button', { name: 'Use all clients' }).click();
  assert.equal(digits(await m.getByTestId('accepted-count').textContent()), '20000');
  await shot(m, '20-audience-all-clients');
  await m.getByRole('button', { name: 'Next' }).click();
  const start = await funnelWith(m, ['All clients', 'Blacklists']);
  assert.match(start.replace(/,/g, ''), /All clients\s*20000/);
  // The seed's query builder example: MAU iOS clients holding a credit card, minus the blacklists.
  await m.getByLabel(/Monthly active users only/).check();
  await m.getByLabel('iOS', { exact: true }).check();
  await m.getByLabel('Кредитная карта').check();
  const narrowed = await funnelWith(m, ['MAU', 'Devices', 'Products', 'Final']);
  const final = Number(digits(/Final\s*([\d,]+)/.exec(narrowed)?.[1] ?? ''));
  assert.ok(final > 0 && final < 20_000, `the filters narrow the base: ${narrowed}`);
  await shot(m, '21-all-clients-filtered');

  step('datasets are named for people in the UI language, the technical name beside');
  const staff = m.getByRole('checkbox', { name: /BL_No_worker/ });
  assert.match(
    (await staff.evaluate((el) => el.closest('label')?.textContent)) ?? '',
    /Bank employees\s*BL_No_worker/,
  );
  await m.getByLabel('Language').selectOption('kk');
  await m.getByText('Банк қызметкерлері', { exact: true }).waitFor();
  assert.match(
    (await m
      .getByRole('checkbox', { name: /BL_No_worker/ })
      .evaluate((el) => el.closest('label')?.textContent)) ?? '',
    /Банк қызметкерлері\s*BL_No_worker/,
  );
  await m.getByText('Құрылғылар').first().waitFor();
  await shot(m, '22-filters-dataset-labels-kk');
  await m.getByLabel('Тіл').selectOption('en');
  await m.getByRole('button', { name: 'Discard draft' }).click();
  await m.getByRole('tab', { name: 'Paste IINs' }).waitFor();

  step(
    'limits and refusals in the UI language: the form names the field, the server refusal is listed on the page',
  );
  // A draft kept on this device since yesterday: its upload (kept 6 hours on the server) is gone.
  const draft = {
    step: 2,
    audience: {
      source: 'file',
      label: 'yesterday.csv',
      column: 'iin',
      total: 3,
      accepted: 3,
      duplicates: 0,
      rejected: [],
      rejectedCount: 0,
      warningCount: 0,
    },
    iins: null,
    uploadId: '00000000-0000-4000-8000-000000000000',
    filters: {},
    campaignType: 'RB1',
    metadata: {
      campaign_name: 'Вчерашний черновик',
      stream: 'market',
      channel: 'SMS',
      campaign_text: 'Кэшбэк 5% на покупки.',
      campaign_text_kz: 'Сатып алуларға 5% кэшбэк.',
      date_start: '2030-03-01',
      date_end: '2030-03-31',
      out_date: '2030-03-02',
      camp_cnt: '300',
    },
    controlPercent: 0,
    deployAt: '',
    code: null,
    savedAt: new Date().toISOString(),
  };
  await m.evaluate((snapshot) => {
    localStorage.setItem('campaigns.wizard.marketer', JSON.stringify(snapshot));
    localStorage.setItem('campaigns.locale', 'ru');
  }, draft);
  await m.goto(`${baseUrl}/campaigns/new`);

  // Item 12: stream, sub-stream, target action and kind offer the values used before (a native datalist).
  for (const key of ['stream', 'sub_stream', 'target_action', 'campaign_type']) {
    const list = await m.locator(`input[name="${key}"]`).getAttribute('list');
    assert.equal(list, `${key}-suggestions`, `${key} has its suggestions`);
  }
  // The campaigns made earlier in this walk were all in the stream "market".
  await m.waitForFunction(() =>
    Array.from(document.querySelectorAll('#stream-suggestions option')).some(
      (o) => (o as HTMLOptionElement).value === 'market',
    ),
  );
  const streamInput = m.locator('input[name="stream"]');
  assert.equal(
    await streamInput.evaluate((el) => (el as HTMLInputElement).list?.id ?? null),
    'stream-suggestions',
    'the browser ties the stream input to its list',
  );

  const control = m.getByLabel('Доля контрольной группы (%)');
  await control.fill('150');
  await control.blur();
  await m.getByText('Доля контрольной группы (%): не больше 90').waitFor();
  await control.fill('10');
  await m.getByRole('button', { name: 'Далее' }).click();
  await m.getByRole('button', { name: 'Сохранить черновик' }).click();
  const refused = m.getByTestId('save-refused');
  await refused.waitFor();
  const text = (await refused.textContent()) ?? '';
  assert.match(text, /Не удалось сохранить/);
  assert.match(text, /Загруженного файла больше нет на сервере/);
  assert.doesNotMatch(text, /[A-Za-z]{3,}/, `only Russian on the page: ${text}`);
  await shot(m, '23-server-refusal-russian');
  await m.evaluate(() => localStorage.setItem('campaigns.locale', 'en'));
  await m.goto(`${baseUrl}/campaigns/new`);
  await m.getByRole('button', { name: 'Discard draft' }).click();
  await m.getByRole('tab', { name: 'Paste IINs' }).waitFor();
}
