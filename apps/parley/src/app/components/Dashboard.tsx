// The training dashboard: epoch and step bars with ETA and tokens/s, the loss curve, the validation
// history with the best checkpoint starred, the samples of the latest validation, and a cross-validation's
// folds scored so far.
import { foldMeanStd } from '@parley/core';
import { Box, Text } from 'ink';
import { bar, compact, duration } from '../draw/bar';
import { chart } from '../draw/chart';
import type { TrainState } from '../screens/train-state';

/** A cross-validation's folds scored so far, and their mean ± std (population, as `parley train --folds` prints). */
function FoldScores({ folds }: { folds: TrainState['folds'] }) {
  const { mean, std } = foldMeanStd(folds.map((f) => f.value));
  const last = folds.at(-1)!;
  return (
    <Box flexDirection="column">
      <Text>
        {'cross-validation '}
        <Text bold>
          {folds.length}/{last.folds}
        </Text>
        {' folds · '}
        {last.metric}{' '}
        <Text bold color="yellow">
          {(100 * mean).toFixed(2)} ± {(100 * std).toFixed(2)}
        </Text>
      </Text>
      <Text dimColor wrap="wrap">
        {folds.map((f) => `${f.fold}: ${(100 * f.value).toFixed(2)}`).join('  ')}
      </Text>
    </Box>
  );
}

export function Dashboard({ state, width = 100 }: { state: TrainState; width?: number }) {
  const barWidth = Math.max(10, Math.min(40, width - 50));
  const epochFrac = state.totalEpochs
    ? Math.min(
        1,
        (state.epoch + (state.epochStep && state.stepsPerEpoch ? state.epochStep / state.stepsPerEpoch : 0)) /
          state.totalEpochs,
      )
    : 0;
  const stepFrac = state.totalSteps
    ? state.step / state.totalSteps
    : state.stepsPerEpoch && state.epochStep !== undefined
      ? state.epochStep / state.stepsPerEpoch
      : 0;
  const stepOf = state.totalSteps
    ? `${state.step}/${state.totalSteps}`
    : state.stepsPerEpoch
      ? `${state.epochStep ?? 0}/${state.stepsPerEpoch} in epoch`
      : String(state.step);
  const lastLoss = state.losses.at(-1);
  const curve = chart(state.losses, { width: Math.max(20, Math.min(80, width - 12)), height: 6, digits: 3 });
  const metricDigits =
    state.metric.toLowerCase().includes('bleu') || state.metric.toLowerCase().includes('chrf') ? 2 : 3;
  const history = state.validations.slice(-6);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{state.kind || 'run'}</Text>
        <Text dimColor> → {state.dir}</Text>
        {state.done ? (
          <Text color={state.done === 'stopped' ? 'yellow' : 'green'}> ■ {state.done}</Text>
        ) : (
          <Text color="green"> ▶ running</Text>
        )}
      </Text>
      {state.folds.length ? <FoldScores folds={state.folds} /> : null}
      <Text>
        {'epoch '}
        <Text color="cyan">{bar(epochFrac, barWidth)}</Text>{' '}
        {Math.min(state.epoch + 1, state.totalEpochs || state.epoch + 1)}/{state.totalEpochs || '?'}
      </Text>
      <Text>
        {'step  '}
        <Text color="cyan">{bar(stepFrac, barWidth)}</Text> {stepOf}
      </Text>
      <Text>
        loss <Text bold>{lastLoss === undefined ? '-' : lastLoss.toFixed(3)}</Text>
        {'  '}tokens/s <Text bold>{compact(state.tokensPerSec)}</Text>
        {'  '}ETA <Text bold>{duration(state.etaSec)}</Text>
        {state.learningRate !== undefined ? (
          <Text>
            {'  '}lr <Text bold>{state.learningRate.toExponential(1)}</Text>
          </Text>
        ) : null}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text dimColor>
          training loss ({state.losses.length} points, step {state.step})
        </Text>
        {curve.map((line, i) => (
          <Text key={i} color="green">
            {line}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text dimColor>
          validation {'step'.padStart(7)} {'loss'.padStart(7)} {state.metric.padStart(9)}
        </Text>
        {history.length === 0 ? <Text dimColor> (none yet)</Text> : null}
        {history.map((v) => (
          <Text key={v.step} color={v.best ? 'yellow' : undefined}>
            {v.best ? '  ★ best   ' : '           '}
            {String(v.step).padStart(7)} {v.loss.toFixed(3).padStart(7)} {v.metric.toFixed(metricDigits).padStart(9)}
          </Text>
        ))}
        {state.bestCheckpoint ? (
          <Text dimColor>
            best checkpoint: step {state.bestCheckpoint.step} · {state.bestCheckpoint.path}
          </Text>
        ) : null}
        {state.lastCheckpoint && state.done === 'stopped' ? (
          <Text color="yellow">
            saved checkpoint: step {state.lastCheckpoint.step} · {state.lastCheckpoint.path}
          </Text>
        ) : null}
      </Box>
      {state.samples.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>samples at step {state.samplesStep}</Text>
          {state.samples.slice(0, 4).map((s, i) => (
            <Text key={i} wrap="truncate-end">
              {'  '}
              {s}
            </Text>
          ))}
        </Box>
      ) : null}
      {state.log.map((line, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
