import type { MismatchCheck } from '../algorithm/index.js';

export type VerifyLanguage = 'zh-CN' | 'en';

export interface VerifyMessages {
  consistent: (candidates: number, winners: number) => string;
  weakSource: string;
  webCryptoDisagrees: string;
  noRecord: string;
  notJson: string;
  mismatchTitle: string;
  atRank: (rank: number) => string;
  expectedActual: (expected: string, actual: string) => string;
  checks: Record<MismatchCheck, string>;
}

export const VERIFY_MESSAGES: Record<VerifyLanguage, VerifyMessages> = {
  'zh-CN': {
    consistent: (candidates, winners) =>
      `✓ 摇号记录一致：已在您的浏览器中重新摇号，结果顺序与公示完全相同（共 ${candidates} 家候选，中选 ${winners} 家）。`,
    weakSource: '注意：本次摇号未使用外部随机源，公正性仅依赖事先公布的种子承诺。',
    webCryptoDisagrees: '浏览器 Web Crypto 计算的 SHA-256 与校验程序不一致，请更换浏览器后重试。',
    noRecord: '本页面没有可校验的摇号记录。',
    notJson: '摇号记录不是有效的 JSON。',
    mismatchTitle: '✗ 校验未通过：',
    atRank: (rank) => `（第 ${rank} 位）`,
    expectedActual: (expected, actual) => `重新计算得到 ${expected}，记录为 ${actual}。`,
    checks: {
      format: '记录格式不正确',
      commitment: '种子承诺不一致',
      candidatesHash: '候选名单哈希不一致',
      entropy: '报名随机串不合规',
      seed: '随机种子不一致',
      order: '摇号顺序不一致',
      winners: '中选名单不一致',
    },
  },
  en: {
    consistent: (candidates, winners) =>
      `✓ Record consistent: the draw was re-run in your browser and gives exactly the published order (${candidates} candidates, ${winners} winners).`,
    weakSource: 'Note: this draw used no external randomness source; its fairness rests on the seed commitment published in advance.',
    webCryptoDisagrees: "Your browser's Web Crypto SHA-256 disagrees with the verifier; please try another browser.",
    noRecord: 'This page has no lottery record to verify.',
    notJson: 'The lottery record is not valid JSON.',
    mismatchTitle: '✗ Verification failed: ',
    atRank: (rank) => ` (rank ${rank})`,
    expectedActual: (expected, actual) => `Re-running gives ${expected}; the record says ${actual}.`,
    checks: {
      format: 'the record is malformed',
      commitment: 'the seed commitment does not match',
      candidatesHash: 'the candidate list hash does not match',
      entropy: 'a registrant entropy value is invalid',
      seed: 'the seed does not match',
      order: 'the draw order does not match',
      winners: 'the winner list does not match',
    },
  },
};

/** zh, zh-Hans, zh-CN … read Chinese; anything else reads English. */
export function pickLanguage(documentLang: string | null | undefined): VerifyLanguage {
  return (documentLang ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
