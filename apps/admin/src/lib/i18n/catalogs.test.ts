import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';

/** Every key path of a catalog, with the kind of value (text, function, list). */
function shape(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}:text`];
  if (typeof value === 'function') return [`${prefix}:fn${value.length}`];
  if (Array.isArray(value)) return [`${prefix}:list${value.length}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, `${prefix}.${k}`));
}

describe('message catalogs', () => {
  it('Russian has exactly the English keys, with the same parameters and list lengths', () => {
    expect(shape(ru).sort()).toEqual(shape(en).sort());
  });

  it('has no empty text in either language', () => {
    for (const catalog of [en, ru]) {
      const texts = shape(catalog).filter((s) => s.endsWith(':text'));
      expect(texts.length).toBeGreaterThan(100);
    }
    const empty = (c: unknown): boolean =>
      typeof c === 'string'
        ? c.trim() === ''
        : typeof c === 'object' && c !== null && Object.values(c).some(empty);
    expect(empty(en)).toBe(false);
    expect(empty(ru)).toBe(false);
  });
});
