//! Bursts in a series of counts: Kleinberg's two-state automaton over shares ("Bursty and
//! hierarchical structure in streams", 2002, the batched form).
//!
//! In each period the series holds `r` of the `d` documents. A base state emits at the series'
//! overall share `p₀ = Σr / Σd`, a burst state at `s · p₀`; a period costs the negative log
//! likelihood of its `r` of `d` under the state's share, entering the burst state costs
//! `γ · ln n` (n periods) and leaving it is free. The cheapest sequence of states (Viterbi) marks
//! the bursts: runs of periods in the burst state. A burst's strength is what the burst state
//! saves over the base state in its periods, so a longer or sharper rise is stronger. Because the
//! costs are on shares, a period with more news of every kind is no burst.

use serde::Serialize;

/// The burst state's share as a multiple of the base share.
pub const BURST_SCALE: f64 = 2.0;
/// The weight of the cost of entering a burst (times ln n).
pub const BURST_ENTRY: f64 = 1.0;

/// A run of periods in the burst state (indices into the series, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Burst {
    pub first: usize,
    pub last: usize,
    pub strength: f64,
}

/// The cost of `relevant` of `total` documents under `share` (the binomial coefficient, the same
/// in both states, left out).
fn cost(relevant: u64, total: u64, share: f64) -> f64 {
    let (r, d) = (relevant as f64, total as f64);
    -(r * share.ln() + (d - r).max(0.0) * (1.0 - share).ln())
}

/// The bursts of a series holding `relevant[t]` of `totals[t]` documents in period `t`.
pub fn find_bursts(relevant: &[u64], totals: &[u64], scale: f64, entry: f64) -> Vec<Burst> {
    let periods = relevant.len().min(totals.len());
    let (sum_r, sum_d): (u64, u64) = (0..periods)
        .map(|t| (relevant[t].min(totals[t]), totals[t]))
        .fold((0, 0), |(r, d), (a, b)| (r + a, d + b));
    if periods < 2 || sum_r == 0 || sum_d == 0 || sum_r == sum_d {
        return Vec::new();
    }
    let base = sum_r as f64 / sum_d as f64;
    let high = (base * scale).min(0.9999);
    if high <= base {
        return Vec::new();
    }
    let step_up = entry * (periods as f64).ln();
    let costs: Vec<[f64; 2]> = (0..periods)
        .map(|t| {
            let r = relevant[t].min(totals[t]);
            [cost(r, totals[t], base), cost(r, totals[t], high)]
        })
        .collect();
    // Viterbi: best[t][state] and where it came from.
    let mut best = vec![[0.0_f64; 2]; periods];
    let mut from = vec![[0_usize; 2]; periods];
    best[0] = [costs[0][0], costs[0][1] + step_up];
    for t in 1..periods {
        let [low, burst] = best[t - 1];
        // Into the base state: from either, leaving a burst is free.
        let (to_low, low_from) = if low <= burst { (low, 0) } else { (burst, 1) };
        // Into the burst state: staying is free, entering costs.
        let (to_burst, burst_from) = if burst <= low + step_up {
            (burst, 1)
        } else {
            (low + step_up, 0)
        };
        best[t] = [to_low + costs[t][0], to_burst + costs[t][1]];
        from[t] = [low_from, burst_from];
    }
    let mut states = vec![0_usize; periods];
    let last = periods - 1;
    states[last] = if best[last][1] < best[last][0] { 1 } else { 0 };
    for t in (1..periods).rev() {
        states[t - 1] = from[t][states[t]];
    }
    let mut bursts = Vec::new();
    let mut t = 0;
    while t < periods {
        if states[t] == 0 {
            t += 1;
            continue;
        }
        let first = t;
        while t + 1 < periods && states[t + 1] == 1 {
            t += 1;
        }
        let strength = (first..=t).map(|at| costs[at][0] - costs[at][1]).sum();
        bursts.push(Burst {
            first,
            last: t,
            strength,
        });
        t += 1;
    }
    bursts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bursts(relevant: &[u64], totals: &[u64]) -> Vec<Burst> {
        find_bursts(relevant, totals, BURST_SCALE, BURST_ENTRY)
    }

    #[test]
    fn a_flat_series_has_no_burst() {
        assert!(bursts(&[10; 24], &[100; 24]).is_empty());
        // Noise around one share is no burst either.
        let noisy = [9, 11, 10, 12, 8, 10, 11, 9, 10, 10, 12, 9];
        assert!(bursts(&noisy, &[100; 12]).is_empty());
    }

    #[test]
    fn a_planted_rise_is_one_burst_over_its_periods() {
        let mut relevant = vec![5_u64; 20];
        relevant[12] = 30;
        relevant[13] = 40;
        relevant[14] = 25;
        let found = bursts(&relevant, &[100; 20]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].first, found[0].last), (12, 14));
        assert!(found[0].strength > 10.0, "{found:?}");
    }

    #[test]
    fn shares_not_counts() {
        // Every count doubles in periods 5–7 along with all the news: no burst.
        let relevant = [10, 10, 10, 10, 10, 20, 20, 20, 10, 10, 10, 10];
        let totals = [100, 100, 100, 100, 100, 200, 200, 200, 100, 100, 100, 100];
        assert!(bursts(&relevant, &totals).is_empty());
        // The same counts against flat totals are a burst.
        assert_eq!(bursts(&relevant, &[100; 12]).len(), 1);
    }

    #[test]
    fn a_stronger_rise_scores_higher() {
        let mut small = vec![5_u64; 20];
        let mut large = vec![5_u64; 20];
        small[10] = 20;
        large[10] = 40;
        let (a, b) = (bursts(&small, &[100; 20]), bursts(&large, &[100; 20]));
        assert!(b[0].strength > a[0].strength, "{a:?} {b:?}");
    }

    #[test]
    fn empty_and_degenerate_series() {
        assert!(bursts(&[], &[]).is_empty());
        assert!(bursts(&[0, 0, 0], &[10, 10, 10]).is_empty());
        assert!(bursts(&[10, 10], &[10, 10]).is_empty());
        assert!(bursts(&[3, 0, 0], &[0, 0, 0]).is_empty());
    }
}
