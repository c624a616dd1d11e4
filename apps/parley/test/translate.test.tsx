import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Translate } from '../src/app/screens/Translate';
import { DOWN, LEFT, RIGHT, TAB, scriptedTranslate, settled, type, until } from './scripted';

describe('Translate screen', () => {
  it('shows the n-best list with scores, and toggles the attention heatmap with Tab', async () => {
    const service = scriptedTranslate();
    const { stdin, lastFrame, unmount } = render(<Translate service={service} onBack={() => {}} initialBeam={3} />);
    await settled();
    await type(stdin, 'eu gosto de gatos');
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('i like cats'), lastFrame);
    const frame = lastFrame()!;
    expect(frame).toMatch(/1\.\s+-0\.500 i like cats/);
    expect(frame).toMatch(/3\.\s+-1\.000 me like cats/);
    expect(frame).not.toContain('4.');
    expect(frame).not.toContain('█');
    // Heatmap on: source words across, target words down, the strongest cell fully shaded.
    await type(stdin, TAB);
    const map = lastFrame()!;
    expect(map).toMatch(/^ {4,}eu\s+gosto\s+de\s+gatos/m);
    expect(map).toMatch(/like\s+ *[░ ]+ ████/);
    expect(map).toContain('hide heatmap');
    await type(stdin, TAB);
    expect(lastFrame()).not.toMatch(/^ {4,}eu\s+gosto/m);
    expect(lastFrame()).not.toContain('█');
    unmount();
  });

  it('starts from the service’s beam size (the model’s, as parley translate resolves it)', async () => {
    const service = scriptedTranslate(4);
    const { stdin, lastFrame, unmount } = render(<Translate service={service} onBack={() => {}} />);
    await settled();
    expect(lastFrame()).toContain('beam 4');
    await type(stdin, 'olá');
    await type(stdin, '\r');
    await until(() => service.beams.length === 1, lastFrame);
    expect(service.beams).toEqual([4]);
    unmount();
  });

  it('changes the beam size with the arrow keys and uses it for the next translation', async () => {
    const service = scriptedTranslate();
    const { stdin, lastFrame, unmount } = render(<Translate service={service} onBack={() => {}} initialBeam={2} />);
    await settled();
    await type(stdin, RIGHT);
    await type(stdin, RIGHT);
    expect(lastFrame()).toContain('beam 4');
    await type(stdin, 'olá');
    await type(stdin, '\r');
    await until(() => service.beams.length === 1, lastFrame);
    expect(service.beams).toEqual([4]);
    for (let i = 0; i < 5; i++) await type(stdin, LEFT);
    expect(lastFrame()).toContain('beam 1 (greedy)');
    // ↓ moves the selection to the second hypothesis.
    await type(stdin, DOWN);
    expect(lastFrame()).toMatch(/❯ 2\./);
    unmount();
  });
});
