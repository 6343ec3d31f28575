import { en, type Messages } from './en';
import { ru } from './ru';

export const locales = ['en', 'ru'] as const;
export type Locale = (typeof locales)[number];
const catalogs: Record<Locale, Messages> = { en, ru };
/** The Intl locale each UI language formats numbers, dates and times with. */
const intlLocale: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU' };
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
    return new Date(iso).toLocaleString(this.intl, { dateStyle: 'medium', timeStyle: 'short' });
  }

  time(iso: string): string {
    return new Date(iso).toLocaleTimeString(this.intl, { timeStyle: 'short' });
  }

  /** A day (YYYY-MM-DD, as the metadata holds it) in the UI language's format. */
  date(day: string | null | undefined): string {
    if (!day) return '—';
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00`) : null;
    return parsed && !Number.isNaN(parsed.getTime())
      ? parsed.toLocaleDateString(this.intl, { dateStyle: 'medium' })
      : day;
  }

  /** "2 hours ago", "yesterday", in the UI language. */
  relativeTime(iso: string, now = Date.now()): string {
    const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
    const format = new Intl.RelativeTimeFormat(this.intl, { numeric: 'auto' });
    const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
      ['day', 86_400],
      ['hour', 3600],
      ['minute', 60],
    ];
    for (const [unit, size] of steps) {
      if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
    }
    return format.format(seconds, 'second');
  }
}

export const i18n = new I18n();
