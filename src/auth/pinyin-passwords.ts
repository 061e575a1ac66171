/**
 * Common Chinese-pinyin passwords and their building blocks (surnames, given-name syllables,
 * phrases), for the strength estimator: English dictionaries do not know them. Taken from the
 * most frequent pinyin entries of published analyses of Chinese password leaks.
 */
export const PINYIN_PASSWORDS = [
  'woaini', 'woaini1314', 'woaini520', 'woainima', 'woaiwojia', 'woaini123', 'aini1314', 'iloveyou1314',
  '5201314', '1314520', '520520', '521521', 'wodemima', 'mima', 'mima123', 'mimamima', 'nihao', 'nihao123',
  'wohenhao', 'zhongguo', 'zhonghua', 'beijing', 'shanghai', 'yantai', 'shandong', 'qingdao', 'jinan',
  'baobei', 'baobao', 'laopo', 'laogong', 'xiaobao', 'tiantian', 'kuaile', 'xingfu', 'shengri', 'pingan',
  'caonima', 'qq123456', 'qqqqqq', 'wangwang', 'huanhuan', 'lele', 'xiaoxiao', 'aiqing', 'yongyuan',
  'wocaonima', 'zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'admin888', 'a5201314', 'abc5201314',
  'woshishui', 'shenme', 'meiyou', 'xiexie', 'duibuqi', 'zaijian', 'jiayou', 'fendou', 'mengxiang',
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'wangxiuying', 'lixiuying', 'zhangxiuying', 'liuyang',
];

export const PINYIN_SURNAMES = [
  'wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu',
  'hu', 'guo', 'he', 'lin', 'gao', 'luo', 'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng',
  'cao', 'peng', 'zeng', 'xiao', 'tian', 'dong', 'pan', 'yuan', 'cai', 'jiang', 'yu', 'du', 'ye', 'cheng',
  'wei', 'su', 'lu', 'ding', 'ren', 'shen', 'yao', 'jin', 'cui', 'fan', 'shi', 'qian', 'dai', 'xia',
];

export const PINYIN_GIVEN_NAMES = [
  'wei', 'fang', 'na', 'min', 'jing', 'li', 'qiang', 'lei', 'jun', 'yang', 'yong', 'yan', 'jie', 'juan',
  'tao', 'ming', 'chao', 'xiuying', 'xia', 'ping', 'gang', 'hua', 'hui', 'xin', 'yu', 'ying', 'hong',
  'bo', 'bin', 'hao', 'peng', 'fei', 'long', 'feng', 'dan', 'lin', 'mei', 'qing', 'xue', 'yun', 'ting',
];
