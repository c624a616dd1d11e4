// The heatmap is tinted where the terminal shows colour (its shading alone carries the weights elsewhere).
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
