import { ConfigError, loadConfig } from '../../src/platform/config.js';

describe('notification sender configuration', () => {
  it('defaults to the outbox, which needs no external service', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).notify).toEqual({ senders: ['outbox'], smtpUrl: undefined, smtpFrom: undefined, smsGatewayUrl: undefined });
  });

  it('names the missing variable when a configured sender lacks its settings', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', NOTIFY_SENDERS: 'smtp', SMTP_FROM: 'a@b.cn' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ NODE_ENV: 'test', NOTIFY_SENDERS: 'outbox,sms' })).toThrow(/SMS_GATEWAY_URL/);
    expect(() => loadConfig({ NODE_ENV: 'test', NOTIFY_SENDERS: 'pigeon' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'test', NOTIFY_SENDERS: 'outbox,sms,sms', SMS_GATEWAY_URL: 'https://sms.example.cn/send' }).notify.senders).toEqual(['outbox', 'sms']);
  });
});
