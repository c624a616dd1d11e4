// Train: pick a YAML config (or type its path), start a new run, resume one or (classifier configs) cross-validate
// it in k folds, and watch the dashboard. `s` stops the run; the trainer saves a checkpoint before it ends.
import { errorMessage } from '@parley/engine/errors';
import { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../components/useKeys';
import { Dashboard } from '../components/Dashboard';
import { Keys } from '../components/Keys';
import { TextInput } from '../components/TextInput';
import { Screen, useTerminalSize } from '../components/Screen';
import { Title } from '../components/Title';
import type { TrainEvent, TrainRun, TrainService } from '../services';
import { EMPTY_TRAIN, reduceTrain } from './train-state';

export interface TrainProps {
  service: TrainService;
  onBack(): void;
}

type Phase = 'setup' | 'starting' | 'running' | 'stopping' | 'ended';

/**
 * How a run starts, in Tab order, and how the mode line shows it: resume, a new run, or k-fold cross-validation
 * (classifier configs; `parley train --folds`).
 */
const MODES = {
  resume: { color: 'yellow', text: () => 'resume (continue from the last checkpoint, if there is one)' },
  new: { color: 'green', text: () => 'new run (starts over and replaces the run’s checkpoints)' },
  folds: {
    color: 'cyan',
    text: (k: number) => `cross-validate: ‹ ${k} › folds (classifier configs; one model per fold in its folds/)`,
  },
} as const;
type Mode = keyof typeof MODES;
const MODE_ORDER = Object.keys(MODES) as Mode[];

/** The folds a cross-validation starts with (rt-polarity is reported over 10), and the range ←→ moves in. */
export const DEFAULT_FOLDS = 10;
const MIN_FOLDS = 2;
const MAX_FOLDS = 20;

export function Train({ service, onBack }: TrainProps) {
  const { columns: width, compact } = useTerminalSize();
  const [path, setPath] = useState(service.configs[0] ?? '');
  const [pick, setPick] = useState(0);
  // Resuming is the safe default: it continues a run's last checkpoint, or starts afresh when there is none.
  const [mode, setMode] = useState<Mode>('resume');
  const [folds, setFolds] = useState(DEFAULT_FOLDS);
  const [phase, setPhase] = useState<Phase>('setup');
  const [error, setError] = useState<string | null>(null);
  const [state, dispatch] = useReducer(reduceTrain, EMPTY_TRAIN);
  const run = useRef<TrainRun | null>(null);

  useEffect(() => () => run.current?.stop(), []);

  async function start() {
    if (!path.trim()) return setError('type the path of a YAML config');
    setError(null);
    setPhase('starting');
    dispatch({ type: 'reset' });
    try {
      const r = await service.start(
        path.trim(),
        mode === 'folds' ? { resume: false, folds } : { resume: mode === 'resume' },
      );
      run.current = r;
      setPhase('running');
      for await (const event of r.events) dispatch(event as TrainEvent);
      setPhase('ended');
    } catch (err) {
      setError(errorMessage(err));
      setPhase((p) => (p === 'starting' ? 'setup' : 'ended'));
    }
    run.current = null;
  }

  function stop() {
    if (!run.current) return;
    setPhase('stopping');
    run.current.stop();
  }

  useKeys((input, key) => {
    if (phase === 'setup') {
      if (key.escape) return onBack();
      if (key.tab) return setMode((m) => MODE_ORDER[(MODE_ORDER.indexOf(m) + 1) % MODE_ORDER.length]!);
      if (mode === 'folds' && (key.leftArrow || key.rightArrow))
        return setFolds((k) => Math.min(MAX_FOLDS, Math.max(MIN_FOLDS, k + (key.rightArrow ? 1 : -1))));
      const n = service.configs.length;
      if (n && (key.upArrow || key.downArrow)) {
        const next = (pick + (key.upArrow ? n - 1 : 1)) % n;
        setPick(next);
        setPath(service.configs[next]!);
      }
      return;
    }
    if (phase === 'running' && (input === 's' || key.escape)) return stop();
    if (phase === 'ended') {
      if (key.escape) return onBack();
      if (key.return || input === 'n') {
        setPhase('setup');
        setError(null);
      }
    }
  });

  const setup = phase === 'setup' || phase === 'starting';
  return (
    <Screen
      header={
        <Box flexDirection="column">
          <Title screen="Train" note={phase === 'setup' ? undefined : path} />
          {setup ? (
            <Box flexDirection="column" marginTop={compact ? 0 : 1}>
              <TextInput
                label={<Text>config › </Text>}
                value={path}
                onChange={setPath}
                onSubmit={() => void start()}
                isActive={phase === 'setup'}
                placeholder="path/to/config.yaml"
              />
              <Text wrap="truncate-end">
                mode{' '}
                <Text bold color={MODES[mode].color}>
                  {MODES[mode].text(folds)}
                </Text>
              </Text>
            </Box>
          ) : null}
        </Box>
      }
      footer={
        <Box flexDirection="column">
          {phase === 'starting' ? <Text color="yellow">starting…</Text> : null}
          {error ? <Text color="red">error: {error}</Text> : null}
          {phase === 'stopping' ? <Text color="yellow">stopping: saving a checkpoint…</Text> : null}
          <Keys
            keys={
              phase === 'setup'
                ? [
                    ['Enter', 'start'],
                    ['Tab', 'resume / new run / cross-validate'],
                    ...(mode === 'folds' ? ([['←→', 'folds']] as [string, string][]) : []),
                    ['↑↓', 'pick a config'],
                    ['Esc', 'home'],
                    ['Ctrl-C', 'quit'],
                  ]
                : phase === 'ended'
                  ? [
                      ['Enter', 'another run'],
                      ['Esc', 'home'],
                      ['Ctrl-C', 'quit'],
                    ]
                  : [
                      ['s / Esc', 'stop (saves a checkpoint)'],
                      ['Ctrl-C', 'stop and quit'],
                    ]
            }
          />
        </Box>
      }
    >
      {setup ? (
        service.configs.length ? (
          <Box flexDirection="column">
            <Text dimColor>configs found:</Text>
            {service.configs.map((c) => (
              <Text key={c} color={c === path ? 'cyan' : undefined}>
                {c === path ? '❯ ' : '  '}
                {c}
              </Text>
            ))}
          </Box>
        ) : (
          <Text dimColor>no configs found; type the path of one</Text>
        )
      ) : (
        <Dashboard state={state} width={width} />
      )}
    </Screen>
  );
}
