import type { DemoLoader } from '../platform/demo.js';
import { createStaffUser, registerAccount } from './service.js';
import { completeUscc } from './uscc.js';

const DEMO_PASSWORD = 'Demo-2026-zjcs';

/** One account per role, so every part of the marketplace can be tried at once. */
export const demoAccountsLoader: DemoLoader = {
  name: 'demo accounts',
  load: async (deps) => {
    await createStaffUser(deps, 'system:demo', { username: 'demo-admin', password: DEMO_PASSWORD, role: 'admin', displayName: '系统管理员（演示）' });
    await createStaffUser(deps, 'system:demo', { username: 'demo-staff', password: DEMO_PASSWORD, role: 'staff', displayName: '中介协调科 王科员（演示）' });
    await registerAccount(deps, {
      username: 'demo-owner',
      password: DEMO_PASSWORD,
      role: 'owner',
      organization: { name: '市城市建设投资集团有限公司', uscc: completeUscc('91330100MA2H00001'), contactName: '李工', contactPhone: '0571-87000001' },
    });
    await registerAccount(deps, {
      username: 'demo-agency',
      password: DEMO_PASSWORD,
      role: 'agency',
      organization: { name: '浙江恒信工程造价咨询有限公司', uscc: completeUscc('91330106MA2H00002'), contactName: '陈经理', contactPhone: '13800000002' },
    });
    return ['admin', 'staff', 'owner', 'agency'].map((role) => ({ role, username: `demo-${role}`, password: DEMO_PASSWORD }));
  },
};
