// Draws a confusion matrix heatmap (see draw/confusion.ts): counts in cells shaded by their share of the row.
import { Box, Text } from 'ink';
import { confusionLayout } from '../draw/confusion';

export interface ConfusionViewProps {
  labels: readonly string[];
  /** matrix[true][predicted] counts. */
  matrix: readonly (readonly number[])[];
  /** Columns available. */
  width: number;
}

export function ConfusionView({ labels, matrix, width }: ConfusionViewProps) {
  const m = confusionLayout(labels, matrix, width);
  return (
    <Box flexDirection="column">
      <Text bold>{m.header}</Text>
      {m.rows.map((row, i) => (
        <Text key={i}>
          <Text bold>{row.label} </Text>
          {row.cells.map((cell, j) => (
            <Text key={j} color={cell.color}>
              {j > 0 ? ' ' : ''}
              {cell.text}
            </Text>
          ))}
        </Text>
      ))}
      <Text dimColor>
        rows: true label · columns: predicted · ░▒▓█ = share of the row
        {m.abbreviated ? ' · labels abbreviated (…)' : ''}
      </Text>
    </Box>
  );
}
