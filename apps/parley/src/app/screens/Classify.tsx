// Classify: type or paste a text and watch each label's probability as a bar, updated as you type (debounced),
// with the words that weighed most tinted on a line below. Tab switches between the app's classifiers.
// Work for a text that has since changed is aborted and its results dropped, so an older, slower answer never
// replaces a newer one; model calls yield to pending keys first, so typing never waits on the model.
import { errorMessage } from '@parley/engine/errors';
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../components/useKeys';
import { Keys } from '../components/Keys';
import { ProbabilityBars } from '../components/ProbabilityBars';
import { Screen, useTerminalSize } from '../components/Screen';
import { TextInput } from '../components/TextInput';
import { Title } from '../components/Title';
import { WordWeightsView } from '../components/WordWeightsView';
import type { ClassifierEntry, ClassifyResult, WordImportance } from '../services';

/** How long the text must stay unchanged before it is classified. */
export const DEBOUNCE_MS = 150;

export interface ClassifyProps {
  classifiers: readonly ClassifierEntry[];
  /** The classifier shown first (index into `classifiers`). */
  initial?: number;
  onBack(): void;
  debounceMs?: number;
}

/** A result and the text and classifier it belongs to. */
interface For<T> {
  text: string;
  index: number;
  value: T;
}

export function Classify({ classifiers, initial = 0, onBack, debounceMs = DEBOUNCE_MS }: ClassifyProps) {
  const { columns, compact } = useTerminalSize();
  const width = Math.max(20, columns - 2);
  const [index, setIndex] = useState(Math.min(initial, classifiers.length - 1));
  const [text, setText] = useState('');
  const [result, setResult] = useState<For<ClassifyResult> | null>(null);
  const [importance, setImportance] = useState<For<WordImportance> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const entry = classifiers[index];
  const service = entry?.service.state === 'ready' ? entry.service.service : undefined;

  useEffect(() => {
    if (!service || !text.trim()) return;
    const controller = new AbortController();
    const live = () => !controller.signal.aborted;
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const r = await service.classify(text);
          if (!live()) return;
          setResult({ text, index, value: r });
          setError(null);
          const e = await service.explain(text, controller.signal);
          if (live()) setImportance({ text, index, value: e });
        } catch (err) {
          if (live()) setError(errorMessage(err));
        }
      })();
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort(new Error('the text changed'));
    };
  }, [service, index, text, debounceMs]);

  useKeys((_, key) => {
    if (key.escape) return onBack();
    if (key.tab && classifiers.length > 1) setIndex((i) => (i + 1) % classifiers.length);
  });

  const shown = text.trim() ? result : null;
  const current = shown && shown.index === index ? shown : null;
  const words = text.trim() && importance?.index === index ? importance : null;
  const note = service ? `${entry!.name} · ${service.model.summary}` : (entry?.name ?? 'no classifier');
  return (
    <Screen
      header={
        <Box flexDirection="column" gap={compact ? 0 : 1}>
          <Title screen="Classify" note={note} />
          <Text>
            {'model '}
            {classifiers.map((c, i) => (
              <Text key={c.name}>
                {i > 0 ? <Text dimColor> · </Text> : null}
                <Text bold={i === index} color={i === index ? 'cyan' : undefined} dimColor={i !== index}>
                  {i === index ? `‹ ${c.name} ›` : c.name}
                </Text>
              </Text>
            ))}
          </Text>
          <TextInput
            label={<Text color="green">text › </Text>}
            value={text}
            onChange={setText}
            placeholder="type or paste a text; the bars follow as you type"
          />
        </Box>
      }
      footer={
        <Box flexDirection="column">
          {entry?.service.state === 'loading' ? <Text color="yellow">{entry.name} is still loading…</Text> : null}
          {entry?.service.state === 'missing' ? <Text color="red">{entry.service.error}</Text> : null}
          {error ? <Text color="red">error: {error}</Text> : null}
          <Keys
            keys={[
              ['type', 'classify'],
              ['Ctrl-U', 'clear'],
              ...(classifiers.length > 1 ? ([['Tab', 'next model']] as [string, string][]) : []),
              ['Esc', 'home'],
              ['Ctrl-C', 'quit'],
            ]}
          />
        </Box>
      }
    >
      <Box flexDirection="column" gap={compact ? 0 : 1}>
        {service && current ? (
          <Box flexDirection="column">
            <ProbabilityBars
              labels={service.labels}
              probabilities={current.value.probabilities}
              predicted={current.value.predicted}
              width={width}
              stale={current.text !== text}
            />
            <Text dimColor>{current.text !== text ? 'updating…' : `${current.value.millis.toFixed(0)} ms`}</Text>
          </Box>
        ) : null}
        {service && words ? <WordWeightsView importance={words.value} labels={service.labels} width={width} /> : null}
      </Box>
    </Screen>
  );
}
