import { webcrypto } from 'node:crypto';
import { describeOutcome, verifyRecordText } from '../../src/lottery/browser/verify-report.js';
import { pickLanguage, VERIFY_MESSAGES } from '../../src/lottery/browser/messages.js';
import { recordScriptJson } from '../../src/lottery/browser/embed-record.js';
import { webCryptoAgrees } from '../../src/lottery/browser/web-crypto-check.js';
import { clone, drandRecord, noSourceRecord, rfc3797ExampleRecord } from './support/records.js';

function keysOf(value: object): string[] {
  return Object.entries(value)
    .flatMap(([key, child]) => (child !== null && typeof child === 'object' ? keysOf(child).map((sub) => `${key}.${sub}`) : [key]))
    .sort();
}

describe('verify page report', () => {
  it('has every message in both zh-CN and en', () => {
    expect(keysOf(VERIFY_MESSAGES['zh-CN'])).toEqual(keysOf(VERIFY_MESSAGES.en));
  });

  it('reads Chinese for any zh language tag and English otherwise', () => {
    expect(['zh-CN', 'zh', 'zh-Hans', 'ZH-cn'].map(pickLanguage)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN']);
    expect(['en', 'en-GB', '', null, undefined, 'fr'].map(pickLanguage)).toEqual(['en', 'en', 'en', 'en', 'en', 'en']);
  });

  it('shows a tick with the candidate and winner counts for an honest record', () => {
    const record = drandRecord();
    const outcome = verifyRecordText(recordScriptJson(record));
    expect(describeOutcome(outcome, 'zh-CN')).toEqual({ status: 'ok', text: expect.stringMatching(/^✓ .*共 6 家候选，中选 2 家/) });
    expect(describeOutcome(outcome, 'en')).toEqual({ status: 'ok', text: expect.stringMatching(/^✓ .*6 candidates, 2 winners/) });
  });

  it('warns that a draw without an external source is weaker', () => {
    const text = describeOutcome(verifyRecordText(JSON.stringify(noSourceRecord())), 'en').text;
    expect(text).toContain('no external randomness source');
  });

  it('names the failed check and the position for a tampered record', () => {
    const record = clone(drandRecord());
    [record.order[2], record.order[3]] = [record.order[3]!, record.order[2]!];
    const outcome = verifyRecordText(JSON.stringify(record));
    expect(describeOutcome(outcome, 'zh-CN')).toMatchObject({ status: 'mismatch', text: expect.stringContaining('摇号顺序不一致（第 3 位）') });
    expect(describeOutcome(outcome, 'en')).toMatchObject({ status: 'mismatch', text: expect.stringContaining('the draw order does not match (rank 3)') });
  });

  it('reports a missing or unreadable record as a mismatch', () => {
    expect(describeOutcome(verifyRecordText(null), 'en')).toEqual({ status: 'mismatch', text: VERIFY_MESSAGES.en.noRecord });
    expect(describeOutcome(verifyRecordText('{oops'), 'zh-CN')).toEqual({ status: 'mismatch', text: VERIFY_MESSAGES['zh-CN'].notJson });
  });

  it('keeps "</script>" in a name from closing the embedding script element', () => {
    const record = rfc3797ExampleRecord();
    record.candidates[0]!.name = '</script><script>alert(1)</script>';
    const json = recordScriptJson(record);
    expect(json).not.toMatch(/<\/script/i);
    expect(JSON.parse(json)).toEqual(record);
  });

  it("agrees with the platform's Web Crypto SHA-256", async () => {
    await expect(webCryptoAgrees(webcrypto.subtle, drandRecord())).resolves.toBe(true);
    await expect(webCryptoAgrees(webcrypto.subtle, rfc3797ExampleRecord())).resolves.toBe(true);
  });
});
