// Every screen in a 40×10 terminal: the frame fits (never taller than the terminal, so nothing scrolls off
// its top), the title, the input line and the key help stay on screen, and content that does not fit is
// clipped with a line saying so and scrolls with PgUp/PgDn.
import { describe, expect, it } from 'vitest';
import { App } from '../src/app/App';
import type { ScreenName } from '../src/app/screens/Home';
import type { Services, TrainEvent } from '../src/app/services';
import { renderIn, scriptedChat, scriptedServices, scriptedTrain, settled, type, until } from './scripted';

const COLUMNS = 40;
const ROWS = 10;
const PGUP = '\u001b[5~';
const PGDN = '\u001b[6~';

function fits(frame: string | undefined): string {
  const lines = (frame ?? '').split('\n');
  expect(lines.length).toBeLessThan(ROWS);
  for (const line of lines) expect(line.replace(/\u001b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(COLUMNS);
  return frame!;
}

const trainRun: TrainEvent[] = [
  {
    type: 'start',
    kind: 'char-lm',
    dir: 'runs/tiny',
    totalEpochs: 4,
    stepsPerEpoch: 10,
    totalSteps: 40,
    startStep: 0,
    metric: 'bits/char',
    higherIsBetter: false,
  },
  ...Array.from({ length: 12 }, (_, i): TrainEvent => ({
    type: 'step',
    step: i + 1,
    epoch: 0,
    epochStep: i + 1,
    loss: 3 - i * 0.1,
    tokensPerSec: 1000,
    etaSec: 30,
  })),
];

async function open(screen: ScreenName | 'home', overrides: Partial<Services> = {}) {
  const app = renderIn(
    <App
      services={scriptedServices({ train: scriptedTrain(trainRun), ...overrides })}
      initialScreen={screen === 'home' ? undefined : screen}
    />,
    COLUMNS,
    ROWS,
  );
  await settled();
  return app;
}

describe('the app in a 40×10 terminal', () => {
  it('Home keeps its title and key help and scrolls the rest', async () => {
    const { stdin, lastFrame, unmount } = await open('home');
    let frame = fits(lastFrame());
    expect(frame.split('\n')[0]).toContain('Parley');
    expect(frame).toContain('Ctrl-C quit');
    expect(frame).toContain('1. Chat');
    expect(frame).toMatch(/↓ \d+ line\(s\) below/);
    expect(frame).not.toContain('backend: wasm');
    // Page Down to the end (each page is the screen's height less its title and key help)
    for (let page = 0; page < 5 && /line\(s\) below/.test(fits(lastFrame())); page++) await type(stdin, PGDN);
    frame = fits(lastFrame());
    expect(frame).toContain('backend: wasm');
    expect(frame).toMatch(/↑ \d+ line\(s\) above/);
    expect(frame).toContain('Ctrl-C quit');
    for (let page = 0; page < 5 && /line\(s\) above/.test(fits(lastFrame())); page++) await type(stdin, PGUP);
    expect(fits(lastFrame())).toContain('1. Chat');
    unmount();
  });

  it('Chat keeps the input line and key help below a growing conversation', async () => {
    const chat = scriptedChat('Fine.', 0);
    const { stdin, lastFrame, unmount } = await open('chat', { chat: { state: 'ready', service: chat } });
    for (let i = 1; i <= 4; i++) {
      await type(stdin, `line ${i}\r`);
      await until(() => chat.calls.length === i && !lastFrame()!.includes('▌'), lastFrame);
      // The newest turns, the input line and the key help: the conversation's start scrolls off.
      const frame = fits(lastFrame());
      expect(frame).toContain('Sheldon: Fine.');
      expect(frame).toContain('Leonard:  type a line');
      expect(frame).toMatch(/Enter send/);
    }
    expect(fits(lastFrame())).toMatch(/↑ \d+ line\(s\) above/);
    // A line longer than the terminal is wide shows its end on the one input line, behind the whole label
    // (it wrapped, squashed the label to "LeonardSheldon" and pushed the key help off).
    await type(stdin, 'Sheldon, what is your favourite number? Mine is seventy-three.');
    let frame = fits(lastFrame());
    expect(frame).toMatch(/Leonard: …[^\n]*seventy-three\./);
    expect(frame).toMatch(/Enter send/);
    expect(frame).toContain('Ctrl-C quit');
    await type(stdin, '\u0015'); // Ctrl-U clears it
    // Tab shows the settings panel, still above the key help.
    await type(stdin, '\t');
    frame = fits(lastFrame());
    expect(frame).toContain('speak as ‹ Leonard ›');
    expect(frame).toContain('choose setting');
    unmount();
  });

  it('Translate keeps the input line at the top and the key help at the bottom', async () => {
    const { stdin, lastFrame, unmount } = await open('translate');
    await type(stdin, 'eu gosto de gatos\r');
    await until(() => (lastFrame() ?? '').includes('i like cats'), lastFrame);
    await type(stdin, '\t'); // the heatmap: far taller than the terminal
    const frame = fits(lastFrame());
    expect(frame).toContain('pt › eu gosto de gatos');
    expect(frame).toContain('Enter translate');
    expect(frame).toMatch(/↓ \d+ line\(s\) below/);
    unmount();
  });

  it('Train keeps the config line and key help, and the dashboard scrolls', async () => {
    const { stdin, lastFrame, unmount } = await open('train');
    expect(fits(lastFrame())).toContain('config › configs/tiny.yaml');
    expect(lastFrame()).toContain('Enter start');
    await type(stdin, '\r');
    await until(() => /step\s+\S+ 12\/40/.test(lastFrame() ?? ''), lastFrame);
    const frame = fits(lastFrame());
    expect(frame).toContain('s / Esc stop');
    expect(frame).toMatch(/↓ \d+ line\(s\) below/);
    await type(stdin, PGDN);
    expect(fits(lastFrame())).toMatch(/↑ \d+ line\(s\) above/);
    await type(stdin, 's');
    await until(() => (lastFrame() ?? '').includes('Enter another run'), lastFrame);
    fits(lastFrame());
    unmount();
  });

  it('Evaluate keeps both file fields and the key help with a report below', async () => {
    const { stdin, lastFrame, unmount } = await open('evaluate');
    await type(stdin, 'sys.txt base.txt\r');
    await type(stdin, 'ref.txt\r');
    await until(() => (lastFrame() ?? '').includes('system'), lastFrame);
    const frame = fits(lastFrame());
    expect(frame).toContain('hypotheses › sys.txt base.txt');
    expect(frame).toContain('references › ref.txt');
    expect(frame).toContain('Enter next / score');
    expect(frame).toMatch(/↓ \d+ line\(s\) below/);
    unmount();
  });

  it('Classify keeps the model line, the text and the key help, with the bars and words below', async () => {
    const { stdin, lastFrame, unmount } = await open('classify');
    await type(stdin, 'a great and fun film');
    await until(() => (lastFrame() ?? '').includes('%'), lastFrame);
    const frame = fits(lastFrame());
    expect(frame).toContain('‹ sentiment ›');
    expect(frame).toContain('text › a great and fun film');
    expect(frame).toContain('Esc');
    expect(frame).toMatch(/pos\s+█+/);
    unmount();
  });

  it('Embeddings keeps the input line and key help, with the neighbours below', async () => {
    const { stdin, lastFrame, unmount } = await open('embeddings');
    await type(stdin, 'king man woman');
    await until(() => (lastFrame() ?? '').includes('≈'), lastFrame);
    const frame = fits(lastFrame());
    expect(frame).toContain('words › king man woman');
    expect(frame).toContain('king − man + woman ≈');
    expect(frame).toMatch(/^queen\s+█+/m);
    expect(frame).toContain('Esc');
    unmount();
  });

  it('a screen whose model is missing fits too', async () => {
    const app = renderIn(
      <App
        services={scriptedServices({ chat: { state: 'missing', error: 'no model in models/sheldon' } })}
        initialScreen="chat"
      />,
      COLUMNS,
      ROWS,
    );
    await settled();
    expect(fits(app.lastFrame())).toContain('no model in models/sheldon');
    expect(app.lastFrame()).toContain('Esc home');
    app.unmount();
  });
});
