import request from 'supertest';
import { readAuditHead } from '../../src/audit/service.js';
import { CalendarYearMissingError, enterYearArrangement, WorkingCalendar } from '../../src/platform/calendar/calendar.js';
import { loggedInAs } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('working-day calendar', () => {
  let platform: TestPlatform;
  let calendar: WorkingCalendar;
  beforeAll(async () => {
    platform = await createTestPlatform();
    calendar = new WorkingCalendar(platform.database.db);
  });
  afterAll(() => platform.close());

  it('knows 2026 holidays and make-up working days from the package', async () => {
    expect(await calendar.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(await calendar.isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
    expect(await calendar.isWorkingDay('2026-09-20')).toBe(true); // make-up Sunday
    expect(await calendar.isWorkingDay('2026-11-28')).toBe(false); // ordinary Saturday
    expect(await calendar.isWorkingDay('2026-11-25')).toBe(true);
  });

  it('adds working days across the National Day holiday', async () => {
    // 2026-09-30 (Wed) + 1 working day skips 10-01..10-07 and lands on 10-08
    expect(await calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(await calendar.addWorkingDays('2026-11-25', 3)).toBe('2026-11-30');
    expect(await calendar.workingDaysBetween('2026-11-25', '2026-11-30')).toBe(3);
  });

  it('answers over the API whether a date is a working day, and the date N working days after it', async () => {
    const plain = await request(platform.app).get('/api/v1/calendar/working-days?from=2026-10-01').expect(200);
    expect(plain.body).toEqual({ date: '2026-10-01', isWorkingDay: false });
    const added = await request(platform.app).get('/api/v1/calendar/working-days?from=2026-09-30&add=1').expect(200);
    expect(added.body).toEqual({ date: '2026-09-30', isWorkingDay: true, add: 1, result: '2026-10-08' });
  });

  it('refuses to count days in a year nobody has data for', async () => {
    await expect(calendar.isWorkingDay('2027-01-04')).rejects.toBeInstanceOf(CalendarYearMissingError);
    await expect(calendar.addWorkingDays('2026-12-30', 5)).rejects.toMatchObject({ status: 409, code: 'calendar_year_missing' });
    const response = await request(platform.app).get('/api/v1/calendar/working-days?from=2027-03-01').expect(409);
    expect(response.body.detail).toContain('2027');
  });

  it('uses a year staff entered, and audits the entry', async () => {
    const before = (await readAuditHead(platform.database.db)).seq;
    await enterYearArrangement(platform, 'user:1', {
      year: 2027,
      reference: '测试通知 2027',
      days: [
        { day: '2027-01-01', isWorkingDay: false, name: '元旦' },
        { day: '2027-01-04', isWorkingDay: false, name: '元旦' },
        { day: '2027-01-09', isWorkingDay: true, name: '元旦调休' },
      ],
    });
    expect(await calendar.isWorkingDay('2027-01-04')).toBe(false);
    expect(await calendar.isWorkingDay('2027-01-09')).toBe(true);
    expect(await calendar.isWorkingDay('2027-01-05')).toBe(true);
    expect(await calendar.addWorkingDays('2026-12-31', 1)).toBe('2027-01-05');
    expect((await readAuditHead(platform.database.db)).seq).toBe(before + 1);
    const stored = await request(platform.app).get('/api/v1/calendar/years/2027').expect(200);
    expect(stored.body.days).toHaveLength(3);
  });

  it('lets staff enter a year over the API and answers the stored year', async () => {
    const staff = await loggedInAs(platform, 'staff');
    const stored = await staff.agent
      .put('/api/v1/calendar/years/2029')
      .set('X-CSRF-Token', staff.csrfToken)
      .send({ reference: '测试通知 2029', days: [{ day: '2029-01-01', isWorkingDay: false, name: '元旦' }] })
      .expect(200);
    expect(stored.body).toMatchObject({ year: 2029, reference: '测试通知 2029', enteredBy: `user:${staff.account.user.id}` });
    expect(stored.body.days).toEqual([{ day: '2029-01-01', isWorkingDay: false, name: '元旦' }]);
  });

  it('rejects a day outside the year it is entered for', async () => {
    await expect(
      enterYearArrangement(platform, 'user:1', {
        year: 2028,
        reference: 'x',
        days: [{ day: '2029-01-01', isWorkingDay: false, name: '元旦' }],
      }),
    ).rejects.toMatchObject({ status: 400, code: 'day_outside_year' });
  });
});
