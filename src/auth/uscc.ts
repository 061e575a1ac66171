/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-symbol
 * alphabet (no I, O, Z, S, V); the last is a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`invalid character ${first17[i]}`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export type UsccProblem = 'length' | 'characters' | 'check_character';

export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'length';
  if (![...code].every((char) => ALPHABET.includes(char))) return 'characters';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'characters';
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'check_character';
}

export const USCC_MESSAGES: Record<UsccProblem, string> = {
  length: 'must be 18 characters',
  characters: 'contains characters a unified social credit code cannot have',
  check_character: 'check character does not match (GB 32100-2015)',
};

/** Completes 17 characters into a valid code (demo data and test builders). */
export const completeUscc = (first17: string): string => first17 + usccCheckCharacter(first17);
