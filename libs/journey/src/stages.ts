/** The six journey stages, in order, with the labels the seed material uses. */
export const STAGES = ['awareness', 'evaluation', 'choice', 'purchase', 'use', 'advocacy'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, { en: string; vi: string }> = {
  awareness: { en: 'Awareness', vi: 'Nhận biết' },
  evaluation: { en: 'Evaluation', vi: 'Đánh giá' },
  choice: { en: 'Choice', vi: 'Lựa chọn' },
  purchase: { en: 'Purchase', vi: 'Mua hàng' },
  use: { en: 'Use', vi: 'Sử dụng' },
  advocacy: { en: 'Advocacy', vi: 'Ủng hộ' },
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}
