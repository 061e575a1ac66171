import chineseDays from 'chinese-days';
import type { CalendarDate } from '../time.js';

// chinese-days tracks the State Council's holiday notices. It silently treats a year it has no
// data for as plain weekends, so a year counts as covered only if its New Year's Day is listed
// as a holiday (元旦 is a holiday in every year the package knows).
const coveredYears = new Map<number, boolean>();

export function packageCoversYear(year: number): boolean {
  let covered = coveredYears.get(year);
  if (covered === undefined) {
    covered = chineseDays.getDayDetail(`${String(year).padStart(4, '0')}-01-01`).name.includes('元旦');
    coveredYears.set(year, covered);
  }
  return covered;
}

export function packageDay(day: CalendarDate): { isWorkingDay: boolean; name: string } {
  const detail = chineseDays.getDayDetail(day);
  const parts = detail.name.split(',');
  return { isWorkingDay: detail.work, name: parts[1] ?? parts[0] ?? '' };
}
