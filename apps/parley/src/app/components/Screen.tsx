// The layout every app screen uses, so a small terminal (40×10 and up) never loses what the user needs:
// the header (title, input line) stays at the top and the footer (status, key help) at the bottom, and the
// content between them gets the rows that are left. Content taller than that is clipped, not the screen:
// a dim line says how much is hidden and PgUp/PgDn scroll it (unless the screen scrolls its content
// itself). `follow="end"` keeps the end of the content in view as it grows (a chat); the default keeps the
// start. With the terminal's height unknown (not a TTY, tests) the screen is drawn at its natural height.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Box, Text, measureElement, useStdout, type DOMElement } from 'ink';
import { useKeys } from './useKeys';

/** Below this many rows the screens drop their blank spacer lines. */
export const COMPACT_ROWS = 20;

/** The terminal's size, updated when it is resized; `compact` when it is short (see COMPACT_ROWS). */
export function useTerminalSize(): { columns: number; rows: number | undefined; compact: boolean } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 100, rows: stdout.rows || undefined });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  return { ...size, compact: size.rows !== undefined && size.rows < COMPACT_ROWS };
}

export interface ScreenProps {
  /** Always at the top: the title, and the input line where the screen has one there. */
  header: ReactNode;
  /** Always at the bottom: input line, status, errors and the key help. */
  footer: ReactNode;
  /** The part that scrolls when the terminal is too short for it. */
  children: ReactNode;
  /** Which end of the content stays in view while it does not fit: its start (default) or its end (a chat). */
  follow?: 'start' | 'end';
  /** Whether PgUp/PgDn scroll the content; false when the screen gives those keys its own meaning. */
  scrollKeys?: boolean;
}

export function Screen({ header, footer, children, follow = 'start', scrollKeys = true }: ScreenProps) {
  const { rows, compact } = useTerminalSize();
  const viewport = useRef<DOMElement>(null);
  const content = useRef<DOMElement>(null);
  // Lines of content that do not fit, and how far the view is scrolled away from the followed end.
  const [hidden, setHidden] = useState(0);
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    if (!viewport.current || !content.current || rows === undefined) return;
    const over = Math.max(0, measureElement(content.current).height - measureElement(viewport.current).height);
    if (over !== hidden) setHidden(over);
  });
  const scrolled = Math.min(offset, hidden);
  const page = Math.max(1, (rows ?? 24) - 4);
  useKeys((_, key) => {
    if (!scrollKeys || hidden === 0 || !(key.pageUp || key.pageDown)) return;
    // Offsets count from the followed end: PgUp moves away from the end, toward the start, and back.
    const away = follow === 'end' ? key.pageUp : key.pageDown;
    setOffset((o) => Math.max(0, Math.min(hidden, Math.min(o, hidden) + (away ? page : -page))));
  });
  const above = follow === 'end' ? hidden - scrolled : scrolled;
  const below = hidden - above;
  // One line less than the terminal: a frame as tall as the terminal makes Ink clear the screen on each update.
  const height = rows === undefined ? undefined : Math.max(1, rows - 1);
  const hint = scrollKeys ? (above ? ' — PgUp' : '') + (below ? ' — PgDn' : '') : '';
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" flexShrink={0} marginBottom={compact ? 0 : 1}>
        {header}
      </Box>
      <Box ref={viewport} flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
        <Box ref={content} flexDirection="column" flexShrink={0} marginTop={-above}>
          {children}
        </Box>
      </Box>
      {hidden > 0 ? (
        <Box flexShrink={0}>
          <Text dimColor wrap="truncate-end">
            {above ? `↑ ${above} line(s) above` : ''}
            {above && below ? ' · ' : ''}
            {below ? `↓ ${below} line(s) below` : ''}
            {hint}
          </Text>
        </Box>
      ) : null}
      <Box flexDirection="column" flexShrink={0} marginTop={compact ? 0 : 1}>
        {footer}
      </Box>
    </Box>
  );
}
