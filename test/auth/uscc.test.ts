import fc from 'fast-check';
import { completeUscc, usccProblem } from '../../src/auth/uscc.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts real published codes', () => {
    // 国家电网有限公司 and 中国石油天然气集团有限公司, as printed on their business licences (国家电网 91110000100010433L, 中国石油 911100007109311097)
    expect(usccProblem('91110000100010433L')).toBeNull();
    expect(usccProblem('911100007109311097')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(usccProblem('91110000100010433')).toBe('length');
    expect(usccProblem('91110000100010433I')).toBe('characters');
    expect(usccProblem('91110000100010433M')).toBe('check_character');
  });

  it('detects every single-character change of a valid code', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'0123456789'), { minLength: 17, maxLength: 17 }),
        fc.nat(17),
        fc.constantFrom(...alphabet),
        (digits, position, replacement) => {
          const code = completeUscc(digits.join(''));
          fc.pre(code[position] !== replacement);
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          expect(usccProblem(code)).toBeNull();
          expect(usccProblem(changed)).not.toBeNull();
        },
      ),
    );
  });
});
