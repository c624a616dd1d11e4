// The Evaluate screen's label report: accuracy, macro-F1 and weighted F1 per predictions file, and each file's
// confusion matrix as a heatmap.
import { basename } from 'node:path';
import { Box, Text } from 'ink';
import { ConfusionView } from './ConfusionView';
import type { LabelReport } from '../services';

export function LabelReportView({ report, width }: { report: LabelReport; width: number }) {
  const nameWidth = Math.max(8, ...report.systems.map((s) => basename(s.file).length)) + 2;
  const pct = (x: number) => (100 * x).toFixed(2).padStart(12);
  return (
    <Box flexDirection="column">
      <Text bold>
        {'predictions'.padEnd(nameWidth)}
        {['accuracy', 'macro-F1', 'weighted-F1'].map((m) => m.padStart(12)).join('')}
      </Text>
      {report.systems.map((s) => (
        <Text key={s.file}>
          {basename(s.file).padEnd(nameWidth)}
          {pct(s.accuracy)}
          {pct(s.macroF1)}
          {pct(s.weightedF1)}
        </Text>
      ))}
      <Text dimColor>
        {report.texts} texts · {report.labels.length} labels · {report.millis.toFixed(0)} ms
      </Text>
      {report.systems.map((s) => (
        <Box key={s.file} flexDirection="column" marginTop={1}>
          <Text>
            confusion matrix of <Text bold>{basename(s.file)}</Text>
          </Text>
          <ConfusionView labels={report.labels} matrix={s.confusion} width={width} />
        </Box>
      ))}
    </Box>
  );
}
