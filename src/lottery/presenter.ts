import Handlebars from 'handlebars';
import { recordScriptJson } from './browser/embed-record.js';
import type { LotteryPublication, LotterySummary } from './service.js';

export const VERIFIER_SCRIPT = '/assets/lottery-verify.js';
export const LOTTERY_STYLESHEET = '/assets/css/lottery.css';

interface ResultRow {
  rank: number;
  uscc: string;
  name: string;
  weight: number;
  entropy: string;
  isWinner: boolean;
  alternateRank: number | null;
}

/** i18n keys for the enumerations, so templates never assemble a key. */
function messageKeys(status: string, algorithm: string, externalKind: string) {
  return {
    status: `lottery.status.${status}`,
    algorithm: `lottery.algorithm.${algorithm}`,
    externalKind: `lottery.externalKind.${externalKind}`,
  };
}

const isWebAddress = (value: string | undefined) => value !== undefined && /^https?:\/\/\S+$/i.test(value);

/** Everything the page template shows; the template only lays it out. */
export function lotteryPageData(lottery: LotteryPublication) {
  const { record } = lottery;
  const names = new Map((record?.candidates ?? []).map((candidate) => [candidate.uscc, candidate]));
  const entropy = record?.algorithm === 'lottery-v1' ? record.entropy : {};
  const rows: ResultRow[] = (record?.order ?? []).map((uscc, index) => ({
    rank: index + 1,
    uscc,
    name: names.get(uscc)?.name ?? '',
    weight: names.get(uscc)?.weight ?? 0,
    entropy: entropy[uscc] ?? '',
    isWinner: index < lottery.winnerCount,
    alternateRank: index < lottery.winnerCount ? null : index - lottery.winnerCount + 1,
  }));
  const { declaration } = lottery.external;
  return {
    lottery,
    record,
    keys: messageKeys(lottery.status, lottery.algorithm, declaration.kind),
    isV1: lottery.algorithm === 'lottery-v1',
    weighted: rows.some((row) => row.weight !== 1),
    rows,
    winnerRows: rows.filter((row) => row.isWinner),
    external: {
      kind: declaration.kind,
      isNone: declaration.kind === 'none',
      isManual: declaration.kind === 'manual',
      isDrand: declaration.kind === 'drand',
      description: declaration.kind === 'manual' ? declaration.description : '',
      round: declaration.kind === 'drand' ? declaration.round : null,
      chainHash: declaration.kind === 'drand' ? declaration.chainHash : '',
      value: record?.algorithm === 'lottery-v1' ? record.external.value : (lottery.external.value ?? ''),
      beacon: record?.algorithm === 'lottery-v1' ? (record.external.beacon ?? null) : null,
      reference: lottery.external.reference ?? '',
      referenceIsLink: isWebAddress(lottery.external.reference),
    },
    weak: lottery.external.declaration.kind === 'none',
    recordJson: record ? new Handlebars.SafeString(recordScriptJson(record)) : null,
    scripts: record ? [VERIFIER_SCRIPT] : [],
    stylesheets: [LOTTERY_STYLESHEET],
  };
}

export function lotteryListData(result: { items: LotterySummary[]; total: number; page: number; pageSize: number }) {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  return {
    items: result.items.map((item) => ({ ...item, keys: messageKeys(item.status, item.algorithm, item.externalKind) })),
    total: result.total,
    page: result.page,
    pages,
    previousPage: result.page > 1 ? result.page - 1 : null,
    nextPage: result.page < pages ? result.page + 1 : null,
    stylesheets: [LOTTERY_STYLESHEET],
  };
}
