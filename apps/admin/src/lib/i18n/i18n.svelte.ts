import { en, type Messages } from './en';
import { kk } from './kk';
import { kkDate, kkDateTime, kkRelative, kkTime } from './kk-format';
import { ru } from './ru';

export const locales = ['en', 'ru', 'kk'] as const;
export type Locale = (typeof locales)[number];
const catalogs: Record<Locale, Messages> = { en, ru, kk };
/**
 * The Intl locale each UI language formats numbers with. Kazakh writes numbers as Russian does (a space between
 * thousands, a decimal comma), and browsers with a reduced ICU have no kk data: ru-KZ formats them right
 * everywhere. Kazakh dates and times come from kk-format.ts for the same reason.
 */
const intlLocale: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU', kk: 'ru-KZ' };
const storageKey = 'campaigns.locale';

const isLocale = (value: string | null): value is Locale => locales.includes(value as Locale);

function initialLocale(): Locale {
  if (typeof localStorage === 'undefined') return 'en';
  const saved = localStorage.getItem(storageKey);
  if (isLocale(saved)) return saved;
  const browser = navigator.language.toLowerCase().slice(0, 2);
  return isLocale(browser) ? browser : 'en';
}

/** The UI language; `t` is the catalog of the current one, so markup reads `i18n.t.list.search`. */
class I18n {
  locale = $state<Locale>(initialLocale());
  t = $derived(catalogs[this.locale]);
  intl = $derived(intlLocale[this.locale]);

  set(locale: Locale): void {
    this.locale = locale;
    localStorage.setItem(storageKey, locale);
    document.documentElement.lang = locale;
  }

  number(n: number): string {
    return n.toLocaleString(this.intl);
  }

  percent(share: number): string {
    return new Intl.NumberFormat(this.intl, { style: 'percent', maximumFractionDigits: 1 }).format(share);
  }

  /** A file size in B, kB or MB (binary multiples, as file managers show them). */
  bytes(n: number | null): string {
    if (n === null) return '—';
    const [value, unit] =
      n >= 1024 * 1024 ? [n / 1024 / 1024, 'megabyte'] : n >= 1024 ? [n / 1024, 'kilobyte'] : [n, 'byte'];
    return new Intl.NumberFormat(this.intl, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
  }

  dateTime(iso: string | null | undefined): string {
    if (!iso) return '—';
    if (this.locale === 'kk') return kkDateTime(new Date(iso));
    return new Date(iso).toLocaleString(this.intl, { dateStyle: 'medium', timeStyle: 'short' });
  }

  time(iso: string): string {
    if (this.locale === 'kk') return kkTime(new Date(iso));
    return new Date(iso).toLocaleTimeString(this.intl, { timeStyle: 'short' });
  }

  /** A day (YYYY-MM-DD, as the metadata holds it) in the UI language's format. */
  date(day: string | null | undefined): string {
    if (!day) return '—';
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00`) : null;
    if (!parsed || Number.isNaN(parsed.getTime())) return day;
    if (this.locale === 'kk') return kkDate(parsed);
    return parsed.toLocaleDateString(this.intl, { dateStyle: 'medium' });
  }

  /** "2 hours ago", "yesterday", in the UI language. */
  relativeTime(iso: string, now = Date.now()): string {
    const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
    const format = new Intl.RelativeTimeFormat(this.intl, { numeric: 'auto' });
    const steps: Array<['day' | 'hour' | 'minute', number]> = [
      ['day', 86_400],
      ['hour', 3600],
      ['minute', 60],
    ];
    const [unit, size] = steps.find(([, size]) => Math.abs(seconds) >= size) ?? ['second', 1];
    const value = Math.round(seconds / size);
    if (this.locale === 'kk') return kkRelative(value, unit as 'day' | 'hour' | 'minute' | 'second');
    return format.format(value, unit);
  }
}

export const i18n = new I18n();
