// Draws an attention heatmap (see draw/heatmap.ts): shaded cells, tinted when the terminal has colour.
import { Box, Text } from 'ink';
import { heatmap } from '../draw/heatmap';

export interface HeatmapViewProps {
  sourceTokens: readonly string[];
  targetTokens: readonly string[];
  /** attention[t][s] */
  attention: readonly (readonly number[])[];
  /** Columns available. */
  width: number;
}

export function HeatmapView({ sourceTokens, targetTokens, attention, width }: HeatmapViewProps) {
  const map = heatmap(sourceTokens, targetTokens, attention, width);
  return (
    <Box flexDirection="column">
      <Text bold>{map.header}</Text>
      {map.rows.map((row, i) => (
        <Text key={i}>
          <Text bold>{row.label}</Text>
          {row.cells.map((cell, j) => (
            <Text key={j} color={cell.color}>
              {cell.text}
            </Text>
          ))}
        </Text>
      ))}
      {map.hiddenColumns > 0 ? <Text dimColor>(+{map.hiddenColumns} source tokens not shown)</Text> : null}
      <Text dimColor>rows: English (generated) · columns: Portuguese (source) · ░▒▓█ = more attention</Text>
    </Box>
  );
}
