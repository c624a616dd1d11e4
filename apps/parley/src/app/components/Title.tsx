// The first line of each screen: `Parley › Chat` and an optional right-hand note. It stays one line in a
// narrow terminal: the note gives way (its start is cut) before the title does.
import { Box, Text } from 'ink';

export function Title({ screen, note }: { screen?: string; note?: string }) {
  return (
    <Box justifyContent="space-between" gap={1}>
      <Box flexShrink={0}>
        <Text>
          <Text bold color="magenta">
            Parley
          </Text>
          {screen ? (
            <Text>
              {' '}
              › <Text bold>{screen}</Text>
            </Text>
          ) : null}
        </Text>
      </Box>
      {note ? (
        <Box flexShrink={1}>
          <Text dimColor wrap="truncate-start">
            {note}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
