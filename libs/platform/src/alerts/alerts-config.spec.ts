import { ConfigError, loadConfig, type Env } from '../config/journeyline-config';
import { webhookSignature, verifyWebhookSignature } from '../webhooks/webhook-signature';

const loadAlertsConfig = (env: Env) => loadConfig(env).alerts;

describe('alerts configuration', () => {
  it('defaults: a 30-day window, an evaluation at most every 5 s, no webhooks, 8 tries', () => {
    expect(loadAlertsConfig({})).toEqual({
      windowDays: 30,
      intervalMs: 5000,
      webhooks: { urls: [], secret: null, maxAttempts: 8, backoffMs: 30_000, backoffMaxMs: 3_600_000, timeoutMs: 10_000 },
    });
  });

  it('reads the webhooks, their secret, tries and backoff', () => {
    const config = loadAlertsConfig({
      JOURNEYLINE_ALERT_WINDOW: '7d',
      JOURNEYLINE_WEBHOOKS: 'https://hooks.example.com/cx, http://10.0.0.5:8080/alerts',
      JOURNEYLINE_WEBHOOK_SECRET: 'a-secret-of-enough-length',
      JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS: '3',
      JOURNEYLINE_WEBHOOK_BACKOFF_MS: '100',
    });
    expect(config.windowDays).toBe(7);
    expect(config.webhooks).toMatchObject({ urls: ['https://hooks.example.com/cx', 'http://10.0.0.5:8080/alerts'], maxAttempts: 3, backoffMs: 100 });
  });

  it.each([
    [{ JOURNEYLINE_ALERT_WINDOW: '30' }, 'JOURNEYLINE_ALERT_WINDOW'],
    [{ JOURNEYLINE_WEBHOOKS: 'ftp://x.example.com', JOURNEYLINE_WEBHOOK_SECRET: 'a-secret-of-enough-length' }, 'JOURNEYLINE_WEBHOOKS'],
    [{ JOURNEYLINE_WEBHOOKS: 'https://x.example.com' }, 'JOURNEYLINE_WEBHOOK_SECRET'],
    [{ JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS: '0' }, 'JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS'],
  ])('%j is refused at start, naming %s', (env, variable) => {
    expect(() => loadAlertsConfig(env)).toThrow(expect.objectContaining({ name: ConfigError.name, variable }));
  });

  it('a signature is the HMAC-SHA256 of "<timestamp>.<body>": another body, time or secret does not verify', () => {
    const signature = webhookSignature('s3cret-s3cret-s3cret', 1764900000, '{"a":1}');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', 1764900000, '{"a":1}', signature)).toBe(true);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', 1764900001, '{"a":1}', signature)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', 1764900000, '{"a":2}', signature)).toBe(false);
    expect(verifyWebhookSignature('another-secret-000', 1764900000, '{"a":1}', signature)).toBe(false);
  });
});
