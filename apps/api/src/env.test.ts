import { describe, expect, it } from 'vitest';
import { parseSettings, repoRoot } from './env';

describe('settings', () => {
  it('has working defaults for a fresh clone', () => {
    const settings = parseSettings({});
    expect(settings).toMatchObject({
      port: 3000,
      dataDir: `${repoRoot}/data`,
      target: 'postgres',
      approvalRequired: true,
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 12 * 3_600_000,
      demoMode: true,
    });
    expect(settings.databaseUrl).toBeUndefined();
  });

  it('turns demo mode (plain cookie) off in production unless asked', () => {
    expect(parseSettings({ NODE_ENV: 'production' }).demoMode).toBe(false);
    expect(parseSettings({ NODE_ENV: 'production', DEMO_MODE: 'true' }).demoMode).toBe(true);
  });

  it('parses flags, lists and numbers', () => {
    const settings = parseSettings({
      APPROVAL_REQUIRED: 'false',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      SESSION_IDLE_MINUTES: '15',
      DATABASE_URL: 'postgres://app@db:5432/campaigns',
    });
    expect(settings.approvalRequired).toBe(false);
    expect(settings.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(settings.sessionIdleMs).toBe(15 * 60_000);
    expect(settings.databaseUrl).toBe('postgres://app@db:5432/campaigns');
  });

  it('refuses bad settings at start-up, naming each one', () => {
    expect(() => parseSettings({ PORT: 'eighty', APPROVAL_REQUIRED: 'maybe' })).toThrow(
      /PORT[\s\S]*APPROVAL_REQUIRED/,
    );
    expect(() => parseSettings({ TARGET: 'oracle', ORACLE_USER: 'u' })).toThrow(
      /ORACLE_PASSWORD is required[\s\S]*ORACLE_CONNECT_STRING/,
    );
    expect(() => parseSettings({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
