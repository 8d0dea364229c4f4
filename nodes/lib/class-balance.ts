import { getColumn, labelsOf, type Frame } from '../../models/frame';

/** Share of each class in the training and test rows. */
export function classBalance(train: Frame, test: Frame, target: string, classes: string[]) {
  const share = (frame: Frame) => {
    const labels = labelsOf(getColumn(frame, target));
    return (label: string) => labels.filter((l) => l === label).length / Math.max(1, labels.length);
  };
  const trainShare = share(train);
  const testShare = share(test);
  return classes.map((label) => ({ label, train: trainShare(label), test: testShare(label) }));
}
