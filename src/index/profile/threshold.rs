//! The decision threshold of a profile, chosen without labels: from the scores of the examples
//! (each scored by a profile learned without it) and the scores of every other document of the
//! index, by minimising the expected TDT detection cost C_det = P_miss + 4.9 · P_FA.
//!
//! On-topic scores are modelled as a normal distribution around the examples' scores. The index
//! holds an unknown number of on-topic documents; about half of them score above the examples'
//! median, while almost no off-topic document does, which estimates that number. What scores
//! above a threshold beyond the expected on-topic documents is counted as false alarms.

use serde::{Deserialize, Serialize};

/// TDT's cost of a false alarm relative to a miss, after normalisation:
/// C_FA · (1 − P_target) / (C_miss · P_target) with C_miss 1, C_FA 0.1, P_target 0.02.
pub const FALSE_ALARM_COST: f64 = 4.9;

/// How the threshold is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ThresholdRule {
    /// Minimise expected C_det (the default); on-topic scores spread at least `spread` times
    /// their mean.
    ExpectedCost { spread: f32 },
    /// A fixed fraction of the examples' mean score.
    FractionOfExamples(f32),
    /// The score that this fraction of the other documents reach.
    BackgroundRate(f32),
    /// The lower of the expected-cost threshold and the background-rate threshold.
    Lower { spread: f32, rate: f32 },
    /// The higher of the two.
    Higher { spread: f32, rate: f32 },
    /// Minimise expected C_det with on-topic and off-topic scores fitted as a normal and an
    /// exponential mixture (EM) over the index, started from the examples' scores.
    Mixture { spread: f32 },
    /// [`ThresholdRule::Lower`] first; then the documents above that cut, with the examples,
    /// stand for the on-topic scores (their mean and spread, at least `spread` times the
    /// mean), `share` of those documents are taken to be on topic, and the cut of least
    /// expected cost is chosen again.
    SecondPass { spread: f32, rate: f32, share: f32 },
}

/// TDT's prior probability that a story is on a topic.
pub const TARGET_PRIOR: f32 = 0.02;

impl Default for ThresholdRule {
    fn default() -> Self {
        ThresholdRule::SecondPass {
            spread: 0.5,
            rate: TARGET_PRIOR,
            share: 0.5,
        }
    }
}

/// The standard normal distribution function (Abramowitz–Stegun 7.1.26, error < 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-z * z).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

fn mean_sd(values: &[f32]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = values
        .iter()
        .map(|&v| (v as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, var.sqrt())
}

/// The threshold for examples scoring `examples` and other documents scoring `background`
/// (every other live document of the index, zeros included).
pub(super) fn choose(rule: ThresholdRule, examples: &[f32], background: &[f32]) -> f32 {
    let (mean, sd) = mean_sd(examples);
    if mean <= 0.0 {
        return f32::MAX;
    }
    let mut sorted: Vec<f32> = background.iter().copied().filter(|&s| s > 0.0).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let total = background.len().max(1) as f64;
    match rule {
        ThresholdRule::Lower { spread, rate } => {
            choose(ThresholdRule::ExpectedCost { spread }, examples, background).min(choose(
                ThresholdRule::BackgroundRate(rate),
                examples,
                background,
            ))
        }
        ThresholdRule::Higher { spread, rate } => {
            choose(ThresholdRule::ExpectedCost { spread }, examples, background).max(choose(
                ThresholdRule::BackgroundRate(rate),
                examples,
                background,
            ))
        }
        ThresholdRule::SecondPass {
            spread,
            rate,
            share,
        } => {
            let first = choose(ThresholdRule::Lower { spread, rate }, examples, background);
            // The first cut's documents tell how on-topic documents of this index score, which
            // the few examples alone cannot: a precise topic's score high and few, a broad
            // one's spread far down.
            let admitted = sorted.partition_point(|&s| s >= first);
            let pseudo: Vec<f32> = sorted[..admitted].iter().chain(examples).copied().collect();
            let (mean, sd) = mean_sd(&pseudo);
            let sd = sd.max(spread as f64 * mean);
            let targets = (share as f64 * admitted as f64).min(total / 2.0);
            best_cut(&sorted, mean, sd, targets, total)
        }
        ThresholdRule::Mixture { spread } => {
            let sd = sd.max(spread as f64 * mean);
            let fit = fit_mixture(&sorted, mean, sd, total);
            best_cut(&sorted, fit.mean, fit.sd, fit.targets, total)
        }
        ThresholdRule::FractionOfExamples(fraction) => (mean as f32) * fraction,
        ThresholdRule::BackgroundRate(rate) => {
            let rank = ((rate as f64) * total) as usize;
            sorted
                .get(rank)
                .copied()
                .unwrap_or(0.0)
                .max(f32::MIN_POSITIVE)
        }
        ThresholdRule::ExpectedCost { spread } => {
            let sd = sd.max(spread as f64 * mean);
            let mut median: Vec<f32> = examples.to_vec();
            median.sort_by(|a, b| a.total_cmp(b));
            let median = median[median.len() / 2] as f64;
            let above_median = sorted.partition_point(|&s| s as f64 >= median) as f64;
            let targets = (2.0 * above_median).min(total / 2.0);
            best_cut(&sorted, mean, sd, targets, total)
        }
    }
}

/// Whether `threshold` can be trusted to do better than letting nothing join (C_det 1): not
/// when even the examples' own evidence says otherwise. The share of examples that fall below
/// the threshold when scored by a profile learned without them estimates P_miss (smoothed, so
/// that four examples all above it still leave a miss rate of 0.1); every other document at or
/// above the threshold is counted as a false alarm. When that pessimistic cost reaches 1, a
/// profile admitting this many documents risks being worse than useless, and only what scores
/// like the examples themselves should join.
pub(super) fn worse_than_nothing(threshold: f32, examples: &[f32], background: &[f32]) -> bool {
    if background.is_empty() {
        return false;
    }
    let below = examples.iter().filter(|&&s| s < threshold).count() as f64;
    let p_miss = (below + 0.5) / (examples.len() as f64 + 1.0);
    let above = background.iter().filter(|&&s| s >= threshold).count() as f64;
    p_miss + FALSE_ALARM_COST * above / background.len() as f64 >= 1.0
}

/// The cut in `sorted` (positive scores, descending) of least expected cost when `targets` of
/// `total` documents are on topic with scores normal around `mean` (sd `sd`).
fn best_cut(sorted: &[f32], mean: f64, sd: f64, targets: f64, total: f64) -> f32 {
    let off_topic = (total - targets).max(1.0);
    let mut best = (f64::INFINITY, mean as f32);
    for (rank, &score) in sorted.iter().enumerate() {
        // Ties: only the last document of a run of equal scores is a real cut.
        if sorted.get(rank + 1) == Some(&score) {
            continue;
        }
        let above = (rank + 1) as f64;
        let p_miss = normal_cdf((score as f64 - mean) / sd);
        let false_alarms = (above - targets * (1.0 - p_miss)).max(0.0);
        let cost = p_miss + FALSE_ALARM_COST * false_alarms / off_topic;
        if cost < best.0 {
            best = (cost, score);
        }
    }
    best.1
}

/// The on-topic component of a fitted score mixture.
struct Fit {
    mean: f64,
    sd: f64,
    /// Expected number of on-topic documents.
    targets: f64,
}

/// Fits π·Normal(μ, σ) + (1 − π)·Exponential(λ) to the positive scores by EM, from μ and σ given.
fn fit_mixture(sorted: &[f32], mean: f64, sd: f64, total: f64) -> Fit {
    const ROUNDS: usize = 30;
    let n = sorted.len() as f64;
    if sorted.is_empty() {
        return Fit {
            mean,
            sd,
            targets: 0.0,
        };
    }
    let (mut mu, mut sigma) = (mean, sd);
    let above = sorted.partition_point(|&s| s as f64 >= mu) as f64;
    let mut pi = (2.0 * above / n).clamp(1.0 / n, 0.5);
    let mut lambda = 1.0 / (sorted.iter().map(|&s| s as f64).sum::<f64>() / n).max(1e-9);
    let floor = 0.05 * mean;
    for _ in 0..ROUNDS {
        let (mut w, mut wx, mut wxx, mut rest, mut rest_x) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &score in sorted {
            let x = score as f64;
            let z = (x - mu) / sigma;
            let on = pi * (-0.5 * z * z).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt());
            let off = (1.0 - pi) * lambda * (-lambda * x).exp();
            let r = if on + off > 0.0 { on / (on + off) } else { 0.0 };
            w += r;
            wx += r * x;
            wxx += r * x * x;
            rest += 1.0 - r;
            rest_x += (1.0 - r) * x;
        }
        if w < 1e-9 {
            break;
        }
        mu = wx / w;
        sigma = (wxx / w - mu * mu).max(0.0).sqrt().max(floor);
        pi = (w / n).clamp(1.0 / n, 0.5);
        lambda = rest / rest_x.max(1e-12);
    }
    let _ = total;
    Fit {
        mean: mu,
        sd: sigma,
        targets: pi * n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_is_accurate() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-5);
    }

    #[test]
    fn expected_cost_cuts_between_topic_and_background() {
        // 1000 off-topic documents scoring up to 0.2, 20 on-topic ones around 1.
        let mut background: Vec<f32> = (0..1000).map(|i| i as f32 / 5000.0).collect();
        background.extend((0..20).map(|i| 0.8 + i as f32 / 50.0));
        let threshold = choose(ThresholdRule::default(), &[0.9, 1.0, 1.1, 1.2], &background);
        let false_alarms = background[..1000]
            .iter()
            .filter(|&&s| s >= threshold)
            .count();
        assert!(threshold <= 0.8 && false_alarms <= 5, "{threshold}");
    }

    #[test]
    fn a_cut_admitting_a_fifth_of_the_index_is_worse_than_nothing() {
        let background: Vec<f32> = (0..1000).map(|i| i as f32 / 1000.0).collect();
        let examples = [0.9, 1.0, 1.1, 1.2];
        // 20% of the documents admitted: 0.1 + 4.9 · 0.2 ≥ 1.
        assert!(worse_than_nothing(0.8, &examples, &background));
        // 2%: 0.1 + 0.098.
        assert!(!worse_than_nothing(0.98, &examples, &background));
        // Examples that a profile without them would miss count as misses.
        assert!(worse_than_nothing(0.9, &[0.1, 0.2, 0.3, 1.0], &background));
    }

    #[test]
    fn examples_scoring_nothing_admit_nothing() {
        assert_eq!(choose(ThresholdRule::default(), &[0.0], &[0.5]), f32::MAX);
    }
}
