// Embeddings: type a word and see its nearest words by cosine similarity, as bars, updated as you type; three
// words (or explicit signs) ask for an analogy, king man woman → queen (word-query.ts reads the line). The
// vectors load when the screen first opens (GloVe takes seconds) and stay loaded. As on Classify, an answer for
// a line that has since changed is dropped, so an older answer never replaces a newer one.
import { errorMessage } from '@parley/engine/errors';
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bar } from '../draw/bar';
import { useKeys } from '../components/useKeys';
import { Keys } from '../components/Keys';
import { Screen, useTerminalSize } from '../components/Screen';
import { TextInput } from '../components/TextInput';
import { Title } from '../components/Title';
import type { EmbeddingsService, EmbeddingsSource, Neighbour } from '../services';
import { parseWordQuery } from './word-query';

/** How long the line must stay unchanged before it is looked up. */
export const DEBOUNCE_MS = 150;

export interface EmbeddingsProps {
  source: EmbeddingsSource;
  onBack(): void;
  debounceMs?: number;
}

type Answer = { line: string; shown: string } & ({ neighbours: Neighbour[] } | { error: string });

/** One neighbour per line: the word, a bar of its similarity (negative similarities draw empty) and the number. */
function NeighbourBars({ neighbours, width, stale }: { neighbours: Neighbour[]; width: number; stale: boolean }) {
  const wordWidth = Math.min(20, Math.max(4, ...neighbours.map((n) => [...n.word].length)));
  const barWidth = Math.max(10, Math.min(50, width - wordWidth - 10));
  return (
    <Box flexDirection="column">
      {neighbours.map((n, i) => (
        <Text key={n.word} dimColor={stale}>
          <Text bold={i === 0}>{n.word.slice(0, wordWidth).padEnd(wordWidth)} </Text>
          <Text color={i === 0 ? 'green' : 'gray'}>{bar(n.similarity, barWidth)}</Text>
          <Text bold={i === 0}> {n.similarity.toFixed(4).padStart(7)}</Text>
        </Text>
      ))}
    </Box>
  );
}

export function Embeddings({ source, onBack, debounceMs = DEBOUNCE_MS }: EmbeddingsProps) {
  const { columns, rows, compact } = useTerminalSize();
  const width = Math.max(20, columns - 2);
  const top = compact ? Math.max(3, Math.min(10, (rows ?? 18) - 9)) : 10; // a short terminal shows fewer
  const [service, setService] = useState<EmbeddingsService | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [line, setLine] = useState('');
  const [answer, setAnswer] = useState<Answer | undefined>();

  useEffect(() => {
    let live = true;
    source.open().then(
      (s) => live && setService(s),
      (err: unknown) => live && setLoadError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [source]);

  const query = parseWordQuery(line);
  useEffect(() => {
    if (!service || !query) return;
    let live = true;
    const { positive, negative, shown } = query;
    const timer = setTimeout(() => {
      service.query(positive, negative, top).then(
        (neighbours) => live && setAnswer({ line, shown, neighbours }),
        (err: unknown) => live && setAnswer({ line, shown, error: errorMessage(err) }),
      );
    }, debounceMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `query` is read from `line`
  }, [service, line, top, debounceMs]);

  useKeys((_, key) => {
    if (key.escape) onBack();
  });

  const shownAnswer = query ? answer : undefined;
  const stale = shownAnswer !== undefined && shownAnswer.line !== line;
  const note = service ? `${service.model.name} · ${service.model.summary}` : source.name;
  return (
    <Screen
      header={
        <Box flexDirection="column" gap={compact ? 0 : 1}>
          <Title screen="Embeddings" note={note} />
          <TextInput
            label={<Text color="green">words › </Text>}
            value={line}
            onChange={setLine}
            placeholder="a word for its neighbours; king man woman (or king - man + woman) for an analogy"
          />
        </Box>
      }
      footer={
        <Box flexDirection="column">
          {!service && !loadError ? <Text color="yellow">loading {source.name}…</Text> : null}
          {loadError ? (
            <Text color="red">
              cannot load {source.name}: {loadError}
            </Text>
          ) : null}
          <Keys
            keys={[
              ['type', 'look up'],
              ['Ctrl-U', 'clear'],
              ['Esc', 'home'],
              ['Ctrl-C', 'quit'],
            ]}
          />
        </Box>
      }
    >
      {shownAnswer ? (
        <Box flexDirection="column">
          <Text dimColor={stale}>
            <Text bold>{shownAnswer.shown}</Text>
            {'error' in shownAnswer ? null : <Text dimColor> ≈</Text>}
          </Text>
          {'error' in shownAnswer ? (
            <Text color="yellow" dimColor={stale}>
              {shownAnswer.error}
            </Text>
          ) : (
            <NeighbourBars neighbours={shownAnswer.neighbours} width={width} stale={stale} />
          )}
          {stale ? <Text dimColor>updating…</Text> : null}
        </Box>
      ) : null}
    </Screen>
  );
}
