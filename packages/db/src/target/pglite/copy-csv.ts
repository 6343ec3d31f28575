// CSV blobs for COPY ... FROM '/dev/blob': PGlite loads ~3x faster this way than with multi-row INSERTs
// (TOOLCHAIN.md). IINs are digits and codes are checked, so no field needs quoting.
import { formatIin } from '@campaigns/core';

const SAFE = /^[A-Za-z0-9_-]+$/;

export function userRowsCsv(
  campaignCode: string,
  iins: ArrayLike<number>,
  trailing: readonly (string | null)[] = [],
): string {
  if (!SAFE.test(campaignCode))
    throw new RangeError(`unexpected characters in campaign code ${campaignCode}`);
  // An unquoted empty field is NULL in PostgreSQL's CSV format.
  const suffix = trailing.map((v) => `,${v ?? ''}`).join('');
  const head = `${campaignCode},`;
  const tail = `${suffix}\n`;
  const parts: string[] = new Array(iins.length);
  for (let i = 0; i < iins.length; i++) parts[i] = head + formatIin(iins[i]!) + tail;
  return parts.join('');
}
