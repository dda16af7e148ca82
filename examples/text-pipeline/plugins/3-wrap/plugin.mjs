// Step 3, a Node subprocess: wraps each line at 60 columns, breaking between words.
import { serve } from 'plugin-actors/guest';

const WIDTH = 60;

function wrapLine(line) {
  const lines = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  lines.push(current);
  return lines.join('\n');
}

await serve({
  wit: new URL('../../wit', import.meta.url),
  world: 'example:text-pipeline/step-plugin',
  exports: {
    'example:text-pipeline/step': {
      describe: () => `wraps lines at ${WIDTH} columns`,
      run: (text) => text.split('\n').map(wrapLine).join('\n'),
    },
  },
});
