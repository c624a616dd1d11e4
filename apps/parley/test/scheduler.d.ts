// The two exports of React's scheduler that the UI tests use to wait until React is idle (see scripted.ts).
declare module 'scheduler' {
  export const unstable_IdlePriority: number;
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown;
}
