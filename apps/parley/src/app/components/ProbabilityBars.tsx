// One horizontal bar per label with its probability, in the model's label order (so bars do not jump while
// the text changes); predicted labels are bold and green.
import { Box, Text } from 'ink';
import { bar } from '../draw/bar';

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
  const labelWidth = Math.min(20, Math.max(...labels.map((l) => [...l].length)));
  const barWidth = Math.max(10, Math.min(50, width - labelWidth - 10));
  return (
    <Box flexDirection="column">
      {labels.map((label, i) => {
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
    </Box>
  );
}
