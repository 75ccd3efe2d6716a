/** The demo region of `sakip seed --demo` and `npm run seed -- --demo`: Kabupaten Sukamaju, its RPJMD and its departments' Renstra.
 * Codes follow the regional nomenclature loosely (urusan.bidang); numbers are plausible, not real. */

export type DemoIndicator = {
  code: string; name: string; type: 'input' | 'process' | 'output' | 'outcome' | 'impact'; unit: string;
  polarity: 'higher_is_better' | 'lower_is_better'; aggregation: 'sum' | 'last' | 'average'; isKey?: boolean;
  baseline: number; targets: [number, number, number, number, number]; definition?: string; dataSource?: string;
  /** A ranged 2025 target (target rentang) instead of targets[0], in the indicator and the agreement. */
  range2025?: [number, number];
};
export type DemoElement = {
  level: 'goal' | 'objective' | 'program' | 'activity' | 'sub_activity'; code: string; title: string;
  supports?: string[]; indicators?: DemoIndicator[]; budget2025?: [number, number]; children?: DemoElement[];
};
export type DemoAgency = { code: string; name: string; plan: string; tree: DemoElement[] };

const ind = (code: string, name: string, unit: string, baseline: number, targets: DemoIndicator['targets'], more: Partial<DemoIndicator> = {}): DemoIndicator => ({
  code, name, unit, baseline, targets, type: 'outcome', polarity: 'higher_is_better', aggregation: 'last', ...more,
});

export const NATIONAL = { code: 'ID', name: 'Pemerintah Republik Indonesia', kind: 'national' as const };
export const PROVINCE = { code: '32', name: 'Provinsi Jawa Sukamaju', kind: 'province' as const };
export const REGENCY = { code: '3299', name: 'Kabupaten Sukamaju', kind: 'regency' as const };

/** A small RPJMN 2025-2029: the national objectives the province and the regency align to. */
export const RPJMN: DemoElement[] = [
  { level: 'goal', code: 'N.T1', title: 'Sumber daya manusia yang sehat, cerdas dan produktif', children: [
    { level: 'objective', code: 'N.T1.S1', title: 'Menurunnya prevalensi stunting nasional',
      indicators: [ind('NAS-01', 'Prevalensi stunting pada balita (nasional)', '%', 21.5, [18.8, 16.9, 15.2, 14.2, 14], { polarity: 'lower_is_better', type: 'impact', isKey: true, dataSource: 'SSGI Kementerian Kesehatan' })] },
    { level: 'objective', code: 'N.T1.S2', title: 'Meningkatnya kualitas pendidikan dasar dan menengah',
      indicators: [ind('NAS-02', 'Rata-rata lama sekolah penduduk usia 15 tahun ke atas', 'tahun', 9, [9.2, 9.4, 9.6, 9.8, 10], { isKey: true })] },
  ] },
  { level: 'goal', code: 'N.T2', title: 'Infrastruktur yang merata', children: [
    { level: 'objective', code: 'N.T2.S1', title: 'Meningkatnya kemantapan jalan daerah',
      indicators: [ind('NAS-03', 'Persentase jalan daerah dalam kondisi mantap', '%', 66, [68, 70, 72, 74, 76], { range2025: [67, 70] })] },
  ] },
];

/** The province's RPJMD, aligned to the RPJMN. */
export const PROVINCE_RPJMD: DemoElement[] = [
  { level: 'goal', code: 'P.T1', title: 'Meningkatnya kualitas hidup masyarakat', children: [
    { level: 'objective', code: 'P.T1.S1', title: 'Menurunnya stunting di provinsi', supports: ['N.T1.S1'],
      indicators: [ind('PROV-01', 'Prevalensi stunting pada balita (provinsi)', '%', 22.4, [19.5, 17.5, 15.8, 14.5, 14], { polarity: 'lower_is_better', isKey: true, range2025: [19, 20] })] },
    { level: 'objective', code: 'P.T1.S2', title: 'Meningkatnya kemantapan jalan provinsi dan kabupaten', supports: ['N.T2.S1'],
      indicators: [ind('PROV-02', 'Persentase jalan dalam kondisi mantap', '%', 67, [70, 72, 74, 76, 78])] },
  ] },
];

export const RPJMD: DemoElement[] = [
  { level: 'goal', code: 'T1', title: 'Meningkatnya kualitas sumber daya manusia',
    indicators: [ind('IKD-01', 'Indeks Pembangunan Manusia', 'indeks', 70.12, [70.6, 71.1, 71.6, 72.1, 72.6], { type: 'impact', isKey: true, dataSource: 'BPS Kabupaten Sukamaju' })],
    children: [
      { level: 'objective', code: 'T1.S1', title: 'Meningkatnya akses dan mutu pendidikan', supports: ['N.T1.S2'],
        indicators: [ind('IKD-02', 'Rata-rata lama sekolah', 'tahun', 7.8, [7.95, 8.1, 8.25, 8.4, 8.55], { isKey: true })],
        children: [{ level: 'program', code: 'T1.S1.P1', title: 'Program Pengelolaan Pendidikan' }] },
      { level: 'objective', code: 'T1.S2', title: 'Meningkatnya derajat kesehatan masyarakat', supports: ['P.T1.S1', 'N.T1.S1'],
        indicators: [
          ind('IKD-03', 'Angka harapan hidup', 'tahun', 71.4, [71.6, 71.8, 72, 72.2, 72.4], { isKey: true }),
          ind('IKD-04', 'Prevalensi stunting pada balita', '%', 24.3, [21.5, 19, 16.5, 14, 12], { polarity: 'lower_is_better', isKey: true, dataSource: 'e-PPGBM' }),
        ],
        children: [{ level: 'program', code: 'T1.S2.P1', title: 'Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat' }] },
    ] },
  { level: 'goal', code: 'T2', title: 'Meningkatnya pemerataan infrastruktur dan kesejahteraan',
    children: [
      { level: 'objective', code: 'T2.S1', title: 'Meningkatnya kemantapan jalan kabupaten', supports: ['P.T1.S2'],
        indicators: [ind('IKD-05', 'Persentase panjang jalan kabupaten dalam kondisi mantap', '%', 68.5, [71, 74, 77, 80, 83], { isKey: true, range2025: [70, 72] })],
        children: [{ level: 'program', code: 'T2.S1.P1', title: 'Program Penyelenggaraan Jalan' }] },
      { level: 'objective', code: 'T2.S2', title: 'Menurunnya tingkat kemiskinan',
        indicators: [ind('IKD-06', 'Persentase penduduk miskin', '%', 10.9, [10.4, 9.9, 9.4, 8.9, 8.4], { polarity: 'lower_is_better', type: 'impact', isKey: true })] },
    ] },
  { level: 'goal', code: 'T3', title: 'Terwujudnya tata kelola pemerintahan yang baik',
    children: [
      { level: 'objective', code: 'T3.S1', title: 'Meningkatnya akuntabilitas kinerja pemerintah daerah',
        indicators: [ind('IKD-07', 'Nilai SAKIP Kabupaten', 'indeks', 62.4, [65, 68, 71, 74, 77], { isKey: true, dataSource: 'LHE AKIP KemenPAN-RB' })],
        children: [{ level: 'program', code: 'T3.S1.P1', title: 'Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah' }] },
    ] },
];

export const DEPARTMENTS: DemoAgency[] = [
  { code: '3299.1.01', name: 'Dinas Pendidikan', plan: 'Renstra Dinas Pendidikan 2025-2029', tree: [
    { level: 'goal', code: 'T1', title: 'Meningkatnya mutu pendidikan dasar', supports: ['T1.S1'], children: [
      { level: 'objective', code: 'T1.S1', title: 'Meningkatnya akses dan mutu layanan pendidikan dasar', supports: ['T1.S1'], indicators: [
        ind('DIK-01', 'Angka Partisipasi Murni SD/MI', '%', 96.1, [96.5, 97, 97.5, 98, 98.5], { isKey: true, dataSource: 'Dapodik' }),
        ind('DIK-02', 'Angka Partisipasi Murni SMP/MTs', '%', 78.2, [80, 82, 84, 86, 88], { isKey: true, dataSource: 'Dapodik' }),
        ind('DIK-03', 'Persentase satuan pendidikan terakreditasi minimal B', '%', 81, [83, 85, 87, 89, 91]),
      ], children: [
        { level: 'program', code: 'T1.S1.P1', title: 'Program Pengelolaan Pendidikan', supports: ['T1.S1.P1'], budget2025: [48_500_000_000, 11_250_000_000], children: [
          { level: 'activity', code: 'T1.S1.P1.K1', title: 'Pengelolaan Pendidikan Sekolah Dasar', budget2025: [30_000_000_000, 7_000_000_000],
            indicators: [ind('DIK-04', 'Jumlah ruang kelas SD yang direhabilitasi', 'ruang', 0, [60, 60, 55, 50, 45], { type: 'output', aggregation: 'sum' })] },
          { level: 'activity', code: 'T1.S1.P1.K2', title: 'Pengelolaan Pendidikan Sekolah Menengah Pertama', budget2025: [18_500_000_000, 4_250_000_000],
            indicators: [ind('DIK-05', 'Jumlah guru SMP yang mengikuti pelatihan', 'orang', 0, [400, 420, 440, 460, 480], { type: 'output', aggregation: 'sum' })] },
        ] },
      ] },
    ] },
  ] },
  { code: '3299.1.02', name: 'Dinas Kesehatan', plan: 'Renstra Dinas Kesehatan 2025-2029', tree: [
    { level: 'goal', code: 'T1', title: 'Meningkatnya derajat kesehatan masyarakat', supports: ['T1.S2'], children: [
      { level: 'objective', code: 'T1.S1', title: 'Menurunnya masalah gizi pada balita', supports: ['T1.S2'], indicators: [
        ind('KES-01', 'Prevalensi stunting pada balita', '%', 24.3, [21.5, 19, 16.5, 14, 12], { polarity: 'lower_is_better', isKey: true, dataSource: 'e-PPGBM' }),
        ind('KES-02', 'Persentase ibu hamil yang mendapat pelayanan kesehatan sesuai standar', '%', 88, [90, 92, 94, 96, 98], { aggregation: 'average', range2025: [89, 91] }),
      ], children: [
        { level: 'program', code: 'T1.S1.P1', title: 'Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat', supports: ['T1.S2.P1'], budget2025: [35_000_000_000, 9_800_000_000], children: [
          { level: 'activity', code: 'T1.S1.P1.K1', title: 'Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan', budget2025: [35_000_000_000, 9_800_000_000],
            indicators: [ind('KES-03', 'Jumlah balita stunting yang mendapat intervensi gizi', 'orang', 0, [2400, 2200, 2000, 1800, 1600], { type: 'output', aggregation: 'sum' })] },
        ] },
      ] },
    ] },
  ] },
  { code: '3299.1.03', name: 'Dinas Pekerjaan Umum dan Penataan Ruang', plan: 'Renstra Dinas PUPR 2025-2029', tree: [
    { level: 'goal', code: 'T1', title: 'Meningkatnya kualitas infrastruktur jalan dan jembatan', supports: ['T2.S1'], children: [
      { level: 'objective', code: 'T1.S1', title: 'Meningkatnya kemantapan jalan kabupaten', supports: ['T2.S1'], indicators: [
        ind('PU-01', 'Persentase panjang jalan kabupaten dalam kondisi mantap', '%', 68.5, [71, 74, 77, 80, 83], { isKey: true }),
      ], children: [
        { level: 'program', code: 'T1.S1.P1', title: 'Program Penyelenggaraan Jalan', supports: ['T2.S1.P1'], budget2025: [92_000_000_000, 20_500_000_000], children: [
          { level: 'activity', code: 'T1.S1.P1.K1', title: 'Penyelenggaraan Jalan Kabupaten/Kota', budget2025: [92_000_000_000, 20_500_000_000],
            indicators: [ind('PU-02', 'Panjang jalan kabupaten yang ditingkatkan', 'km', 0, [35.5, 38, 40, 42, 45], { type: 'output', aggregation: 'sum' })] },
        ] },
      ] },
    ] },
  ] },
  { code: '3299.5.01', name: 'Badan Perencanaan Pembangunan Daerah', plan: 'Renstra Bappeda 2025-2029', tree: [
    { level: 'goal', code: 'T1', title: 'Meningkatnya kualitas perencanaan dan evaluasi pembangunan daerah', supports: ['T3.S1'], children: [
      { level: 'objective', code: 'T1.S1', title: 'Meningkatnya kualitas dokumen perencanaan dan evaluasi kinerja', indicators: [
        ind('BAP-01', 'Nilai SAKIP Kabupaten', 'indeks', 62.4, [65, 68, 71, 74, 77], { isKey: true }),
        ind('BAP-02', 'Persentase dokumen perencanaan yang ditetapkan tepat waktu', '%', 80, [85, 90, 95, 100, 100]),
      ], children: [
        { level: 'program', code: 'T1.S1.P1', title: 'Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah', supports: ['T3.S1.P1'], budget2025: [6_200_000_000, 1_450_000_000], children: [
          { level: 'activity', code: 'T1.S1.P1.K1', title: 'Koordinasi Penyusunan Dokumen Perencanaan Pembangunan Daerah', budget2025: [3_700_000_000, 900_000_000],
            indicators: [ind('BAP-03', 'Jumlah dokumen perencanaan yang disusun', 'dokumen', 0, [4, 4, 4, 4, 5], { type: 'output', aggregation: 'sum' })] },
          { level: 'activity', code: 'T1.S1.P1.K2', title: 'Pengendalian, Evaluasi dan Pelaporan Kinerja Pembangunan Daerah', budget2025: [2_500_000_000, 550_000_000],
            indicators: [ind('BAP-04', 'Jumlah laporan evaluasi kinerja perangkat daerah', 'laporan', 0, [40, 40, 40, 40, 40], { type: 'output', aggregation: 'sum' })] },
        ] },
      ] },
    ] },
  ] },
  { code: '3299.1.06', name: 'Dinas Sosial', plan: 'Renstra Dinas Sosial 2025-2029', tree: [
    { level: 'goal', code: 'T1', title: 'Meningkatnya kesejahteraan sosial masyarakat', supports: ['T2.S2'], children: [
      { level: 'objective', code: 'T1.S1', title: 'Meningkatnya penanganan penyandang masalah kesejahteraan sosial', indicators: [
        ind('SOS-01', 'Persentase PPKS yang tertangani', '%', 55, [60, 65, 70, 75, 80], { isKey: true }),
      ], children: [
        { level: 'program', code: 'T1.S1.P1', title: 'Program Rehabilitasi Sosial', budget2025: [4_800_000_000, 1_100_000_000] },
      ] },
    ] },
  ] },
];
