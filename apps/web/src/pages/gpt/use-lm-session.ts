/**
 * The GPT and RNN pages' session as one hook: the `gpt`/`zoo` kind started through `useSession`,
 * its settings sent as `configure`, and its events turned into what both pages draw — the info,
 * the progress (at most 5 redraws a second through `useSessionFlusher`), the loss chart (the MLP
 * page's `LossHistory`: every step's log10 loss, smoothed, and the validation loss), the latest
 * evaluation with its sample, errors, and every call's answer handed to `onResult`.
 */
import { type Signal, useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { SessionClient } from '../../session/client.js';
import { useSessionFlusher } from '../../session/flusher.js';
import type { SessionEvent } from '../../session/protocol.js';
import { useSession } from '../../session/use-session.js';
import { type ChartData, LossHistory } from '../mlp/loss-history.js';
import {
  type LmEvaluation,
  type LmInfo,
  type LmInit,
  type LmProgress,
  type LmSettings,
  toLmProgress,
} from './lm-kind.js';

export interface LmSession {
  session: SessionClient;
  info: Signal<LmInfo | null>;
  progress: Signal<LmProgress | null>;
  chart: Signal<ChartData>;
  latest: Signal<LmEvaluation | null>;
  /** The worker's last error (a start that failed, a broken model file). */
  error: Signal<string | null>;
  /** Sends a kind call (`generate`, `inspect`, `save`, `load`, …). */
  call: (name: string, args: unknown) => void;
}

export interface LmSessionOptions {
  key: string;
  kind: 'gpt' | 'zoo';
  init: () => LmInit;
  identity: readonly unknown[];
  settings: LmSettings;
  enabled: boolean;
  /** True: keep the settings back (the page shows why they cannot be used; the model stays). */
  hold?: boolean;
  /** Each call's answer (`{ error }` for bad input: the page shows it). */
  onResult: (name: string, value: unknown) => void;
}

export function useLmSession(options: LmSessionOptions): LmSession {
  const history = useRef(new LossHistory());
  const evaluations = useRef<LmEvaluation[]>([]);
  const offset = useRef(0);
  const info = useSignal<LmInfo | null>(null);
  const progress = useSignal<LmProgress | null>(null);
  const chart = useSignal<ChartData>([[], [], [], []]);
  const latest = useSignal<LmEvaluation | null>(null);
  const error = useSignal<string | null>(null);
  const onResult = useRef(options.onResult);
  onResult.current = options.onResult;

  const flusher = useSessionFlusher<LmProgress>(200, ({ progress: pending, dirty }) => {
    if (pending) progress.value = pending;
    if (dirty) {
      const [x, ...series] = history.current.chartData(600);
      chart.value = [x.map((step) => step + offset.current), ...series] as ChartData;
      latest.value = evaluations.current.at(-1) ?? null;
    }
  });
  const handle = (event: SessionEvent) => {
    if (event.type === 'ready') {
      history.current.clear();
      evaluations.current = [];
      offset.current = 0;
      info.value = event.info as LmInfo;
      error.value = null;
      flusher.markDirty(true);
    } else if (event.type === 'progress') {
      const message = toLmProgress(event);
      // A loaded checkpoint's run starts at its step: the history counts from there.
      if (history.current.length === 0 && evaluations.current.length === 0) {
        offset.current = message.firstStep;
      }
      if (message.losses.length > 0) {
        history.current.append(message.firstStep - offset.current, message.losses);
      }
      for (const e of message.evaluations) {
        evaluations.current.push(e);
        history.current.addEvaluation({ ...e, step: e.step - offset.current, devExamples: 0 });
      }
      if (message.losses.length > 0 || message.evaluations.length > 0) flusher.markDirty();
      flusher.progress(message);
    } else if (event.type === 'result') {
      onResult.current(event.name, event.value);
    } else if (event.type === 'error') {
      error.value = event.message;
    }
  };
  const session = useSession({
    enabled: options.enabled,
    key: options.key,
    kind: options.kind,
    init: options.init,
    identity: options.identity,
    onEvent: handle,
  });
  useEffect(() => {
    if (options.enabled && !options.hold) {
      session.send({ type: 'configure', config: options.settings });
    }
  }, [JSON.stringify(options.settings), options.hold]);
  return {
    session,
    info,
    progress,
    chart,
    latest,
    error,
    call: (name, args) => session.call(name, args),
  };
}
