// Home: pick a job (one Classify entry per classifier, then Embeddings), see which models are loaded and which backend runs.
import { useState } from 'react';
import { Box, Text, useApp } from 'ink';
import { useKeys } from '../components/useKeys';
import { Keys } from '../components/Keys';
import { Screen, useTerminalSize } from '../components/Screen';
import { Title } from '../components/Title';
import type { Loadable, ModelInfo, Services } from '../services';

export type ScreenName = 'chat' | 'translate' | 'train' | 'evaluate' | 'classify' | 'embeddings';

interface Job {
  screen: ScreenName;
  /** The letter that opens it (besides its number). */
  key?: string;
  label: string;
  about: string;
  /** Classify entries: which classifier. */
  classifier?: number;
}

const JOBS: Job[] = [
  { screen: 'chat', key: 'c', label: 'Chat', about: 'talk with Sheldon, character by character' },
  { screen: 'translate', key: 't', label: 'Translate', about: 'Portuguese → English, n-best and attention' },
  { screen: 'train', key: 'r', label: 'Train', about: 'start or resume a run from a YAML config' },
  { screen: 'evaluate', key: 'e', label: 'Evaluate', about: 'BLEU / chrF / TER, or labels: confusion matrix' },
];

/** What a classifier's labels are, for its Home entry (its name until it has loaded). */
function classifierAbout(entry: Services['classifiers'][number]): string {
  const s = entry.service;
  if (s.state !== 'ready') return `${entry.name}, word by word`;
  const labels = s.service.labels.length <= 4 ? s.service.labels.join(' / ') : `${s.service.labels.length} labels`;
  return `${entry.name}: ${labels}, word by word`;
}

function ModelLine({ job, model }: { job: string; model: Loadable<{ model: ModelInfo }> }) {
  return (
    <Text>
      <Text>{job.padEnd(11)}</Text>
      {model.state === 'loading' ? <Text color="yellow">loading…</Text> : null}
      {model.state === 'ready' ? (
        <Text>
          <Text color="green">● {model.service.model.name}</Text>
          <Text dimColor> {model.service.model.summary}</Text>
        </Text>
      ) : null}
      {model.state === 'missing' ? <Text color="red">○ {model.error}</Text> : null}
    </Text>
  );
}

export function Home({
  services,
  onOpen,
}: {
  services: Services;
  /** Opens a screen; `classifier` says which classifier a Classify entry stands for. */
  onOpen(screen: ScreenName, classifier?: number): void;
}) {
  const [selected, setSelected] = useState(0);
  const { exit } = useApp();
  const { compact } = useTerminalSize();
  const jobs: Job[] = [
    ...JOBS,
    ...services.classifiers.map((c, i): Job => ({
      screen: 'classify',
      label: 'Classify',
      about: classifierAbout(c),
      classifier: i,
    })),
    {
      screen: 'embeddings',
      key: 'w',
      label: 'Embeddings',
      about: `nearest words and analogies (king − man + woman) on ${services.embeddings.name}`,
    },
  ];
  const open = (job: Job) => onOpen(job.screen, job.classifier);
  useKeys((input, key) => {
    if (input === 'q') return exit();
    if (key.upArrow) setSelected((s) => (s + jobs.length - 1) % jobs.length);
    if (key.downArrow) setSelected((s) => (s + 1) % jobs.length);
    if (key.return) open(jobs[selected]!);
    const byKey = jobs.find((j, i) => (j.key !== undefined && j.key === input) || String(i + 1) === input);
    if (byKey) open(byKey);
  });
  return (
    <Screen
      header={<Title note="seq2seq on TensorFlow.js" />}
      footer={
        <Keys
          keys={[
            ['↑↓ Enter', 'open'],
            [`1-${jobs.length} / c t r e w`, 'jump'],
            ['q', 'quit'],
            ['Ctrl-C', 'quit'],
          ]}
        />
      }
    >
      <Box flexDirection="column" gap={compact ? 0 : 1}>
        <Box flexDirection="column">
          {jobs.map((job, i) => (
            <Text key={`${job.screen}${job.classifier ?? ''}`}>
              <Text color="cyan">{i === selected ? '❯ ' : '  '}</Text>
              <Text bold={i === selected}>
                {i + 1}. {job.label.padEnd(11)}
              </Text>
              <Text dimColor>{job.about}</Text>
            </Text>
          ))}
        </Box>
        <Box flexDirection="column">
          <Text bold>Models</Text>
          <ModelLine job="chat" model={services.chat} />
          <ModelLine job="translate" model={services.translate} />
          {services.classifiers.map((c) => (
            <ModelLine key={c.name} job="classify" model={c.service} />
          ))}
        </Box>
        <Box flexDirection="column">
          <Text>{services.backend}</Text>
          {services.backendHint ? <Text color="yellow">hint: {services.backendHint}</Text> : null}
        </Box>
      </Box>
    </Screen>
  );
}
