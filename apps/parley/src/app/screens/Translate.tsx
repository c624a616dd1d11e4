// Translate: a Portuguese line in, the n-best English translations with scores out, and the attention
// heatmap of the chosen hypothesis (Tab shows/hides it). ←/→ change the beam size.
import { errorMessage } from '@parley/engine/errors';
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../components/useKeys';
import { HeatmapView } from '../components/HeatmapView';
import { Keys } from '../components/Keys';
import { TextInput } from '../components/TextInput';
import { Screen, useTerminalSize } from '../components/Screen';
import { Title } from '../components/Title';
import type { TranslateService, TranslationResult } from '../services';

export const MAX_BEAM = 16;
export const MAX_NBEST = 5;

export interface TranslateProps {
  service: TranslateService;
  onBack(): void;
  /** Starting beam size (defaults to the service's, i.e. the model's resolved beam size). */
  initialBeam?: number;
}

export function Translate({ service, onBack, initialBeam = service.defaultBeam }: TranslateProps) {
  const { columns, compact } = useTerminalSize();
  const [input, setInput] = useState('');
  const [beam, setBeam] = useState(initialBeam);
  const [showMap, setShowMap] = useState(false);
  const [selected, setSelected] = useState(0);
  const [busy, setBusy] = useState(false);
  const [source, setSource] = useState('');
  const [result, setResult] = useState<TranslationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  async function translate(text: string) {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await service.translate(text.trim(), { beam, nBest: Math.min(beam, MAX_NBEST) });
      if (!alive.current) return;
      setSource(text.trim());
      setResult(r);
      setSelected(0);
    } catch (err) {
      if (alive.current) setError(errorMessage(err));
    }
    if (alive.current) setBusy(false);
  }

  useKeys((_, key) => {
    if (key.escape) return onBack();
    if (key.tab) return setShowMap((s) => !s);
    if (key.rightArrow) setBeam((b) => Math.min(MAX_BEAM, b + 1));
    if (key.leftArrow) setBeam((b) => Math.max(1, b - 1));
    const n = result?.hypotheses.length ?? 0;
    if (key.upArrow && n) setSelected((s) => (s + n - 1) % n);
    if (key.downArrow && n) setSelected((s) => (s + 1) % n);
  });

  const hyp = result?.hypotheses[selected];
  return (
    <Screen
      header={
        <Box flexDirection="column" gap={compact ? 0 : 1}>
          <Title screen="Translate" note={`${service.model.name} · Portuguese → English`} />
          <TextInput
            label={<Text color="green">pt › </Text>}
            value={input}
            onChange={setInput}
            onSubmit={(t) => void translate(t)}
            placeholder="escreva uma frase em português e tecle Enter"
          />
          <Text>
            beam <Text bold>{beam}</Text>
            <Text dimColor> {beam === 1 ? '(greedy)' : `(n-best ${Math.min(beam, MAX_NBEST)})`}</Text>
            {busy ? <Text color="yellow"> translating…</Text> : null}
            {result && !busy ? <Text dimColor> {result.millis.toFixed(0)} ms</Text> : null}
          </Text>
        </Box>
      }
      footer={
        <Box flexDirection="column">
          {error ? <Text color="red">error: {error}</Text> : null}
          <Keys
            keys={[
              ['Enter', 'translate'],
              ['Tab', showMap ? 'hide heatmap' : 'show heatmap'],
              ['←→', 'beam size'],
              ['↑↓', 'choose hypothesis'],
              ['Esc', 'home'],
              ['Ctrl-C', 'quit'],
            ]}
          />
        </Box>
      }
    >
      <Box flexDirection="column" gap={compact ? 0 : 1}>
        {result ? (
          <Box flexDirection="column">
            <Text dimColor>{source}</Text>
            {result.hypotheses.map((h, i) => (
              <Text key={i}>
                <Text color="cyan">{i === selected ? '❯' : ' '}</Text>
                <Text dimColor> {i + 1}. </Text>
                <Text dimColor>{h.score.toFixed(3).padStart(8)} </Text>
                <Text bold={i === 0}>{h.text || '(empty)'}</Text>
              </Text>
            ))}
            {result.hypotheses.length === 0 ? <Text color="yellow">no translation</Text> : null}
          </Box>
        ) : null}
        {showMap && hyp && result ? (
          <HeatmapView
            sourceTokens={result.sourceTokens}
            targetTokens={hyp.tokens}
            attention={hyp.attention}
            width={Math.max(40, columns - 2)}
          />
        ) : null}
        {showMap && !result ? <Text dimColor>The heatmap appears after the first translation.</Text> : null}
      </Box>
    </Screen>
  );
}
