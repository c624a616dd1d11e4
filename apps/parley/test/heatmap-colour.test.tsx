// The heatmaps and the word-weight line are tinted where the terminal shows colour (their shading alone carries the weights elsewhere).
import { describe, expect, it } from 'vitest';

const props = {
  sourceTokens: ['eu', 'gosto'],
  targetTokens: ['i', 'like'],
  attention: [
    [0.9, 0.1],
    [0.2, 0.8],
  ],
  width: 80,
};

describe('heatmap colour', () => {
  it('tints strong and weak cells with different colours when the terminal shows colour', async () => {
    // Colour support is read when chalk loads, so set it before loading Ink (each test file has its own modules).
    process.env.FORCE_COLOR = '3';
    const { render } = await import('ink-testing-library');
    const { HeatmapView } = await import('../src/app/components/HeatmapView');
    const { lastFrame, unmount } = render(<HeatmapView {...props} />);
    const frame = lastFrame()!;
    // The strong cell (0.9) and the weak one (0.1) each carry a colour code, and not the same one.
    const strong = /\u001b\[([\d;]+)m█████/.exec(frame);
    const weak = /\u001b\[([\d;]+)m░░░░░/.exec(frame);
    expect(strong).not.toBeNull();
    expect(weak).not.toBeNull();
    expect(strong![1]).not.toBe(weak![1]);
    unmount();
  });
});

describe('classifier views in colour', () => {
  it('tints a confusion matrix by row share and the words by their weight, towards and against differently', async () => {
    process.env.FORCE_COLOR = '3';
    const { render } = await import('ink-testing-library');
    const { ConfusionView } = await import('../src/app/components/ConfusionView');
    const { WordWeightsView } = await import('../src/app/components/WordWeightsView');
    const confusion = render(
      <ConfusionView
        labels={['neg', 'pos']}
        matrix={[
          [9, 1],
          [2, 8],
        ]}
        width={60}
      />,
    );
    const matrix = confusion.lastFrame()!;
    const full = /\u001b\[([\d;]+)m\s*██ 9/.exec(matrix);
    const light = /\u001b\[([\d;]+)m\s*░░ 1/.exec(matrix);
    expect(full).not.toBeNull();
    expect(light).not.toBeNull();
    expect(full![1]).not.toBe(light![1]);
    confusion.unmount();
    const words = render(
      <WordWeightsView
        importance={{
          label: 1,
          method: 'log-likelihood ratio',
          words: [
            { word: 'great', weight: 1.2 },
            { word: 'plot', weight: 0 },
            { word: 'dull', weight: -0.9 },
          ],
        }}
        labels={['neg', 'pos']}
        width={60}
      />,
    );
    const line = words.lastFrame()!;
    const colour = (word: string) => new RegExp(`\\u001b\\[([\\d;]+)m ?${word}`).exec(line)?.[1];
    expect(colour('great')).toBeDefined();
    expect(colour('dull')).toBeDefined();
    expect(colour('plot')).toBeDefined();
    expect(new Set([colour('great'), colour('dull'), colour('plot')]).size).toBe(3);
    words.unmount();
  });
});
