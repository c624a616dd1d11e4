// Evaluate: hypothesis file(s) and reference file(s) in, a BLEU / chrF / TER table out, with bootstrap
// confidence intervals, sacreBLEU signatures, and paired-test p-values when two or more systems are given.
// ←→ switch to labels: classifier predictions against gold labels, scored with the confusion matrix drawn
// as a heatmap.
import { errorMessage } from '@parley/engine/errors';
import { basename } from 'node:path';
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../components/useKeys';
import { Keys } from '../components/Keys';
import { LabelReportView } from '../components/LabelReportView';
import { TextInput } from '../components/TextInput';
import { Screen, useTerminalSize } from '../components/Screen';
import { Title } from '../components/Title';
import type { EvalReport, EvalService, LabelReport } from '../services';

/** What is scored: translations (BLEU / chrF / TER) or classifier labels (confusion matrix). */
export type EvalMode = 'translations' | 'labels';

/** Each mode's two fields: name and placeholder. */
const FIELDS = {
  translations: {
    hyps: ['hypotheses', 'system.txt [baseline.txt other.txt] (2+ files: paired test)'],
    refs: ['references', 'ref.txt [ref2.txt …]'],
  },
  labels: {
    hyps: ['predictions', 'pred.txt [other.txt] (one label per line, as parley classify prints)'],
    refs: ['gold labels', 'gold.txt (one label per line)'],
  },
} as const;

export interface EvaluateProps {
  service: EvalService;
  onBack(): void;
  /** Prefilled hypothesis paths (space-separated). */
  initialHyps?: string;
  /** Prefilled reference paths (space-separated). */
  initialRefs?: string;
  /** The mode the screen opens in. */
  initialMode?: EvalMode;
}

const split = (s: string) => s.split(/\s+/).filter(Boolean);

function cell(score: { score: number; ci?: { mean: number; halfWidth: number } } | undefined): string {
  if (!score) return '-';
  return score.ci ? `${score.score.toFixed(1)} ± ${score.ci.halfWidth.toFixed(1)}` : score.score.toFixed(1);
}

export function Evaluate({
  service,
  onBack,
  initialHyps = '',
  initialRefs = '',
  initialMode = 'translations',
}: EvaluateProps) {
  const [mode, setMode] = useState<EvalMode>(initialMode);
  const [labelReport, setLabelReport] = useState<LabelReport | null>(null);
  const [hyps, setHyps] = useState(initialHyps);
  const [refs, setRefs] = useState(initialRefs);
  const [field, setField] = useState<'hyps' | 'refs'>('hyps');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<EvalReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  const { columns, compact } = useTerminalSize();
  const names = FIELDS[mode];
  useEffect(() => () => void (alive.current = false), []);

  // The submitted field's value comes from its Enter: typed with the text in one chunk, the state is not set yet.
  async function run(hyps: string, refs: string) {
    if (busy) return;
    if (!split(hyps).length) return (setField('hyps'), setError(`give at least one ${names.hyps[0]} file`));
    if (!split(refs).length) return (setField('refs'), setError(`give the ${names.refs[0]} file`));
    if (mode === 'labels' && split(refs).length > 1) return (setField('refs'), setError('give one gold labels file'));
    setBusy(true);
    setError(null);
    try {
      if (mode === 'labels') {
        const r = await service.evaluateLabels(split(hyps), split(refs)[0]!);
        if (alive.current) setLabelReport(r);
      } else {
        const r = await service.evaluate(split(hyps), split(refs));
        if (alive.current) setReport(r);
      }
    } catch (err) {
      if (alive.current) setError(errorMessage(err));
    }
    if (alive.current) setBusy(false);
  }

  useKeys((_, key) => {
    if (key.escape) return onBack();
    if (key.tab || key.upArrow || key.downArrow) setField((f) => (f === 'hyps' ? 'refs' : 'hyps'));
    if ((key.leftArrow || key.rightArrow) && !busy) {
      setMode((m) => (m === 'labels' ? 'translations' : 'labels'));
      setError(null);
    }
  });

  const metrics = report?.systems[0]?.scores.map((s) => s.name) ?? [];
  // Systems are named by file name (the full paths are in the fields above); the first is the baseline.
  const label = (file: string, i: number) =>
    `${basename(file)}${i === 0 && report && report.systems.length > 1 ? ' (baseline)' : ''}`;
  const nameWidth = Math.max(8, ...(report?.systems.map((s, i) => label(s.file, i).length) ?? [0])) + 2;
  return (
    <Screen
      header={
        <Box flexDirection="column" gap={compact ? 0 : 1}>
          <Title screen="Evaluate" note={mode === 'labels' ? 'scikit-learn-compatible' : 'sacreBLEU-compatible'} />
          <Text>
            {'score '}
            {(['translations', 'labels'] as const).map((m, i) => (
              <Text key={m}>
                {i > 0 ? <Text dimColor> · </Text> : null}
                <Text bold={m === mode} color={m === mode ? 'cyan' : undefined} dimColor={m !== mode}>
                  {m === mode ? `‹ ${m} ›` : m}
                </Text>
              </Text>
            ))}
          </Text>
          <Box flexDirection="column">
            <TextInput
              label={<Text color={field === 'hyps' ? 'cyan' : undefined}>{names.hyps[0]} › </Text>}
              value={hyps}
              onChange={setHyps}
              onSubmit={(h) => (split(refs).length ? void run(h, refs) : setField('refs'))}
              isActive={field === 'hyps' && !busy}
              placeholder={names.hyps[1]}
            />
            <TextInput
              label={<Text color={field === 'refs' ? 'cyan' : undefined}>{names.refs[0]} › </Text>}
              value={refs}
              onChange={setRefs}
              onSubmit={(r) => void run(hyps, r)}
              isActive={field === 'refs' && !busy}
              placeholder={names.refs[1]}
            />
          </Box>
        </Box>
      }
      footer={
        <Box flexDirection="column">
          {busy ? (
            <Text color="yellow">{mode === 'labels' ? 'scoring…' : 'scoring (bootstrap resampling)…'}</Text>
          ) : null}
          {error ? <Text color="red">error: {error}</Text> : null}
          <Keys
            keys={[
              ['Enter', 'next / score'],
              ['Tab', 'switch field'],
              ['←→', mode === 'labels' ? 'score translations' : 'score labels'],
              ['Esc', 'home'],
              ['Ctrl-C', 'quit'],
            ]}
          />
        </Box>
      }
    >
      {mode === 'labels' && labelReport ? (
        <LabelReportView report={labelReport} width={Math.max(40, columns - 2)} />
      ) : null}
      {mode === 'translations' && report ? (
        <Box flexDirection="column">
          <Text bold>
            {'system'.padEnd(nameWidth)}
            {metrics.map((m) => m.padStart(14)).join('')}
          </Text>
          {report.systems.map((sys, i) => (
            <Text key={sys.file}>
              {label(sys.file, i).padEnd(nameWidth)}
              {metrics.map((m) => cell(sys.scores.find((s) => s.name === m)).padStart(14)).join('')}
            </Text>
          ))}
          {report.systems.length > 1 ? (
            <Box flexDirection="column" marginTop={1}>
              <Text>
                p-values vs {basename(report.systems[0]!.file)}{' '}
                <Text dimColor>({report.pairedTest}; * = p &lt; 0.05)</Text>
              </Text>
              {report.systems.slice(1).map((sys, i) => (
                <Text key={sys.file}>
                  {'  '}
                  {label(sys.file, i + 1).padEnd(nameWidth - 2)}
                  {sys.scores
                    .filter((s) => s.pValue !== undefined)
                    .map((s) => `${s.name} ${s.pValue!.toFixed(4)}${s.pValue! < 0.05 ? '*' : ' '}`.padStart(14))
                    .join('')}
                </Text>
              ))}
            </Box>
          ) : null}
          <Text dimColor>± = 95% bootstrap confidence interval · {report.millis.toFixed(0)} ms</Text>
          <Box flexDirection="column" marginTop={1}>
            {report.systems[0]?.scores.map((s) => (
              <Text key={s.name} dimColor wrap="truncate-end">
                {s.name}: {s.signature}
              </Text>
            ))}
          </Box>
        </Box>
      ) : null}
    </Screen>
  );
}
