import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, conflict, fieldErrorsFromZod, fileTooLarge } from '../../src/platform/errors.js';
import { errorText, fieldErrorText, messageKey } from '../../src/platform/i18n/error-text.js';
import { localeResources, translatorFor } from '../../src/platform/i18n/index.js';
import { USCC_MESSAGES } from '../../src/auth/uscc.js';
import { BAD_TEXT_MESSAGE } from '../../src/platform/text.js';

const SOURCE_ROOT = path.resolve('src');
/** Messages of the lottery's offline verifier and of start-up configuration are for operators, not page readers. */
const OPERATOR_ONLY = /lottery\/algorithm|lottery\/browser|platform\/config|platform\/secrets/;

function sources(): { file: string; text: string }[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts')) files.push(full);
    }
  };
  walk(SOURCE_ROOT);
  return files.map((file) => ({ file: path.relative(SOURCE_ROOT, file), text: readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '') }));
}

const tree = (language: 'zh-CN' | 'en') => (localeResources[language] as { errors: Record<string, Record<string, string>> }).errors;

/** Every error code the code can raise: `badRequest('x'`, `conflict('x'`, `new AppError(409, 'x'`. */
function raisedCodes(): Set<string> {
  const codes = new Set(['forbidden', 'unauthorized', 'not_found', 'too_many_requests', 'bad_request']);
  for (const { text } of sources()) {
    for (const match of text.matchAll(/(?:badRequest|conflict|AppError|LotteryInputError)\(\s*(?:\d+\s*,\s*)?'([a-z_]+)'/g)) codes.add(match[1]!);
  }
  return codes;
}

/** Every literal English message a field error or a schema refinement carries. */
function fieldMessages(): { messages: Set<string>; templated: string[] } {
  const messages = new Set([...Object.values(USCC_MESSAGES), BAD_TEXT_MESSAGE]);
  const templated: string[] = [];
  for (const { file, text } of sources()) {
    if (OPERATOR_ONLY.test(file)) continue;
    for (const match of text.matchAll(/\{\s*path:\s*[^,{}]+,\s*message:\s*'([^']+)'/g)) messages.add(match[1]!);
    for (const match of text.matchAll(/\.refine\([^'`]*?,\s*'([^']+)'\s*\)/g)) messages.add(match[1]!);
    for (const match of text.matchAll(/addIssue\(\{[^}]*message:\s*'([^']+)'/g)) messages.add(match[1]!);
    for (const match of text.matchAll(/\{\s*path:\s*[^,{}]+,\s*message:\s*`([^`]+)`/g)) templated.push(`${file}: ${match[1]}`);
  }
  return { messages, templated };
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();

describe('errors in the reader’s language', () => {
  it('has a zh-CN and an English text for every error code the code raises', () => {
    const missing = [...raisedCodes()].flatMap((code) => (['zh-CN', 'en'] as const).filter((language) => !tree(language).codes![code]).map((language) => `${language}: ${code}`));
    expect(missing).toEqual([]);
  });

  it('has a text for every field message, and no field message builds its figures into English', () => {
    const { messages, templated } = fieldMessages();
    expect(templated).toEqual([]);
    expect(messages.size).toBeGreaterThan(20);
    const missing = [...messages].flatMap((message) => (['zh-CN', 'en'] as const).filter((language) => !tree(language).messages![messageKey(message)]).map((language) => `${language}: ${message}`));
    expect(missing).toEqual([]);
  });

  it('names the same figures in both languages', () => {
    for (const group of ['codes', 'messages', 'validation'] as const) {
      for (const [key, zh] of Object.entries(tree('zh-CN')[group]!)) {
        expect([group, key, placeholders(zh)]).toEqual([group, key, placeholders(tree('en')[group]![key]!)]);
      }
    }
  });

  it('shows amounts in yuan and instants in Beijing time, never fen or ISO', () => {
    const zh = translatorFor('zh-CN');
    const error = conflict('bid_too_high', 'A bid must be at most 2910000 fen').with({ maxFen: 2_910_000, minStepFen: 30_000 });
    expect(errorText(zh, error)).toBe('出价不得高于 ¥29,100.00（当前报价减最低降价幅度 ¥300.00）');
    const drawn = conflict('lottery_already_drawn', 'x').with({ drawnAt: new Date('2026-12-11T09:00:00Z') });
    expect(errorText(zh, drawn)).toBe('本次摇号已于 2026年12月11日 17:00 完成，摇号不会重复进行');
    expect(errorText(translatorFor('en'), drawn)).toBe('This lottery was drawn on 11 Dec 2026, 17:00; a draw is never repeated');
    expect(errorText(zh, fileTooLarge(10 * 1024 * 1024))).toBe('文件过大，单个文件不得超过 10 MB');
    expect(errorText(zh, conflict('not_cancellable', 'x').with({ status: 'publicity' }))).toBe("项目当前为“中选公示”，不能取消");
  });

  it('says a schema issue in Chinese with its figures', () => {
    const zh = translatorFor('zh-CN');
    const result = z.object({ reason: z.string().min(4), days: z.number().max(30), picks: z.array(z.number()).min(1), kind: z.enum(['a', 'b']) }).safeParse({ reason: 'ab', days: 31, picks: [], kind: 'c' });
    const texts = fieldErrorsFromZod(result.error!).map((error) => fieldErrorText(zh, error));
    expect(texts).toEqual(['至少 4 个字', '不得大于 30', '至少选择 1 项', '请从选项中选择']);
    expect(fieldErrorText(zh, { path: 'x', message: 'is above the upper limit' })).toBe('高于最高限价');
    expect(fieldErrorText(zh, { path: 'x', message: 'something nobody wrote down' })).toBe('填写有误');
  });

  it('falls back by status, never to the English message, for a code without a text', () => {
    const zh = translatorFor('zh-CN');
    expect(errorText(zh, new AppError(409, 'no_such_code_anywhere', 'English detail'))).toBe('请求无法处理，请检查后重试');
    expect(errorText(zh, new AppError(500, 'no_such_code_anywhere', 'English detail'))).toBe('系统出现错误，请稍后再试');
  });
});
