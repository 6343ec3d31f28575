// Kazakh dates, times and relative times, written out here: browsers built with a reduced ICU (Debian's chromium
// among them) claim kk-KZ but format it with the root locale ("2030 M03 1", "-2 h"). The output follows CLDR's
// Kazakh patterns (kk-format.test.ts compares it with Node's full ICU). Numbers use the same conventions as
// ru-RU (a space between thousands, a decimal comma), which those browsers do carry.

const months = [
  'қаңтар',
  'ақпан',
  'наурыз',
  'сәуір',
  'мамыр',
  'маусым',
  'шілде',
  'тамыз',
  'қыркүйек',
  'қазан',
  'қараша',
  'желтоқсан',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** "2030 ж. 1 наурыз" (CLDR kk, day numeric, month long, year numeric). */
export function kkDate(date: Date): string {
  return `${date.getFullYear()} ж. ${date.getDate()} ${months[date.getMonth()]}`;
}

/** "09:31" (CLDR kk, 24-hour). */
export function kkTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "2030 ж. 1 наурыз, 09:31". */
export function kkDateTime(date: Date): string {
  return `${kkDate(date)}, ${kkTime(date)}`;
}

const units: Record<'day' | 'hour' | 'minute' | 'second', string> = {
  day: 'күн',
  hour: 'сағат',
  minute: 'минут',
  second: 'секунд',
};

/** "2 сағат бұрын", "3 күннен кейін" (CLDR kk relative time); `value` negative for the past. */
export function kkRelative(value: number, unit: keyof typeof units): string {
  const n = Math.abs(value);
  if (value <= 0) return `${n} ${units[unit]} бұрын`;
  // The future takes the unit in the ablative case, as CLDR writes each one.
  const ablative: Record<keyof typeof units, string> = {
    day: 'күннен',
    hour: 'сағаттан',
    minute: 'минуттан',
    second: 'секундтан',
  };
  return `${n} ${ablative[unit]} кейін`;
}
