import request from 'supertest';
import { localeResources, negotiateLanguage } from '../../src/platform/i18n/index.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

function keysOf(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === 'object'
      ? keysOf(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('translations', () => {
  it('has every key in both zh-CN and en', () => {
    const zh = keysOf(localeResources['zh-CN']).sort();
    const en = keysOf(localeResources.en).sort();
    expect(en).toEqual(zh);
    expect(zh.length).toBeGreaterThan(20);
  });

  it('maps Accept-Language to our languages by preference', () => {
    expect(negotiateLanguage('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLanguage('zh-TW,en;q=0.5')).toBe('zh-CN');
    expect(negotiateLanguage('fr;q=1, en;q=0.2, zh;q=0.8')).toBe('zh-CN');
    expect(negotiateLanguage('fr')).toBeUndefined();
  });
});

describe('language switching on pages', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('serves zh-CN by default', async () => {
    const response = await request(platform.app).get('/').expect(200);
    expect(response.text).toContain('<html lang="zh-CN">');
    expect(response.text).toContain('<h1>网上中介服务超市</h1>');
  });

  it('switches to English with ?lang=en and remembers it in a cookie', async () => {
    const agent = request.agent(platform.app);
    const first = await agent.get('/?lang=en').expect(200);
    expect(first.text).toContain('<html lang="en">');
    expect(first.text).toContain('Online Intermediary Service Marketplace</h1>');
    expect(first.headers['set-cookie']?.[0]).toMatch(/^lang=en;.*HttpOnly/);
    const second = await agent.get('/').expect(200);
    expect(second.text).toContain('<html lang="en">');
  });

  it('follows Accept-Language when there is no choice yet', async () => {
    const response = await request(platform.app).get('/').set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(response.text).toContain('<html lang="en">');
  });

  it('has the accessible skeleton: skip link, landmarks, one h1', async () => {
    const response = await request(platform.app).get('/').expect(200);
    expect(response.text).toContain('class="skip-link" href="#main"');
    expect(response.text).toMatch(/<header[\s>]/);
    expect(response.text).toMatch(/<nav aria-label=/);
    expect(response.text).toContain('<main id="main"');
    expect(response.text).toMatch(/<footer[\s>]/);
    expect(response.text.match(/<h1>/g)).toHaveLength(1);
    expect(response.text).toContain('name="viewport"');
  });
});
