/** What `npm run train:weights` hands every lesson's recipe file. */
export interface WeightsContext {
  /** `--quick`: a short smoke run, written under `outRoot` in /tmp, nothing committed. */
  quick: boolean;
  /** Where weights go: `weights/` for a real run. A recipe writes `outRoot/lesson-NN/<model>/`. */
  outRoot: string;
  /** The tfjs backend training runs on (the fastest Node one). */
  backend: string;
}
