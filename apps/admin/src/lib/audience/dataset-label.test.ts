import { describe, expect, it } from 'vitest';
import { datasetLabel, datasetTitle } from './dataset-label';

const staff = {
  name: 'BL_No_worker',
  label: { en: 'Bank employees', ru: 'Сотрудники банка', kk: 'Банк қызметкерлері' },
};

describe('dataset names for people', () => {
  it('names a dataset in the UI language, with its technical name beside it', () => {
    expect(datasetLabel(staff, 'kk')).toBe('Банк қызметкерлері');
    expect(datasetTitle(staff, 'ru')).toBe('Сотрудники банка (BL_No_worker)');
  });

  it('shows the technical name alone when the registry has no label', () => {
    expect(datasetLabel({ label: null }, 'en')).toBeNull();
    expect(datasetTitle({ name: 'mau', label: null }, 'en')).toBe('mau');
  });
});
