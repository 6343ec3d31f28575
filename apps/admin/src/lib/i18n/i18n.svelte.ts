import { en, type Messages } from './en';
import { ru } from './ru';

export type Locale = 'en' | 'ru';
const catalogs: Record<Locale, Messages> = { en, ru };
const storageKey = 'campaigns.locale';

function initialLocale(): Locale {
  if (typeof localStorage === 'undefined') return 'en';
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The UI language; `t` is the catalog of the current one, so markup reads `i18n.t.list.search`. */
class I18n {
  locale = $state<Locale>(initialLocale());
  t = $derived(catalogs[this.locale]);

  set(locale: Locale): void {
    this.locale = locale;
    localStorage.setItem(storageKey, locale);
    document.documentElement.lang = locale;
  }

  number(n: number): string {
    return n.toLocaleString(this.locale === 'ru' ? 'ru-RU' : 'en-GB');
  }

  /** A file size in B, kB or MB (binary multiples, as file managers show them). */
  bytes(n: number | null): string {
    if (n === null) return '—';
    const [value, unit] =
      n >= 1024 * 1024 ? [n / 1024 / 1024, 'megabyte'] : n >= 1024 ? [n / 1024, 'kilobyte'] : [n, 'byte'];
    return new Intl.NumberFormat(this.locale === 'ru' ? 'ru-RU' : 'en-GB', {
      style: 'unit',
      unit,
      maximumFractionDigits: 1,
    }).format(value);
  }

  dateTime(iso: string | null | undefined): string {
    if (!iso) return '—';
    return new Date(iso).toLocaleString(this.locale === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
  }
}

export const i18n = new I18n();
