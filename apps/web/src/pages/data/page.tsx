import { useState } from 'preact/hooks';
import { replaceParams, route } from '../../router.js';
import {
  type Dataset,
  dataset,
  describeWords,
  linkedWordsNotice,
  MAX_LINK_CHARS,
  MAX_WORDS,
  resetDataset,
  useCustomWords,
  WORDS_PARAM,
  wordsLink,
} from '../../state/dataset.js';
import { Alert } from '../../ui/alert.js';
import { formatCount } from '../../ui/format.js';
import { decodeText } from './decode-text.js';

/** "Your data": paste or upload a word list and use it on every makemore page. */
export default function DataPage() {
  const current = dataset.value;
  const [text, setText] = useState('');
  const [lowercase, setLowercase] = useState(true);
  const [dedupe, setDedupe] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const linked = linkedWordsNotice.value;
  const linkChars = current.words.join('\n').length;

  // A list opened from a link stays in the hash; once the learner picks another list, drop it so
  // that a reload does not bring the link's list back.
  const forgetLinkedList = () => {
    if (route.value.params.has(WORDS_PARAM)) replaceParams(new URLSearchParams());
    linkedWordsNotice.value = { notice: null, error: null };
  };

  const copyLink = async () => {
    try {
      const href = wordsLink(location.href, current.words);
      setLink(href);
      setError(null);
      try {
        await navigator.clipboard.writeText(href);
        setStatus('Copied a link that includes this list: whoever opens it trains on these words.');
      } catch {
        setStatus('Copy the link below: whoever opens it trains on these words.');
      }
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const apply = (source: string, name?: string) => {
    try {
      const used = useCustomWords(source, { lowercase, dedupe, name });
      setLink(null);
      forgetLinkedList();
      setError(null);
      setStatus(
        `Using ${formatCount(used.words.length)} words from ${used.name} on every makemore page.` +
          (used.remembered
            ? ''
            : ' It is too big to keep after a reload: upload it again next time.'),
      );
    } catch (caught) {
      setStatus(null);
      setError((caught as Error).message);
    }
  };

  const upload = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      apply(decodeText(new Uint8Array(await file.arrayBuffer()), file.name), file.name);
    } catch (caught) {
      setStatus(null);
      setError((caught as Error).message);
    } finally {
      input.value = ''; // choosing the same file again fires `change` again
    }
  };

  return (
    <>
      <p class="lead">
        The makemore pages (bigram counts, the bigram net, the MLP language model) learn from a list
        of words, one per line. By default that is a list of English first names bundled with the
        app; here you can give them your own: names of another language, cities, Pokémon, chemical
        elements. Each character becomes a token, and <code class="mono">.</code> marks where a word
        starts and ends, so a word may not contain it. The list stays in this browser
        (localStorage); nothing is uploaded anywhere. A short list (up to{' '}
        {formatCount(MAX_LINK_CHARS)} characters) can travel inside a link instead.
      </p>

      {linked.notice && (
        <p class="panel" data-testid="link-words-notice">
          {linked.notice}
        </p>
      )}
      <Alert message={linked.error} />

      <section class="panel" aria-labelledby="current-heading">
        <h2 id="current-heading">In use: {current.name}</h2>
        <DatasetSummary data={current} />
        <div class="controls">
          {current.kind === 'custom' &&
            (linkChars <= MAX_LINK_CHARS ? (
              <button type="button" onClick={() => void copyLink()}>
                Copy a link that includes this list
              </button>
            ) : (
              <span class="muted">
                This list ({formatCount(linkChars)} characters) is too long for a link (at most{' '}
                {formatCount(MAX_LINK_CHARS)}): download it from the notice on a makemore page and
                send the file.
              </span>
            ))}
          <button
            type="button"
            disabled={current.kind === 'bundled'}
            onClick={() => {
              resetDataset();
              setLink(null);
              forgetLinkedList();
              setError(null);
              setStatus('Using the bundled names again.');
            }}
          >
            Use bundled names
          </button>
        </div>
        {link && current.kind === 'custom' && (
          <label class="block">
            Link with this list
            <input type="text" class="mono" readOnly value={link} data-testid="words-link" />
          </label>
        )}
      </section>

      <section class="panel" aria-labelledby="new-heading">
        <h2 id="new-heading">Use your own words</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            apply(text);
          }}
        >
          <label class="block" for="words-text">
            Words, one per line
          </label>
          <textarea
            id="words-text"
            class="mono"
            rows={8}
            spellcheck={false}
            placeholder={'emma\nolivia\nava\n…'}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
          <div class="controls">
            <label class="inline">
              <input
                type="checkbox"
                checked={lowercase}
                onChange={(event) => setLowercase(event.currentTarget.checked)}
              />
              Lowercase every word
            </label>
            <label class="inline">
              <input
                type="checkbox"
                checked={dedupe}
                onChange={(event) => setDedupe(event.currentTarget.checked)}
              />
              Remove duplicates
            </label>
            <button type="submit" class="primary" disabled={text.trim() === ''}>
              Use these words
            </button>
          </div>
        </form>
        <div class="controls">
          <label>
            Or upload a .txt file (UTF-8, at most {formatCount(MAX_WORDS)} words)
            <input
              type="file"
              accept=".txt,text/plain"
              onChange={(event) => void upload(event.currentTarget)}
            />
          </label>
        </div>
        <Alert message={error} />
        <p role="status" class="muted">
          {status ?? ''}
        </p>
      </section>
    </>
  );
}

function DatasetSummary({ data }: { data: Dataset }) {
  const stats = describeWords(data.words);
  return (
    <>
      <p class="muted">{data.summary}</p>
      <dl class="facts">
        <div>
          <dt>Words</dt>
          <dd>{formatCount(stats.words)}</dd>
        </div>
        <div>
          <dt>Vocabulary</dt>
          <dd>
            {stats.characters.length + 1} tokens: <code class="mono">.</code> and{' '}
            {stats.characters.length} characters
          </dd>
        </div>
        <div>
          <dt>Length</dt>
          <dd>
            {stats.shortest} to {stats.longest} characters, {stats.meanLength.toFixed(1)} on average
          </dd>
        </div>
      </dl>
      <p>
        <span class="muted">Characters: </span>
        <code class="mono chars" data-testid="vocabulary">
          {stats.characters.map((c) => (c === ' ' ? '␣' : c)).join(' ')}
        </code>
      </p>
      <p>
        <span class="muted">Examples: </span>
        <span class="mono" data-testid="examples">
          {stats.examples.join(', ')}
        </span>
      </p>
    </>
  );
}
