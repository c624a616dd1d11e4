// Home: pick a job, see which models are loaded and which backend runs.
import { useState } from 'react';
import { Box, Text, useApp } from 'ink';
import { useKeys } from '../components/useKeys';
import { Keys } from '../components/Keys';
import { Screen, useTerminalSize } from '../components/Screen';
import { Title } from '../components/Title';
import type { Loadable, ModelInfo, Services } from '../services';

export type ScreenName = 'chat' | 'translate' | 'train' | 'evaluate';

const JOBS: { screen: ScreenName; key: string; label: string; about: string }[] = [
  { screen: 'chat', key: 'c', label: 'Chat', about: 'talk with Sheldon, character by character' },
  { screen: 'translate', key: 't', label: 'Translate', about: 'Portuguese → English, n-best and attention' },
  { screen: 'train', key: 'r', label: 'Train', about: 'start or resume a run from a YAML config' },
  { screen: 'evaluate', key: 'e', label: 'Evaluate', about: 'BLEU / chrF / TER with signatures and CIs' },
];

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

export function Home({ services, onOpen }: { services: Services; onOpen(screen: ScreenName): void }) {
  const [selected, setSelected] = useState(0);
  const { exit } = useApp();
  const { compact } = useTerminalSize();
  useKeys((input, key) => {
    if (input === 'q') return exit();
    if (key.upArrow) setSelected((s) => (s + JOBS.length - 1) % JOBS.length);
    if (key.downArrow) setSelected((s) => (s + 1) % JOBS.length);
    if (key.return) onOpen(JOBS[selected]!.screen);
    const byKey = JOBS.find((j) => j.key === input || String(JOBS.indexOf(j) + 1) === input);
    if (byKey) onOpen(byKey.screen);
  });
  return (
    <Screen
      header={<Title note="seq2seq on TensorFlow.js" />}
      footer={
        <Keys
          keys={[
            ['↑↓ Enter', 'open'],
            ['1-4 / c t r e', 'jump'],
            ['q', 'quit'],
            ['Ctrl-C', 'quit'],
          ]}
        />
      }
    >
      <Box flexDirection="column" gap={compact ? 0 : 1}>
        <Box flexDirection="column">
          {JOBS.map((job, i) => (
            <Text key={job.screen}>
              <Text color="cyan">{i === selected ? '❯ ' : '  '}</Text>
              <Text bold={i === selected}>
                {i + 1}. {job.label.padEnd(10)}
              </Text>
              <Text dimColor>{job.about}</Text>
            </Text>
          ))}
        </Box>
        <Box flexDirection="column">
          <Text bold>Models</Text>
          <ModelLine job="chat" model={services.chat} />
          <ModelLine job="translate" model={services.translate} />
        </Box>
        <Box flexDirection="column">
          <Text>{services.backend}</Text>
          {services.backendHint ? <Text color="yellow">hint: {services.backendHint}</Text> : null}
        </Box>
      </Box>
    </Screen>
  );
}
