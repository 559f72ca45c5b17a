import { findPage } from '../registry.js';
import { learningPath } from './learning-path.js';

/** Home: the learning path, one card per step, in the order of the lectures. */
export default function HomePage() {
  return (
    <>
      <h1>Language models from first principles</h1>
      <p class="lead">
        Andrej Karpathy's micrograd and makemore lectures, as experiments you run and change in the
        browser: a scalar autograd engine first, then character-level language models trained on
        names. Follow the steps in order, or jump to any of them. Every setting lives in the URL, so
        a link reproduces an experiment.
      </p>
      <ol class="path">
        {learningPath.map((step, index) => {
          const target = findPage(step.page);
          return (
            <li key={step.title} class="path-step">
              <a class="card" href={step.href}>
                <span class="step-number" aria-hidden="true">
                  {index + 1}
                </span>
                <span class="card-body">
                  <strong class="card-title">{step.title}</strong>
                  <span class="card-text">{step.learn}</span>
                  <span class="card-target">{target?.title} →</span>
                </span>
              </a>
            </li>
          );
        })}
      </ol>
      <p class="muted">
        The makemore pages train on a bundled list of English first names. To train them on your own
        words (one per line), go to <a href="#/data">Your data</a>.
      </p>
    </>
  );
}
