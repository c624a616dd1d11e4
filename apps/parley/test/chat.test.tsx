import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../src/app/App';
import { Chat } from '../src/app/screens/Chat';
import { DOWN, RIGHT, TAB, scriptedChat, scriptedServices, settled, type, until } from './scripted';

describe('Chat screen', () => {
  it('streams the reply to a typed message character by character', async () => {
    const service = scriptedChat('Bazinga! I am not crazy, my mother had me tested.', 8);
    const { stdin, lastFrame, frames, unmount } = render(<Chat service={service} onBack={() => {}} />);
    await settled();
    await type(stdin, 'Hi Sheldon');
    expect(lastFrame()).toContain('Leonard: Hi Sheldon');
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('my mother had me tested.') && !lastFrame()!.includes('▌'), lastFrame);
    // The reply appeared in pieces: some frame showed a partial reply with the streaming cursor.
    expect(frames.some((f) => /Sheldon: Baz[^\n]*▌/.test(f) && !f.includes('tested.'))).toBe(true);
    expect(lastFrame()).toMatch(/Leonard: Hi Sheldon[\s\S]*Sheldon: Bazinga!/);
    expect(service.calls[0]).toMatchObject({ speaker: 'Leonard', lastLine: 'Hi Sheldon', seed: 1 });
    unmount();
  });

  it('lets the user speak as another character and adjust sampling settings with keys', async () => {
    const service = scriptedChat('Hello.');
    const { stdin, lastFrame, unmount } = render(<Chat service={service} onBack={() => {}} />);
    await settled();
    expect(lastFrame()).toContain('temperature 0.70');
    await type(stdin, TAB); // focus the settings panel, on "speak as"
    await type(stdin, RIGHT);
    expect(lastFrame()).toContain('speak as ‹ Penny ›');
    await type(stdin, DOWN);
    await type(stdin, RIGHT);
    expect(lastFrame()).toContain('temperature ‹ 0.80 ›');
    await type(stdin, TAB); // back to typing
    await type(stdin, 'Knock knock');
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('Sheldon: Hello.') && !lastFrame()!.includes('▌'), lastFrame);
    expect(lastFrame()).toContain('Penny: Knock knock');
    expect(service.calls[0]!.speaker).toBe('Penny');
    unmount();
  });

  it('passes the conversation’s seed with every reply, as parley chat --seed does; a seed set in the panel is used', async () => {
    // The service (chatReply) draws reply n with seed + n; the screen does not advance the seed itself.
    const service = scriptedChat('Hi.');
    const { stdin, lastFrame, unmount } = render(<Chat service={service} onBack={() => {}} />);
    await settled();
    for (const [n, line] of ['Hey', 'How are you?'].entries()) {
      await type(stdin, line);
      await type(stdin, '\r');
      await until(() => service.calls.length === n + 1 && !lastFrame()!.includes('▌'), lastFrame);
    }
    expect(service.calls.map((c) => c.seed)).toEqual([1, 1]);
    expect(lastFrame()).toContain('seed 1');
    await type(stdin, TAB);
    for (let i = 0; i < 6; i++) await type(stdin, DOWN); // speak as → … → seed
    expect(lastFrame()).toContain('seed ‹ 1 ›');
    await type(stdin, RIGHT);
    expect(lastFrame()).toContain('seed ‹ 2 ›');
    await type(stdin, TAB);
    await type(stdin, 'Bye');
    await type(stdin, '\r');
    await until(() => service.calls.length === 3 && !lastFrame()!.includes('▌'), lastFrame);
    expect(service.calls[2]).toMatchObject({ lastLine: 'Bye', seed: 2 });
    unmount();
  });

  it('regenerates the last reply with the next conversation seed', async () => {
    const service = scriptedChat('Hi.');
    const { stdin, lastFrame, unmount } = render(<Chat service={service} onBack={() => {}} />);
    await settled();
    await type(stdin, 'Hey');
    await type(stdin, '\r');
    await until(
      () => service.calls.length === 1 && !lastFrame()!.includes('▌') && lastFrame()!.includes('Sheldon: Hi.'),
      lastFrame,
    );
    await type(stdin, '\u0012'); // Ctrl-R
    await until(() => service.calls.length === 2 && !lastFrame()!.includes('▌'), lastFrame);
    expect(service.calls[1]).toMatchObject({ lastLine: 'Hey', seed: 2 });
    expect(lastFrame()!.match(/Sheldon: Hi\./g)).toHaveLength(1);
    expect(lastFrame()).toContain('seed 2');
    unmount();
  });

  it('scrolls the history with PgUp/PgDn once it is longer than the screen', async () => {
    const service = scriptedChat('Fine.', 0);
    const { stdin, lastFrame, unmount } = render(<Chat service={service} onBack={() => {}} />);
    await settled();
    for (let i = 1; i <= 6; i++) {
      await type(stdin, `line ${i}`);
      await type(stdin, '\r');
      await until(
        () => service.calls.length === i && !lastFrame()!.includes('▌') && lastFrame()!.includes(`line ${i}`),
        lastFrame,
      );
    }
    // 12 lines in a 10-line window (24-row terminal): the first two are scrolled off.
    expect(lastFrame()).toContain('↑ 2 earlier line(s)');
    expect(lastFrame()).not.toContain('line 1');
    await type(stdin, '\u001b[5~'); // PgUp
    expect(lastFrame()).toContain('Leonard: line 1');
    expect(lastFrame()).toContain('↓ 5 later line(s)');
    expect(lastFrame()).not.toContain('line 6');
    await type(stdin, '\u001b[6~'); // PgDn
    expect(lastFrame()).toContain('Leonard: line 6');
    unmount();
  });
});

describe('App', () => {
  it('opens Chat from Home and goes back with Esc', async () => {
    const { stdin, lastFrame, unmount } = render(<App services={scriptedServices()} />);
    await settled();
    expect(lastFrame()).toContain('1. Chat');
    expect(lastFrame()).toContain('● sheldon');
    expect(lastFrame()).toContain('backend: wasm');
    expect(lastFrame()).toContain('hint: npm install @tensorflow/tfjs-node');
    await type(stdin, 'c');
    expect(lastFrame()).toContain('Parley › Chat');
    await type(stdin, '\u001b');
    await until(() => lastFrame()!.includes('1. Chat'), lastFrame);
    unmount();
  });

  it('opens the screen by itself once a model that was still loading is ready', async () => {
    const loading = scriptedServices({ chat: { state: 'loading' } });
    const { stdin, lastFrame, rerender, unmount } = render(<App services={loading} />);
    await settled();
    expect(lastFrame()).toMatch(/chat\s+loading…/);
    await type(stdin, 'c');
    expect(lastFrame()).toContain('still loading');
    rerender(<App services={{ ...loading, chat: { state: 'ready', service: scriptedChat() } }} />);
    await settled();
    expect(lastFrame()).toContain('Say something as Leonard');
    unmount();
  });

  it('says clearly when a model is missing instead of opening its screen', async () => {
    const services = scriptedServices({
      translate: { state: 'missing', error: 'no model in apps/parley/models/pt-en (manifest.json not found)' },
    });
    const { stdin, lastFrame, unmount } = render(<App services={services} />);
    await settled();
    expect(lastFrame()).toContain('○ no model in apps/parley/models/pt-en');
    await type(stdin, 't');
    expect(lastFrame()).toContain('Parley › Translate');
    expect(lastFrame()).toContain('manifest.json not found');
    unmount();
  });
});
