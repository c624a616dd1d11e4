import { describe, expect, it } from 'vitest';
import { useState } from 'react';
import { render } from 'ink-testing-library';
import { TextInput } from '../src/app/components/TextInput';
import { settled, type } from './scripted';

function Harness({ submitted }: { submitted: string[] }) {
  const [value, setValue] = useState('');
  return (
    <TextInput
      value={value}
      onChange={setValue}
      onSubmit={(line) => {
        submitted.push(line);
        setValue('');
      }}
    />
  );
}

describe('TextInput', () => {
  it('submits a line whose Enter arrives in the same chunk as the text (fast typing, paste, tmux send-keys)', async () => {
    const submitted: string[] = [];
    const { stdin, lastFrame } = render(<Harness submitted={submitted} />);
    await settled();
    await type(stdin, 'Hi Sheldon\r');
    expect(submitted).toEqual(['Hi Sheldon']);
    expect(lastFrame()).not.toContain('Hi Sheldon');
  });

  it('joins a pasted multi-line text with spaces and waits for Enter when it does not end with one', async () => {
    const submitted: string[] = [];
    const { stdin, lastFrame } = render(<Harness submitted={submitted} />);
    await settled();
    await type(stdin, 'one\ntwo');
    expect(submitted).toEqual([]);
    expect(lastFrame()).toContain('one two');
    await type(stdin, '\r');
    expect(submitted).toEqual(['one two']);
  });
});
