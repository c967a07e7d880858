import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/**
 * DINO's loss (Caron et al. 2021, Algorithm 1; facebookresearch/dino `DINOLoss`):
 * the teacher's output on each global crop, centred and sharpened,
 *   P_t = softmax((g_t(x) − c) / τ_t),
 * is the target for the student's output on every OTHER crop,
 *   P_s = softmax(g_s(x') / τ_s),
 * with cross-entropy −Σ P_t log P_s averaged over the batch and the pairs.
 * Centering (subtract a running mean c) stops one prototype from winning
 * every image; sharpening (τ_t < τ_s) stops the output from going uniform.
 * Either alone collapses; the page shows both collapses.
 *
 * `teacher[i]` is the teacher's output on global crop i; `student[v]` the
 * student's on crop v, the global crops first (so pair (i, v) with v = i is skipped).
 */
export function dinoLoss(student: tf.Tensor2D[], teacher: tf.Tensor2D[], center: tf.Tensor, opts: { studentTemp: number; teacherTemp: number }): tf.Scalar {
  if (teacher.length < 1 || student.length < 2) fail('dinoLoss', 'student', 'at least two crops, the teacher\'s global crops first', `${student.length} student and ${teacher.length} teacher outputs`);
  if (!(opts.studentTemp > 0) || !(opts.teacherTemp > 0)) fail('dinoLoss', 'teacherTemp', 'a temperature > 0 (and studentTemp too)', `${opts.teacherTemp} / ${opts.studentTemp}`);
  return tf.tidy(() => {
    const targets = teacher.map((t) => tf.softmax(tf.div(tf.sub(t, center), opts.teacherTemp)));
    const logProbs = student.map((s) => tf.logSoftmax(tf.div(s, opts.studentTemp)));
    let total: tf.Tensor = tf.scalar(0);
    let terms = 0;
    targets.forEach((q, i) => {
      logProbs.forEach((lp, v) => {
        if (v === i) return;
        total = tf.add(total, tf.mean(tf.neg(tf.sum(tf.mul(q, lp), -1))));
        terms++;
      });
    });
    return tf.div(total, terms) as tf.Scalar;
  });
}

/** The centre's EMA: c ← m·c + (1 − m)·mean of the teacher's outputs over the batch and global crops. */
export function updatedCenter(center: tf.Tensor, teacher: tf.Tensor2D[], momentum: number): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(center, momentum), tf.mul(tf.mean(tf.concat(teacher, 0), 0, true), 1 - momentum)));
}

/**
 * DINO's teacher momentum over training: λ(k) = 1 − (1 − λ₀)(cos(πk/K) + 1)/2,
 * from λ₀ at step 0 to 1 at the last step (the teacher freezes as training ends).
 */
export function teacherMomentum(step: number, totalSteps: number, base: number): number {
  if (!(base >= 0 && base < 1)) fail('teacherMomentum', 'base', 'a number in [0, 1)', String(base));
  if (!(totalSteps >= 1)) fail('teacherMomentum', 'totalSteps', 'a whole number >= 1', String(totalSteps));
  const k = Math.min(Math.max(step, 0), totalSteps);
  return 1 - ((1 - base) * (Math.cos((Math.PI * k) / totalSteps) + 1)) / 2;
}
