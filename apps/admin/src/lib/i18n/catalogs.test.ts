import { describe, expect, it } from 'vitest';
import { en, type Messages } from './en';
import { kk } from './kk';
import { ru } from './ru';

/** Every key path of a catalog, with the kind of value (text, function, list). */
function shape(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}:text`];
  if (typeof value === 'function') return [`${prefix}:fn${value.length}`];
  if (Array.isArray(value)) return [`${prefix}:list${value.length}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, `${prefix}.${k}`));
}

/** Every text a catalog can show, functions called with placeholder arguments (digits, so they are not words). */
function texts(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value === 'function') {
    const args = Array.from({ length: value.length }, () => 7);
    return [[prefix, String((value as (...a: number[]) => unknown)(...args))]];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${prefix}[${i}]`));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => texts(v, `${prefix}.${k}`));
}

// Names a Russian or Kazakh bank UI keeps in Latin letters: channels, formats, codes, the seed's table names.
const technical =
  /\b(SMS|Push|push|pop-up|POP-UP|MAU|API|CSV|XLSX|JSON|Excel|parquet|RB1|RB3|RU|KZ|UCS-2|GSM-7|camp_cnt|Off-limit)\b|\b[a-z0-9]+(_[a-z0-9]+)+\b/g;

const translations: Array<[string, Messages]> = [
  ['ru', ru],
  ['kk', kk],
];

describe('message catalogs', () => {
  it.each(translations)(
    '%s has exactly the English keys, with the same parameters and list lengths',
    (_, c) => {
      expect(shape(c).sort()).toEqual(shape(en).sort());
    },
  );

  it.each(translations)('%s shows no English: no Latin word left beside the technical names', (_, c) => {
    const english = texts(c)
      .map(([key, text]) => [key, text.replace(technical, '')] as const)
      .filter(([, text]) => /[A-Za-z]{2,}/.test(text));
    expect(english).toEqual([]);
  });

  it('has no empty text in any language', () => {
    for (const catalog of [en, ru, kk]) {
      const all = texts(catalog);
      expect(all.length).toBeGreaterThan(100);
      expect(all.filter(([, text]) => text.trim() === '')).toEqual([]);
    }
  });
});
