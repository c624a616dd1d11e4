// Chat: a multi-turn conversation with the char-LM. The user picks who they speak as; the reply streams
// in character by character; the sampling settings sit in a panel that Tab focuses and ←/→ adjust.
import { errorMessage } from '@parley/engine/errors';
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../components/useKeys';
import { Keys } from '../components/Keys';
import { TextInput } from '../components/TextInput';
import { Screen, useTerminalSize } from '../components/Screen';
import { Title } from '../components/Title';
import { type ChatService, type ChatTurn, type SamplingSettings } from '../services';
import { SETTINGS } from './settings';

export interface ChatProps {
  service: ChatService;
  onBack(): void;
  /** Starting settings (defaults to the service's, i.e. the model's resolved sampling settings). */
  initialSettings?: SamplingSettings;
}

export function Chat({ service, onBack, initialSettings = service.defaults }: ChatProps) {
  const { rows, compact } = useTerminalSize();
  const [speaker, setSpeaker] = useState(0);
  const [settings, setSettings] = useState(initialSettings);
  const [history, setHistory] = useState<ChatTurn[]>([]);
  const [streaming, setStreaming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [input, setInput] = useState('');
  const [focus, setFocus] = useState<'input' | 'settings'>('input');
  const [row, setRow] = useState(0);
  const [scroll, setScroll] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const latest = useRef({ history, streaming });
  latest.current = { history, streaming };

  useEffect(() => () => abort.current?.abort(), []);

  const you = service.speakers[speaker] ?? 'You';

  async function generate(conversation: ChatTurn[], used: SamplingSettings) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setHistory(conversation);
    setStreaming('');
    setError(null);
    setScroll(0);
    let text = '';
    try {
      for await (const ch of service.reply(conversation, used, controller.signal)) {
        if (controller.signal.aborted) break;
        text += ch;
        setStreaming(text);
      }
    } catch (err) {
      if (!controller.signal.aborted) setError(errorMessage(err));
    }
    if (controller.signal.aborted && abort.current !== controller) return;
    abort.current = null;
    setStreaming(null);
    setHistory([...conversation, { speaker: service.botSpeaker, text: text.trim() }]);
  }

  function send(text: string) {
    const { history, streaming } = latest.current;
    if (!text.trim() || streaming !== null) return;
    setInput('');
    // The seed is the conversation's: the library draws its nth reply with seed + n (replySeed in @parley/core),
    // as `parley chat --seed` does, so the panel's seed and the conversation give the reply.
    void generate([...history, { speaker: you, text: text.trim() }], settings);
  }

  function regenerate() {
    // Read through the ref: a key may arrive before the handler of the newest render is subscribed.
    const { history, streaming } = latest.current;
    if (streaming !== null) return;
    const last = history.at(-1);
    if (!last || last.speaker !== service.botSpeaker) return;
    // The next conversation seed gives a new reply; the seed shown is the one that made it.
    const next = { ...settings, seed: settings.seed + 1 };
    setSettings(next);
    void generate(history.slice(0, -1), next);
  }

  useKeys((inputKey, key) => {
    if (key.escape) {
      if (focus === 'settings') return setFocus('input');
      abort.current?.abort();
      return onBack();
    }
    if (key.tab) return setFocus((f) => (f === 'input' ? 'settings' : 'input'));
    if (key.ctrl && inputKey === 'r') return regenerate();
    if (key.pageUp) return setScroll((s) => Math.min(Math.max(0, history.length - 1), s + 5));
    if (key.pageDown) return setScroll((s) => Math.max(0, s - 5));
    if (focus === 'input') {
      if (key.upArrow) setScroll((s) => Math.min(Math.max(0, history.length - 1), s + 1));
      if (key.downArrow) setScroll((s) => Math.max(0, s - 1));
      return;
    }
    if (key.upArrow) setRow((r) => (r + SETTINGS.length) % (SETTINGS.length + 1));
    if (key.downArrow) setRow((r) => (r + 1) % (SETTINGS.length + 1));
    const dir = key.rightArrow ? 1 : key.leftArrow ? -1 : 0;
    if (dir === 0) return;
    if (row === 0) return setSpeaker((s) => (s + dir + service.speakers.length) % service.speakers.length);
    const spec = SETTINGS[row - 1]!;
    setSettings((s) => ({ ...s, [spec.key]: spec.step(s[spec.key], dir) }));
  });

  // Turns shown at once; in a short terminal the screen also clips the oldest lines of the window.
  const visible = Math.max(compact ? 1 : 4, (rows ?? 24) - 14);
  const turns: ChatTurn[] =
    streaming !== null ? [...history, { speaker: service.botSpeaker, text: streaming }] : history;
  const end = turns.length - scroll;
  const shown = turns.slice(Math.max(0, end - visible), end);

  const panel = [
    { label: 'speak as', value: you },
    ...SETTINGS.map((spec) => ({ label: spec.label, value: spec.show(settings[spec.key]) })),
  ];

  return (
    <Screen
      follow="end"
      scrollKeys={false}
      header={<Title screen="Chat" note={`${service.model.name} · you are ${you}`} />}
      footer={
        <Box flexDirection="column">
          {error ? <Text color="red">error: {error}</Text> : null}
          <TextInput
            label={<Text color="green">{you}: </Text>}
            value={input}
            onChange={setInput}
            onSubmit={send}
            isActive={focus === 'input'}
            placeholder={streaming !== null ? `${service.botSpeaker} is talking…` : 'type a line and press Enter'}
          />
          {/* In a short terminal the settings show only while Tab has them focused. */}
          {!compact || focus === 'settings' ? (
            <Box flexWrap="wrap" marginTop={compact ? 0 : 1}>
              {panel.map((p, i) => {
                const selected = focus === 'settings' && row === i;
                return (
                  <Text key={p.label}>
                    {i > 0 ? <Text dimColor> │ </Text> : null}
                    <Text inverse={selected} color={selected ? 'cyan' : undefined}>
                      {p.label} {selected ? `‹ ${p.value} ›` : <Text bold>{p.value}</Text>}
                    </Text>
                  </Text>
                );
              })}
            </Box>
          ) : null}
          <Keys
            keys={
              focus === 'input'
                ? [
                    ['Enter', 'send'],
                    ['Ctrl-R', 'regenerate'],
                    ['Tab', 'settings'],
                    ['↑↓ PgUp PgDn', 'scroll'],
                    ['Esc', 'home'],
                    ['Ctrl-C', 'quit'],
                  ]
                : [
                    ['↑↓', 'choose setting'],
                    ['←→', 'change'],
                    ['Tab/Esc', 'back to typing'],
                    ['Ctrl-R', 'regenerate'],
                    ['Ctrl-C', 'quit'],
                  ]
            }
          />
        </Box>
      }
    >
      <Box
        flexDirection="column"
        borderStyle="round"
        borderColor="gray"
        paddingX={1}
        minHeight={compact ? undefined : visible + 2}
      >
        {turns.length === 0 ? (
          <Text dimColor>
            Say something as {you}; {service.botSpeaker} answers. Tab opens the settings to speak as someone else.
          </Text>
        ) : null}
        {end - visible > 0 ? <Text dimColor>↑ {end - visible} earlier line(s) — PgUp/↑ to scroll</Text> : null}
        {shown.map((turn, i) => (
          <Text key={i} wrap="wrap">
            <Text bold color={turn.speaker === service.botSpeaker ? 'yellow' : 'green'}>
              {turn.speaker}:
            </Text>{' '}
            {turn.text}
            {streaming !== null && scroll === 0 && i === shown.length - 1 ? <Text color="gray">▌</Text> : null}
          </Text>
        ))}
        {scroll > 0 ? <Text dimColor>↓ {scroll} later line(s) — PgDn/↓</Text> : null}
      </Box>
    </Screen>
  );
}
