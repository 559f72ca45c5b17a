import { describe, expect, it } from 'vitest';
import { type CommandSpec, formatCommandHelp, parseCommandArgs } from './command.js';
import { samplesOption } from './commands/makemore-common.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a demo',
  description: 'A demo command.',
  options: [samplesOption('20', 'number of names')],
  examples: ['lmp demo -n 5'],
  run: async () => 0,
};

describe('option aliases', () => {
  it('reads -n, --samples and --count into the same value', () => {
    for (const args of [['-n', '5'], ['--samples', '5'], ['--count', '5'], ['--count=5']]) {
      expect(parseCommandArgs(spec, args)).toEqual({ samples: '5' });
    }
    expect(parseCommandArgs(spec, ['--count', '5', '--samples', '5'])).toEqual({ samples: '5' });
  });

  it('refuses two different values given both ways', () => {
    expect(() => parseCommandArgs(spec, ['--count', '5', '--samples', '6'])).toThrow(
      '--count is another name for --samples: give one of them, got 6 and 5',
    );
  });

  it('shows the alias in the help page', () => {
    expect(formatCommandHelp(spec)).toContain(
      '  -n, --samples N  number of names (default: 20) (also --count)',
    );
  });
});
