import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

// Lucia's session guide: 20 random bytes = 160 bits of entropy, sent base32, stored only as its SHA-256.

/** A fresh random token for a session or an API token (160 bits). */
export function generateSecretToken(prefix = ''): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return prefix + encodeBase32LowerCaseNoPadding(bytes);
}

/** What the store keeps instead of the token: a leaked database cannot be replayed as a cookie. */
export function hashSecretToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
