// The input's words tinted by how much each weighed in the top label (see draw/word-weights.ts), a shade mark
// under each word for terminals without colour, and the strongest words towards and against the label.
import { Box, Text } from 'ink';
import { strongest, wordLines } from '../draw/word-weights';
import type { WordImportance } from '../services';

export interface WordWeightsViewProps {
  importance: WordImportance;
  labels: readonly string[];
  /** Columns available. */
  width: number;
}

const METHOD_NOTE = {
  'log-likelihood ratio': 'naive Bayes log-likelihood ratio, nats',
  'leave-one-out': 'leave-one-out: how much the probability falls without the word',
};

export function WordWeightsView({ importance, labels, width }: WordWeightsViewProps) {
  const label = labels[importance.label] ?? String(importance.label);
  const format = (w: number) =>
    importance.method === 'leave-one-out'
      ? `${w >= 0 ? '+' : ''}${(100 * w).toFixed(1)}%`
      : `${w >= 0 ? '+' : ''}${w.toFixed(2)}`;
  const top = strongest(importance.words);
  const list = (ws: { word: string; weight: number }[]) =>
    ws.length ? ws.map((w) => `${w.word} ${format(w.weight)}`).join(', ') : '—';
  return (
    <Box flexDirection="column">
      <Text dimColor>
        words for <Text bold>{label}</Text> ({METHOD_NOTE[importance.method]})
      </Text>
      {wordLines(importance.words, Math.max(20, width)).map((line, i) => (
        <Box key={i} flexDirection="column">
          <Text>
            {line.map((w, j) => (
              <Text key={j} color={w.color}>
                {j > 0 ? ' ' : ''}
                {w.word}
              </Text>
            ))}
          </Text>
          <Text dimColor>{line.map((w) => w.mark).join(' ')}</Text>
        </Box>
      ))}
      <Text>
        <Text color="green">towards {label}: </Text>
        {list(top.towards)}
      </Text>
      <Text>
        <Text color="red">against: </Text>
        {list(top.against)}
      </Text>
    </Box>
  );
}
