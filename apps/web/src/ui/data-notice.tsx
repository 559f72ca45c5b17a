/**
 * Which word list a makemore page trains on, and — when it is the learner's own — that a link to
 * the page does not carry it (the list stays in this browser's storage: the same link elsewhere
 * opens with the bundled names), with a way to export the list to send along.
 */
import { dataset } from '../state/dataset.js';
import { formatCount } from './format.js';

/** The words as a UTF-8 text file, one per line (what the "Your data" page reads back). */
export function wordsFile(words: readonly string[]): string {
  return `${words.join('\n')}\n`;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name.endsWith('.txt') ? name : `${name.replace(/[^\w.-]+/g, '-')}.txt`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function DataNotice() {
  const data = dataset.value;
  if (data.kind === 'bundled') {
    return (
      <p class="muted" data-testid="data-notice">
        Using the bundled English first names ({formatCount(data.words.length)} words).{' '}
        <a href="#/data">Use your own words</a>.
      </p>
    );
  }
  return (
    <p class="muted" data-testid="data-notice">
      Using <strong>{data.name}</strong> ({formatCount(data.words.length)} words), kept in this
      browser only: a link to this page does not carry it, and opens with the bundled names anywhere
      else. To share the experiment, send the list too:{' '}
      <button type="button" onClick={() => download(data.name, wordsFile(data.words))}>
        Export the list (.txt)
      </button>{' '}
      (load it on the <a href="#/data">Your data</a> page).
    </p>
  );
}
