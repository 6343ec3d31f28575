// Every route in every UI language at a phone's and a desktop's width: nothing wider than the window (no sideways
// scroll), and no serious or critical accessibility violation found by axe-core injected into the page.
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface SweptRoute {
  path: string;
  /** Resolves once the page shows its content (not only "Loading…"). */
  ready: (page: Page) => Promise<void>;
}

export const sweepWidths = [390, 1440] as const;
export const sweepLocales = ['en', 'ru', 'kk'] as const;

/** Elements reaching past the right edge of the window, widest first (what makes the page scroll sideways). */
async function overflow(page: Page): Promise<{ scrollWidth: number; width: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const culprits = Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length > 0)
      .filter((el) => !el.closest('.sr-only'))
      // Inside a region that scrolls on its own (a wide table), reaching past the edge scrolls only that region.
      .filter((el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const overflowX = getComputedStyle(p).overflowX;
          if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') return false;
        }
        return true;
      })
      .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
      .slice(0, 3)
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
        return `${name} "${(el.textContent ?? '').trim().slice(0, 30)}" right=${Math.round(r.right)}`;
      });
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
  });
}

async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's strict CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}) at ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
  });
}

/** Visits every route in every language at both widths; returns every problem found (empty when none). */
export async function sweepLayout(
  page: Page,
  baseUrl: string,
  routes: SweptRoute[],
  onVisited?: (page: Page, label: string) => Promise<void>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const width of sweepWidths) {
    await page.setViewportSize({ width, height: 860 });
    for (const locale of sweepLocales) {
      await page.evaluate((l) => localStorage.setItem('campaigns.locale', l), locale);
      for (const route of routes) {
        await page.goto(`${baseUrl}${route.path}`);
        await route.ready(page);
        const label = `${route.path} ${locale} ${width}px`;
        const { scrollWidth, culprits } = await overflow(page);
        if (scrollWidth > width) problems.push(`${label}: ${scrollWidth} px wide (${culprits.join('; ')})`);
        for (const problem of await axeProblems(page)) problems.push(`${label}: ${problem}`);
        await onVisited?.(page, label);
      }
    }
  }
  return problems;
}
