import { bigramsOf, changedFields, feeAllowsBudget, feeBudgetProblem, normalizeForSearch, searchFields, type ServiceContent } from '../../src/catalog/model.js';

const content: ServiceContent = {
  name: '房产面积测算',
  category: '投资建设类',
  basis: '《房产测绘管理办法》',
  timeLimitDays: 10,
  fee: { mode: 'guided', minFen: 100_000, maxFen: 6_000_000, basis: '政府指导价' },
  qualificationRequirements: '',
  relatedApproval: '不动产首次登记',
};

describe('fee standard and project budgets', () => {
  it('lets a guided price bind the budget to its range, both ends included', () => {
    expect(feeAllowsBudget(content, 6_000_000)).toBe(true);
    expect(feeAllowsBudget(content, 100_000)).toBe(true);
    expect(feeBudgetProblem(content, 6_000_001)).toBe('above_maximum');
    expect(feeBudgetProblem(content, 99_999)).toBe('below_minimum');
  });

  it('lets a government price with only a maximum accept anything up to it', () => {
    const government = { fee: { mode: 'government' as const, minFen: null, maxFen: 500_000, basis: '' } };
    expect(feeAllowsBudget(government, 1)).toBe(true);
    expect(feeAllowsBudget(government, 500_001)).toBe(false);
  });

  it('never binds a budget to a market price, even with a reference range', () => {
    const market = { fee: { mode: 'market' as const, minFen: 100, maxFen: 200, basis: '' } };
    expect(feeAllowsBudget(market, 1_000_000_000)).toBe(true);
    expect(feeAllowsBudget(market, 1)).toBe(true);
  });
});

describe('what changed between versions', () => {
  it('lists every field for the first version and only the differing ones after', () => {
    expect(changedFields(undefined, content)).toHaveLength(10);
    const next = { ...content, timeLimitDays: 8, fee: { ...content.fee, maxFen: 5_000_000 } };
    expect(changedFields(content, next)).toEqual(['timeLimitDays', 'fee.maxFen']);
    expect(changedFields(content, { ...content })).toEqual([]);
  });
});

describe('search text', () => {
  it('folds full-width characters and case, and keeps fields apart', () => {
    expect(normalizeForSearch('  ＺＪ－００１  环评（报告）')).toBe('zj-001 环评(报告)');
    const { text, bigrams } = searchFields('ZJ-013', content);
    expect(text.split('\n')).toEqual(['zj-013', '房产面积测算', '投资建设类', '《房产测绘管理办法》', '不动产首次登记']);
    expect(bigrams).toEqual(expect.arrayContaining(['房产', '测绘', 'zj', '登记']));
    // no bigram spans two fields
    expect(bigrams).not.toContain('算投');
  });

  it('takes bigrams by code point, so a rare CJK extension character counts once', () => {
    expect(bigramsOf('𠀀测绘')).toEqual(['𠀀测', '测绘']);
    expect(bigramsOf('环')).toEqual([]);
  });
});
