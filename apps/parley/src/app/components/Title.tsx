// The first line of each screen: `Parley › Chat` and an optional right-hand note.
import { Box, Text } from 'ink';

export function Title({ screen, note }: { screen?: string; note?: string }) {
  return (
    <Box justifyContent="space-between">
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
      {note ? <Text dimColor>{note}</Text> : null}
    </Box>
  );
}
