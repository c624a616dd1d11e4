// One horizontal bar per label with its probability, in the model's label order (so bars do not jump while
// the text changes); predicted labels are bold and green. A model with many labels (Reuters has 90) shows its
// most probable ones, most probable first.
import { Box, Text } from 'ink';
import { bar } from '../draw/bar';

/** Up to this many labels are all shown, in label order; beyond it, the most probable this many. */
export const MAX_BARS = 10;

export interface ProbabilityBarsProps {
  labels: readonly string[];
  probabilities: readonly number[];
  predicted: readonly number[];
  /** Columns available. */
  width: number;
  /** Draw the bars dimmed (the result is for an older text and a newer one is being classified). */
  stale?: boolean;
}

export function ProbabilityBars({ labels, probabilities, predicted, width, stale = false }: ProbabilityBarsProps) {
  const all = labels.map((_, i) => i);
  const shown =
    labels.length <= MAX_BARS
      ? all
      : all.sort((a, b) => (probabilities[b] ?? 0) - (probabilities[a] ?? 0) || a - b).slice(0, MAX_BARS);
  const labelWidth = Math.min(20, Math.max(...shown.map((i) => [...labels[i]!].length)));
  const barWidth = Math.max(10, Math.min(50, width - labelWidth - 10));
  return (
    <Box flexDirection="column">
      {shown.map((i) => {
        const label = labels[i]!;
        const chosen = predicted.includes(i);
        const p = probabilities[i] ?? 0;
        return (
          <Text key={label} dimColor={stale}>
            <Text bold={chosen}>{label.slice(0, labelWidth).padEnd(labelWidth)} </Text>
            <Text color={chosen ? 'green' : 'gray'}>{bar(p, barWidth)}</Text>
            <Text bold={chosen}> {(100 * p).toFixed(1).padStart(5)}%</Text>
          </Text>
        );
      })}
      {shown.length < labels.length ? (
        <Text dimColor>(+{labels.length - shown.length} less probable labels)</Text>
      ) : null}
    </Box>
  );
}
