import { requestLogUrl } from '../../src/platform/logging.js';

describe('request log URLs', () => {
  it('leave out which project a firm registered for, quoted on or asked about', () => {
    expect(requestLogUrl('/api/v1/projects/17/submissions')).toBe('/api/v1/projects/:id/submissions');
    expect(requestLogUrl('/api/v1/projects/17/registrations/mine')).toBe('/api/v1/projects/:id/registrations/mine');
    expect(requestLogUrl('/projects/17/submissions?done=submitted')).toBe('/projects/:id/submissions?done=submitted');
    expect(requestLogUrl('/projects/17/questions')).toBe('/projects/:id/questions');
  });

  it('keep every other URL as it came', () => {
    for (const url of ['/projects/17', '/api/v1/projects/17/amendments', '/api/v1/projects/17/submissionsX', '/firms/17/registrations']) expect(requestLogUrl(url)).toBe(url);
  });
});
