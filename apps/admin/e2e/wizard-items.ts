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
}
