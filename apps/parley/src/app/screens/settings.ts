// The chat's adjustable sampling settings: how each is shown and how ←/→ step it.
import type { SamplingSettings } from '../services';

export interface SettingSpec {
  key: keyof SamplingSettings;
  label: string;
  /** The value as shown, e.g. `0.70` or `off`. */
  show(v: number): string;
  /** The next value one step up (dir 1) or down (dir -1), kept in range. */
  step(v: number, dir: 1 | -1): number;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export const SETTINGS: SettingSpec[] = [
  {
    key: 'temperature',
    label: 'temperature',
    show: (v) => v.toFixed(2),
    step: (v, d) => round(clamp(v + d * 0.1, 0.1, 2), 2),
  },
  {
    key: 'topP',
    label: 'top-p',
    show: (v) => (v >= 1 ? 'off' : v.toFixed(2)),
    step: (v, d) => round(clamp(v + d * 0.05, 0.05, 1), 2),
  },
  {
    key: 'topK',
    label: 'top-k',
    show: (v) => (v === 0 ? 'off' : String(v)),
    step: (v, d) => clamp(v + d * (v + d < 10 ? 1 : 5), 0, 100),
  },
  {
    key: 'repetitionPenalty',
    label: 'rep. penalty',
    show: (v) => (v === 1 ? 'off' : v.toFixed(2)),
    step: (v, d) => round(clamp(v + d * 0.05, 1, 2), 2),
  },
  { key: 'maxLength', label: 'max length', show: String, step: (v, d) => clamp(v + d * 20, 20, 1000) },
  { key: 'seed', label: 'seed', show: String, step: (v, d) => Math.max(0, v + d) },
];
