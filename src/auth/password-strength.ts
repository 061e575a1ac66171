import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { PINYIN_GIVEN_NAMES, PINYIN_PASSWORDS, PINYIN_SURNAMES } from './pinyin-passwords.js';

/** zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses and more). */
export const MIN_SCORE = 3;

/** Feedback comes back as zxcvbn's own keys, which we put into Chinese ourselves. */
const keysOnly = <G extends Record<string, string>>(group: G) => Object.fromEntries(Object.keys(group).map((key) => [key, key])) as G;

let estimator: ZxcvbnFactory | undefined;
const strength = () =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: {
      ...common.dictionary,
      ...english.dictionary,
      pinyinPasswords: PINYIN_PASSWORDS,
      pinyinSurnames: PINYIN_SURNAMES,
      pinyinGivenNames: PINYIN_GIVEN_NAMES,
    },
    graphs: common.adjacencyGraphs,
    translations: { ...english.translations, warnings: keysOnly(english.translations.warnings), suggestions: keysOnly(english.translations.suggestions) },
  }));

export type WeaknessReason =
  | 'repeated' | 'sequence' | 'keyboard' | 'date' | 'common' | 'word' | 'name' | 'personal' | 'short_uniform' | 'guessable';

const REASON_OF_WARNING: Record<string, WeaknessReason> = {
  simpleRepeat: 'repeated',
  extendedRepeat: 'repeated',
  sequences: 'sequence',
  straightRow: 'keyboard',
  keyPattern: 'keyboard',
  recentYears: 'date',
  dates: 'date',
  topTen: 'common',
  topHundred: 'common',
  common: 'common',
  similarToCommon: 'common',
  pwned: 'common',
  wordByItself: 'word',
  namesByThemselves: 'name',
  commonNames: 'name',
  userInputs: 'personal',
};

/** Fewer characters than this need at least two kinds (lower and upper case, digits, symbols). */
const LONG_ENOUGH_FOR_ONE_KIND = 16;

// Chinese characters come from an alphabet of thousands: several different ones are variety enough.
const characterKinds = (password: string) =>
  new Set(password.match(/\p{Script=Han}/gu) ?? []).size >= 4
    ? 2
    : [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[\p{P}\p{S}\p{Zs}]/u].filter((kind) => kind.test(password)).length;

/**
 * Why a password is too easy to guess, or null. zxcvbn (with pinyin dictionaries) judges the
 * guessing effort; a short password of one kind of character is refused too, as the MLPS 2.0
 * (等保 2.0) complexity rule expects.
 */
export function weakness(password: string, userInputs: string[]): WeaknessReason | null {
  const result = strength().check(password, userInputs.filter((input) => input.length >= 3));
  if (result.score < MIN_SCORE) return (result.feedback.warning && REASON_OF_WARNING[result.feedback.warning]) || 'guessable';
  if ([...password].length < LONG_ENOUGH_FOR_ONE_KIND && characterKinds(password) < 2) return 'short_uniform';
  return null;
}

/** Shown to the person choosing the password: zh-CN first, as every message of the platform. */
export const WEAKNESS_MESSAGES: Record<WeaknessReason, string> = {
  repeated: '密码太容易被猜到：含有重复的字符（如“aaa”或“abcabc”）。',
  sequence: '密码太容易被猜到：含有连续的字符（如“abc”“123”）。',
  keyboard: '密码太容易被猜到：含有键盘上相邻的按键（如“qwerty”“asdf”）。',
  date: '密码太容易被猜到：含有年份或日期（如生日）。',
  common: '密码太容易被猜到：这是常用密码或与常用密码相似（含常见拼音密码，如“woaini1314”）。',
  word: '密码太容易被猜到：单个常用单词或拼音很容易被猜中。',
  name: '密码太容易被猜到：含有常见的姓名或姓氏（含拼音）。',
  personal: '密码太容易被猜到：不要使用用户名、单位名称等与您相关的信息。',
  short_uniform: '密码太容易被猜到：不足 16 位的密码请混合使用至少两类字符（字母、数字、符号等）。',
  guessable: '密码太容易被猜到。',
};

export const STRENGTH_ADVICE = '建议用三四个不相关的词加数字或符号组成较长的密码，例如“Tea-River-Lamp-72”。';
