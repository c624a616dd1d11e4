// A one-line text input: typed and pasted characters append, Backspace deletes, Ctrl-U clears,
// Enter submits. The caller owns the value. Arrow keys are left to the screen (they adjust settings).
// Its label never shrinks, and in a short terminal the line shows the end of a long value (`…` then what
// was typed last) instead of wrapping: a wrapping input pushed the key help off a 40×10 screen.
import { useRef, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useTerminalSize } from './Screen';
import { useKeys } from './useKeys';

export interface TextInputProps {
  value: string;
  onChange(value: string): void;
  onSubmit?(value: string): void;
  /** Shown dimmed while the value is empty. */
  placeholder?: string;
  /** Whether keys go to this input (false while another part of the screen has focus). */
  isActive?: boolean;
  /** Shown before the input at its full width, e.g. `pt › `. */
  label?: ReactNode;
}

export function TextInput({ value, onChange, onSubmit, placeholder = '', isActive = true, label }: TextInputProps) {
  const { compact } = useTerminalSize();
  // Keys can arrive faster than renders; each edit starts from the last value this input produced.
  const current = useRef(value);
  current.current = value;
  const change = (next: string) => {
    current.current = next;
    onChange(next);
  };
  useKeys(
    (input, key) => {
      const value = current.current;
      if (key.return) return onSubmit?.(value);
      if (key.backspace || key.delete) return change([...value].slice(0, -1).join(''));
      if (key.ctrl && input === 'u') return change('');
      if (
        key.ctrl ||
        key.meta ||
        key.tab ||
        key.escape ||
        key.upArrow ||
        key.downArrow ||
        key.leftArrow ||
        key.rightArrow ||
        key.pageUp ||
        key.pageDown
      )
        return;
      // A chunk can hold a whole typed line and its Enter (fast typing, a paste, tmux send-keys):
      // line breaks inside it join lines with a space, and a trailing one submits.
      const submits = /[\r\n]$/.test(input);
      const text = input
        .replace(/[\r\n]+$/, '')
        .replace(/\r\n|\r|\n/g, ' ')
        .replace(/[\u0000-\u001f\u007f]/g, '');
      if (text) change(value + text);
      if (submits && input.length > 1) onSubmit?.(value + text);
    },
    { isActive },
  );
  // The placeholder is cut to one line (the cursor before it) so a narrow terminal keeps its rows for content.
  const line =
    !value && isActive ? (
      <Text wrap="truncate-end">
        <Text inverse> </Text>
        <Text dimColor>{placeholder}</Text>
      </Text>
    ) : (
      <Text wrap={compact ? 'truncate-start' : 'wrap'}>
        {value}
        {isActive ? <Text inverse> </Text> : null}
      </Text>
    );
  if (label === undefined) return line;
  return (
    <Box>
      <Box flexShrink={0}>{label}</Box>
      {line}
    </Box>
  );
}
