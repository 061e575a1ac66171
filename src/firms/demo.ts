import { registerAccount } from '../auth/service.js';
import { completeUscc } from '../auth/uscc.js';
import { listPublishedForExport } from '../catalog/service.js';
import type { DemoLoader } from '../platform/demo.js';
import type { CurrentUser } from '../platform/http/access.js';
import { addCalendarDays, shanghaiDate } from '../platform/time.js';
import { addQualification, decideFirm, importDebtorList, reviewQualification, updateProfile } from './service.js';

type DemoState = 'admitted' | 'pending' | 'rejected' | 'suspended' | 'debtor' | 'expired';

// Realistic intermediaries of a Zhejiang prefecture city; codes are made valid by completeUscc.
const FIRMS: { name: string; state: DemoState; legalRepresentative: string; district: string }[] = [
  { name: '浙江环科环境咨询有限公司', state: 'admitted', legalRepresentative: '沈建国', district: '西湖区文三路 478 号' },
  { name: '杭州华测检测技术有限公司', state: 'admitted', legalRepresentative: '陆敏', district: '滨江区江南大道 3688 号' },
  { name: '浙江省工程勘察设计院集团有限公司', state: 'admitted', legalRepresentative: '何志强', district: '上城区秋涛北路 88 号' },
  { name: '浙江恒信工程造价咨询有限公司', state: 'admitted', legalRepresentative: '陈立新', district: '拱墅区湖墅南路 186 号' },
  { name: '杭州中汇土地房地产评估有限公司', state: 'admitted', legalRepresentative: '孙晓梅', district: '江干区新业路 8 号' },
  { name: '浙江天平安全技术咨询有限公司', state: 'admitted', legalRepresentative: '朱伟', district: '余杭区文一西路 1500 号' },
  { name: '浙江省地震安全评价中心有限公司', state: 'admitted', legalRepresentative: '徐海峰', district: '西湖区学院路 77 号' },
  { name: '杭州市交通规划设计研究院有限公司', state: 'admitted', legalRepresentative: '马跃', district: '上城区钱江路 639 号' },
  { name: '浙江水利水电勘测设计院有限公司', state: 'admitted', legalRepresentative: '胡斌', district: '上城区凤起东路 8 号' },
  { name: '浙江省测绘科学技术研究院有限公司', state: 'admitted', legalRepresentative: '郭静', district: '西湖区文二路 128 号' },
  { name: '杭州节能评估中心有限公司', state: 'admitted', legalRepresentative: '林涛', district: '下城区体育场路 299 号' },
  { name: '浙江中诚会计师事务所有限公司', state: 'admitted', legalRepresentative: '罗丽', district: '上城区庆春路 136 号' },
  { name: '浙江德恒建设工程咨询有限公司', state: 'admitted', legalRepresentative: '梁国栋', district: '萧山区市心中路 819 号' },
  { name: '杭州绿源水土保持科技有限公司', state: 'admitted', legalRepresentative: '宋雨', district: '临平区迎宾路 369 号' },
  { name: '浙江远景规划设计有限公司', state: 'pending', legalRepresentative: '唐明', district: '滨江区长河路 351 号' },
  { name: '杭州锐思信息咨询有限公司', state: 'pending', legalRepresentative: '韩冬', district: '西湖区古墩路 701 号' },
  { name: '浙江诚正资产评估有限公司', state: 'pending', legalRepresentative: '冯晨', district: '拱墅区莫干山路 100 号' },
  { name: '杭州速达代理咨询有限公司', state: 'rejected', legalRepresentative: '曹阳', district: '余杭区五常大道 181 号' },
  { name: '浙江宏图测绘有限公司', state: 'suspended', legalRepresentative: '彭勇', district: '富阳区富春街道 22 号' },
  { name: '杭州安信安全评价有限公司', state: 'suspended', legalRepresentative: '蒋红', district: '临安区锦城街道 9 号' },
  { name: '浙江金鼎工程咨询有限公司', state: 'debtor', legalRepresentative: '蔡军', district: '萧山区金城路 1038 号' },
  { name: '杭州旧证环评技术有限公司', state: 'expired', legalRepresentative: '潘杰', district: '桐庐县迎春南路 205 号' },
];

export const DEMO_FIRM_PASSWORD = 'Demo-2026-zjcs';

/** At least 20 firms in mixed states with qualifications for the published catalogue. */
export const demoFirmsLoader: DemoLoader = {
  name: 'demo firms',
  load: async (deps) => {
    const codes = (await listPublishedForExport(deps)).map((item) => item.code);
    const staff: CurrentUser = { id: 0, username: 'system', role: 'staff', organizationId: null, displayName: 'demo', via: 'token' };
    const today = shanghaiDate(deps.clock.now());
    const debtors: string[] = [];
    for (const [index, firm] of FIRMS.entries()) {
      const uscc = completeUscc(`91330100MA2J${String(index + 1).padStart(5, '0')}`);
      const user = await registerAccount(deps, {
        username: `firm${String(index + 1).padStart(2, '0')}`,
        password: DEMO_FIRM_PASSWORD,
        role: 'agency',
        organization: { name: firm.name, uscc, contactName: `${firm.legalRepresentative.slice(0, 1)}经理`, contactPhone: `1380571${String(index).padStart(4, '0')}` },
      });
      const self: CurrentUser = { id: user.id, username: user.username, role: 'agency', organizationId: user.organizationId, displayName: firm.name, via: 'session' };
      const firmId = user.organizationId!;
      await updateProfile(deps, self, firmId, {
        legalRepresentative: firm.legalRepresentative,
        address: `浙江省杭州市${firm.district}`,
        contactName: `${firm.legalRepresentative.slice(0, 1)}经理`,
        contactPhone: `1380571${String(index).padStart(4, '0')}`,
      });
      // each firm holds three neighbouring services of the catalogue
      const held = codes.length ? [0, 1, 2].map((k) => codes[(index * 2 + k) % codes.length]!) : [];
      for (const serviceCode of held) {
        const qualification = await addQualification(deps, self, firmId, {
          serviceCode,
          level: index % 3 === 0 ? '甲级' : '乙级',
          certificateNo: `ZJ${serviceCode.replace(/\D/g, '')}-${2024 + (index % 3)}-${String(1000 + index)}`,
          issuer: '浙江省相关行业主管部门',
          validUntil: firm.state === 'expired' ? addCalendarDays(today, 20) : addCalendarDays(today, 400 + index * 30),
        });
        if (firm.state !== 'pending') await reviewQualification(deps, staff, firmId, qualification.id, 'approve', '证书与发证机关公示信息一致');
      }
      if (firm.state === 'rejected') await decideFirm(deps, staff, firmId, 'reject', '营业执照经营范围不含中介服务');
      if (firm.state !== 'pending' && firm.state !== 'rejected') await decideFirm(deps, staff, firmId, 'approve', '入驻材料齐全，准予入驻');
      if (firm.state === 'suspended') await decideFirm(deps, staff, firmId, 'suspend', '年度信用核查发现未按时履约，暂停三个月');
      if (firm.state === 'debtor') debtors.push(`${firm.name},${uscc},(2026)浙0109执${1200 + index}号,杭州市萧山区人民法院,2026-09-15`);
    }
    await importDebtorList(deps, staff, {
      sourceName: '最高人民法院失信被执行人名单（演示数据）',
      csv: ['name,uscc_or_id,case_number,court,date', ...debtors, `某建材经营部,${completeUscc('92330100MA2K00001')},(2026)浙0102执88号,杭州市上城区人民法院,2026-08-01`].join('\n'),
    });
    return [{ role: 'agency', username: 'firm01', password: DEMO_FIRM_PASSWORD, note: '浙江环科环境咨询有限公司 (admitted; firm01–firm22 exist)' }];
  },
};
