-- The built-in evaluation framework of PermenPAN-RB 88/2021 (LKE AKIP), as data.
-- Components, sub-components and their weights are those of the regulation (DOMAIN.md "Evaluation");
-- the criteria are written in this project's own words, Indonesian with an English gloss.
-- Criterion ids (pk-<component><sub-component>-<nn>) are stable: answers refer to them, so never
-- renumber or reuse one; a later change to this framework is a new migration, and a framework that
-- evaluations use stays immutable through the API.
INSERT INTO "evaluation_frameworks" ("id", "code", "name", "built_in", "definition")
VALUES (
  '01900000-0000-7000-8000-000000882021',
  'permenpanrb-88-2021',
  'LKE AKIP PermenPAN-RB 88/2021',
  true,
  '{
  "components": [
    {
      "code": "planning",
      "name": "Perencanaan Kinerja (Performance planning)",
      "weight": "30",
      "subComponents": [
        {
          "code": "planning.fulfillment",
          "name": "Pemenuhan (Fulfillment)",
          "weight": "6",
          "criteria": [
            {
              "id": "pk-1a-01",
              "code": "1.a.1",
              "text": "Renstra telah ditetapkan dan dipublikasikan (The Renstra is formally adopted and published)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1a-02",
              "code": "1.a.2",
              "text": "Rencana kerja tahunan (Renja/RKT) tahun berjalan telah disusun dan ditetapkan (The annual work plan for the current year is drawn up and adopted)",
              "scale": "YT"
            },
            {
              "id": "pk-1a-03",
              "code": "1.a.3",
              "text": "Perjanjian Kinerja telah disusun, ditandatangani dan dipublikasikan tepat waktu (The performance agreement is drawn up, signed and published on time)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1a-04",
              "code": "1.a.4",
              "text": "Indikator Kinerja Utama (IKU) telah ditetapkan secara formal (Key performance indicators are formally set)",
              "scale": "YT"
            }
          ]
        },
        {
          "code": "planning.quality",
          "name": "Kualitas (Quality)",
          "weight": "9",
          "criteria": [
            {
              "id": "pk-1b-01",
              "code": "1.b.1",
              "text": "Tujuan dan sasaran berorientasi hasil (outcome), bukan kegiatan (Goals and objectives describe outcomes, not activities)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1b-02",
              "code": "1.b.2",
              "text": "Indikator kinerja memenuhi kriteria SMART (Indicators are specific, measurable, achievable, relevant and time-bound)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1b-03",
              "code": "1.b.3",
              "text": "Target kinerja berdasarkan data dasar yang jelas dan cukup menantang (Targets rest on a clear baseline and are ambitious)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1b-04",
              "code": "1.b.4",
              "text": "Kinerja telah dijenjangkan (cascading) secara selaras hingga unit kerja dan individu (Performance is cascaded consistently down to work units and individuals)",
              "scale": "ABCD"
            }
          ]
        },
        {
          "code": "planning.utilization",
          "name": "Pemanfaatan (Utilization)",
          "weight": "15",
          "criteria": [
            {
              "id": "pk-1c-01",
              "code": "1.c.1",
              "text": "Dokumen perencanaan kinerja menjadi acuan penyusunan anggaran (Performance plans are the basis of the budget)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1c-02",
              "code": "1.c.2",
              "text": "Capaian target Perjanjian Kinerja dipantau secara berkala oleh pimpinan (Leadership monitors progress on agreement targets periodically)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1c-03",
              "code": "1.c.3",
              "text": "Perencanaan kinerja dimanfaatkan dalam penilaian kinerja individu (Performance plans are used in individual performance appraisal)",
              "scale": "ABCD"
            },
            {
              "id": "pk-1c-04",
              "code": "1.c.4",
              "text": "Renstra direviu dan dimutakhirkan bila lingkungan strategis berubah (The Renstra is reviewed and updated when the strategic context changes)",
              "scale": "YT"
            }
          ]
        }
      ]
    },
    {
      "code": "measurement",
      "name": "Pengukuran Kinerja (Performance measurement)",
      "weight": "30",
      "subComponents": [
        {
          "code": "measurement.fulfillment",
          "name": "Pemenuhan (Fulfillment)",
          "weight": "6",
          "criteria": [
            {
              "id": "pk-2a-01",
              "code": "2.a.1",
              "text": "Tersedia pedoman teknis pengukuran kinerja dan pengumpulan data (Technical guidelines for measurement and data collection exist)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2a-02",
              "code": "2.a.2",
              "text": "Setiap indikator memiliki definisi operasional dan sumber data yang jelas (Every indicator has an operational definition and a clear data source)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2a-03",
              "code": "2.a.3",
              "text": "Pengukuran kinerja dilakukan secara berkala setiap triwulan (Performance is measured periodically, every quarter)",
              "scale": "YT"
            }
          ]
        },
        {
          "code": "measurement.quality",
          "name": "Kualitas (Quality)",
          "weight": "9",
          "criteria": [
            {
              "id": "pk-2b-01",
              "code": "2.b.1",
              "text": "Data kinerja andal, dapat ditelusuri dan didukung bukti (Performance data is reliable, traceable and backed by evidence)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2b-02",
              "code": "2.b.2",
              "text": "Pengukuran kinerja didukung sistem informasi (Measurement is supported by an information system)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2b-03",
              "code": "2.b.3",
              "text": "Pengukuran kinerja telah dijenjangkan hingga tingkat individu (Measurement is cascaded down to individuals)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2b-04",
              "code": "2.b.4",
              "text": "Hasil pengukuran diverifikasi oleh pihak yang berwenang sebelum digunakan (Results are verified by an authorised party before use)",
              "scale": "ABCD"
            }
          ]
        },
        {
          "code": "measurement.utilization",
          "name": "Pemanfaatan (Utilization)",
          "weight": "15",
          "criteria": [
            {
              "id": "pk-2c-01",
              "code": "2.c.1",
              "text": "Hasil pengukuran kinerja menjadi dasar pemberian penghargaan dan sanksi (Measurement results drive rewards and sanctions)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2c-02",
              "code": "2.c.2",
              "text": "Hasil pengukuran dimanfaatkan untuk mengendalikan dan memperbaiki pelaksanaan program (Results are used to steer and correct programmes)",
              "scale": "ABCD"
            },
            {
              "id": "pk-2c-03",
              "code": "2.c.3",
              "text": "Hasil pengukuran menjadi dasar penyesuaian strategi dan target (Results feed adjustments of strategy and targets)",
              "scale": "ABCD"
            }
          ]
        }
      ]
    },
    {
      "code": "reporting",
      "name": "Pelaporan Kinerja (Performance reporting)",
      "weight": "15",
      "subComponents": [
        {
          "code": "reporting.fulfillment",
          "name": "Pemenuhan (Fulfillment)",
          "weight": "3",
          "criteria": [
            {
              "id": "pk-3a-01",
              "code": "3.a.1",
              "text": "LKjIP telah disusun dan disampaikan tepat waktu (The LKjIP is written and submitted on time)",
              "scale": "YT"
            },
            {
              "id": "pk-3a-02",
              "code": "3.a.2",
              "text": "LKjIP dipublikasikan melalui media yang mudah diakses masyarakat (The LKjIP is published where the public can easily reach it)",
              "scale": "ABCD"
            },
            {
              "id": "pk-3a-03",
              "code": "3.a.3",
              "text": "Laporan kinerja berkala (triwulanan) telah disusun (Quarterly performance reports are produced)",
              "scale": "ABCD"
            }
          ]
        },
        {
          "code": "reporting.quality",
          "name": "Kualitas (Quality)",
          "weight": "4.5",
          "criteria": [
            {
              "id": "pk-3b-01",
              "code": "3.b.1",
              "text": "LKjIP menyajikan capaian kinerja dibandingkan dengan target tahun berjalan (The LKjIP compares achievement with the year''s targets)",
              "scale": "ABCD"
            },
            {
              "id": "pk-3b-02",
              "code": "3.b.2",
              "text": "LKjIP membandingkan capaian dengan tahun-tahun sebelumnya dan target jangka menengah (The LKjIP compares with previous years and the medium-term target)",
              "scale": "ABCD"
            },
            {
              "id": "pk-3b-03",
              "code": "3.b.3",
              "text": "LKjIP menganalisis penyebab keberhasilan atau kegagalan dan efisiensi penggunaan sumber daya (The LKjIP analyses why targets were met or missed and how efficiently resources were used)",
              "scale": "ABCD"
            },
            {
              "id": "pk-3b-04",
              "code": "3.b.4",
              "text": "Informasi dalam LKjIP andal dan sesuai dengan data pengukuran (LKjIP figures are reliable and match the measurement data)",
              "scale": "ABCD"
            }
          ]
        },
        {
          "code": "reporting.utilization",
          "name": "Pemanfaatan (Utilization)",
          "weight": "7.5",
          "criteria": [
            {
              "id": "pk-3c-01",
              "code": "3.c.1",
              "text": "Informasi LKjIP digunakan untuk memperbaiki perencanaan (LKjIP findings are used to improve planning)",
              "scale": "ABCD"
            },
            {
              "id": "pk-3c-02",
              "code": "3.c.2",
              "text": "Informasi LKjIP digunakan untuk meningkatkan kinerja (LKjIP findings are used to raise performance)",
              "scale": "ABCD"
            },
            {
              "id": "pk-3c-03",
              "code": "3.c.3",
              "text": "Informasi LKjIP digunakan dalam penilaian kinerja unit dan pegawai (LKjIP findings inform the appraisal of units and staff)",
              "scale": "ABCD"
            }
          ]
        }
      ]
    },
    {
      "code": "internal_evaluation",
      "name": "Evaluasi Akuntabilitas Kinerja Internal (Internal accountability evaluation)",
      "weight": "25",
      "subComponents": [
        {
          "code": "internal_evaluation.fulfillment",
          "name": "Pemenuhan (Fulfillment)",
          "weight": "5",
          "criteria": [
            {
              "id": "pk-4a-01",
              "code": "4.a.1",
              "text": "Evaluasi akuntabilitas kinerja internal telah dilaksanakan pada seluruh unit kerja (Internal evaluation covers every work unit)",
              "scale": "YT"
            },
            {
              "id": "pk-4a-02",
              "code": "4.a.2",
              "text": "Evaluasi dilaksanakan oleh SDM yang memadai dan kompeten (Evaluation is performed by enough competent staff)",
              "scale": "ABCD"
            },
            {
              "id": "pk-4a-03",
              "code": "4.a.3",
              "text": "Evaluasi atas program dan kegiatan dilaksanakan secara berkala (Programmes and activities are evaluated periodically)",
              "scale": "ABCD"
            }
          ]
        },
        {
          "code": "internal_evaluation.quality",
          "name": "Kualitas (Quality)",
          "weight": "7.5",
          "criteria": [
            {
              "id": "pk-4b-01",
              "code": "4.b.1",
              "text": "Evaluasi dilaksanakan sesuai pedoman dan didokumentasikan dalam kertas kerja (Evaluation follows the guidelines and is documented in working papers)",
              "scale": "ABCD"
            },
            {
              "id": "pk-4b-02",
              "code": "4.b.2",
              "text": "Hasil evaluasi memuat rekomendasi perbaikan yang dapat dilaksanakan (Evaluation yields actionable recommendations)",
              "scale": "ABCD"
            },
            {
              "id": "pk-4b-03",
              "code": "4.b.3",
              "text": "Evaluasi telah memanfaatkan teknologi informasi (Evaluation makes use of information technology)",
              "scale": "ABCD"
            }
          ]
        },
        {
          "code": "internal_evaluation.utilization",
          "name": "Pemanfaatan (Utilization)",
          "weight": "12.5",
          "criteria": [
            {
              "id": "pk-4c-01",
              "code": "4.c.1",
              "text": "Rekomendasi hasil evaluasi telah ditindaklanjuti (Evaluation recommendations have been followed up)",
              "scale": "ABCD"
            },
            {
              "id": "pk-4c-02",
              "code": "4.c.2",
              "text": "Hasil evaluasi internal dimanfaatkan untuk perbaikan perencanaan dan penganggaran (Internal evaluation results are used to improve planning and budgeting)",
              "scale": "ABCD"
            },
            {
              "id": "pk-4c-03",
              "code": "4.c.3",
              "text": "Tindak lanjut rekomendasi dipantau dan dilaporkan kepada pimpinan (Follow-up of recommendations is monitored and reported to leadership)",
              "scale": "YT"
            }
          ]
        }
      ]
    }
  ]
}'::jsonb
)
ON CONFLICT ("code") DO NOTHING;
