// The Classify screen: bars that follow the text with the bundled models (naive Bayes sentiment and the
// disaster-tweets BiLSTM), the word-importance line, results for an older text never replacing a newer one's,
// and the Home entries with Esc back.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { initBackend } from '@parley/engine';
import { App } from '../src/app/App';
import { loadClassifyService } from '../src/app/real/classify';
import { ProbabilityBars } from '../src/app/components/ProbabilityBars';
import { Classify } from '../src/app/screens/Classify';
import type { ClassifierEntry } from '../src/app/services';
import { BUNDLED_MODELS_DIR } from '../src/paths';
import { ESC, TAB, scriptedClassify, scriptedServices, settled, type, until } from './scripted';

const CLEAR = '\u0015'; // Ctrl-U

/** The percentage drawn after `label`'s bar, or undefined when there is no bar for it. */
function percent(frame: string, label: string): number | undefined {
  const m = new RegExp(`^${label}\\s+[█▉▊▋▌▍▎▏░]+\\s+([\\d.]+)%`, 'm').exec(frame);
  return m ? Number(m[1]) : undefined;
}

const bundled = (name: string) => join(BUNDLED_MODELS_DIR, name);
const haveModels = existsSync(join(bundled('sentiment'), 'manifest.json'));
if (!haveModels) console.log('classify.test: skipping the bundled-model tests (apps/parley/models/sentiment missing)');

describe.skipIf(!haveModels)('Classify screen on the bundled models', () => {
  let entries: ClassifierEntry[];
  beforeAll(async () => {
    await initBackend();
    entries = [];
    for (const name of ['sentiment', 'disaster-tweets'])
      entries.push({ name, service: { state: 'ready', service: await loadClassifyService(bundled(name)) } });
  });

  it('flips the top label from a clearly positive to a clearly negative review, with the words that weighed', async () => {
    const { stdin, lastFrame, unmount } = render(<Classify classifiers={entries} onBack={() => {}} />);
    await settled();
    const review = 'a wonderful , moving film with brilliant performances';
    await type(stdin, review);
    await until(() => (percent(lastFrame()!, 'pos') ?? 0) > 50 && lastFrame()!.includes('words for pos'), lastFrame);
    let frame = lastFrame()!;
    expect(percent(frame, 'neg')! + percent(frame, 'pos')!).toBeCloseTo(100, 0);
    expect(frame).toContain('naive Bayes log-likelihood ratio');
    expect(frame).toMatch(/^a wonderful , moving film with brilliant performances$/m);
    expect(frame).toMatch(/towards pos: .*wonderful \+\d\.\d\d/);
    await type(stdin, CLEAR);
    await type(stdin, 'a dull , tedious mess with no laughs');
    await until(() => (percent(lastFrame()!, 'neg') ?? 0) > 50 && lastFrame()!.includes('words for neg'), lastFrame);
    frame = lastFrame()!;
    expect(percent(frame, 'pos')).toBeLessThan(50);
    expect(frame).toMatch(/towards neg: .*(dull|tedious|mess)/);
    unmount();
  });

  it('switches to the BiLSTM with Tab and explains it by leave-one-out', async () => {
    const { stdin, lastFrame, unmount } = render(<Classify classifiers={entries} onBack={() => {}} />);
    await settled();
    await type(stdin, TAB);
    expect(lastFrame()).toContain('‹ disaster-tweets ›');
    await type(stdin, 'forest fire near the town , residents asked to evacuate');
    await until(() => lastFrame()!.includes('leave-one-out'), lastFrame);
    const frame = lastFrame()!;
    expect(percent(frame, 'disaster')).toBeGreaterThan(50);
    expect(frame).toMatch(/^forest fire near the town , residents asked to evacuate$/m);
    // A shade mark under the words: the strongest word gets █.
    expect(frame).toContain('█');
    unmount();
  });
});

describe('Classify screen (scripted)', () => {
  it('never lets the answer for an older text replace a newer one', async () => {
    const release = new Map<string, () => void>();
    const service = scriptedClassify((text) => new Promise<void>((r) => release.set(text, r)));
    const entries: ClassifierEntry[] = [{ name: 'sentiment', service: { state: 'ready', service } }];
    const { stdin, lastFrame, unmount } = render(<Classify classifiers={entries} onBack={() => {}} debounceMs={1} />);
    await settled();
    await type(stdin, 'good');
    await until(() => release.has('good'), lastFrame);
    await type(stdin, ' bad bad');
    await until(() => release.has('good bad bad'), lastFrame);
    release.get('good bad bad')!();
    await until(() => service.explained.includes('good bad bad'), lastFrame);
    await until(() => lastFrame()!.includes('words for neg'), lastFrame);
    release.get('good')!();
    await until(() => service.answered.includes('good'), lastFrame);
    await settled(); // the screen's handling of the old answer, and any render it would cause
    const frame = lastFrame()!;
    expect(percent(frame, 'neg')).toBeGreaterThan(50);
    expect(frame).toContain('words for neg');
    expect(service.explained).not.toContain('good');
    unmount();
  });

  it('is offered on Home once per classifier, opens from there and goes back with Esc', async () => {
    const services = scriptedServices({
      classifiers: [
        { name: 'sentiment', service: { state: 'ready', service: scriptedClassify() } },
        { name: 'disaster-tweets', service: { state: 'loading' } },
      ],
    });
    const { stdin, lastFrame, unmount } = render(<App services={services} />);
    await settled();
    expect(lastFrame()).toMatch(/5\. Classify\s+sentiment: neg \/ pos, word by word/);
    expect(lastFrame()).toMatch(/6\. Classify\s+disaster-tweets, word by word/);
    expect(lastFrame()).toMatch(/classify\s+● sentiment naive Bayes/);
    expect(lastFrame()).toMatch(/classify\s+loading…/);
    expect(lastFrame()).toContain('1-7 / c t r e w');
    await type(stdin, '5');
    expect(lastFrame()).toContain('Parley › Classify');
    expect(lastFrame()).toContain('‹ sentiment ›');
    await type(stdin, 'great fun');
    await until(() => lastFrame()!.includes('words for pos'), lastFrame);
    expect(lastFrame()).toMatch(/towards pos: great \+1\.00, fun \+1\.00/);
    await type(stdin, ESC);
    await until(() => lastFrame()!.includes('1. Chat'), lastFrame);
    await type(stdin, '6');
    expect(lastFrame()).toContain('disaster-tweets is still loading');
    unmount();
  });

  it('shows the ten most probable of many labels, most probable first', () => {
    const labels = Array.from({ length: 12 }, (_, i) => `topic${i}`);
    const probabilities = labels.map((_, i) => (i === 7 ? 0.9 : i / 100));
    const { lastFrame, unmount } = render(
      <ProbabilityBars labels={labels} probabilities={probabilities} predicted={[7]} width={80} />,
    );
    const rows = lastFrame()!.split('\n');
    expect(rows[0]).toMatch(/^topic7 .* 90\.0%$/);
    expect(rows[1]).toMatch(/^topic11 /);
    expect(rows.filter((r) => r.startsWith('topic'))).toHaveLength(10);
    expect(lastFrame()).not.toMatch(/^topic0 /m);
    expect(lastFrame()).toContain('(+2 less probable labels)');
    unmount();
  });
});
