// The key legend every screen shows at the bottom: `Enter send · Tab settings · Esc back`.
import { Box, Text } from 'ink';

export function Keys({ keys }: { keys: [key: string, action: string][] }) {
  return (
    <Box flexWrap="wrap">
      {keys.map(([key, action], i) => (
        <Text key={key}>
          {i > 0 ? <Text dimColor> · </Text> : null}
          <Text bold color="cyan">
            {key}
          </Text>
          <Text dimColor> {action}</Text>
        </Text>
      ))}
    </Box>
  );
}
