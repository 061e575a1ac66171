import { buildVerifierBundle } from '../../src/lottery/browser/bundle.js';

describe('in-browser verifier bundle', () => {
  it('builds one self-contained script under 200 KB with no require(', async () => {
    const bundle = await buildVerifierBundle();
    expect(bundle.length).toBeGreaterThan(1000);
    expect(bundle).not.toContain('require(');
    expect(Buffer.byteLength(bundle, 'utf8')).toBeLessThan(200 * 1024);
  });

  it('is built once and then served from memory', async () => {
    const first = buildVerifierBundle();
    expect(buildVerifierBundle()).toBe(first);
    expect(await first).toBe(await buildVerifierBundle());
  });
});
