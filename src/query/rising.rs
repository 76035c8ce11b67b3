//! Is an item rising? Its share of the documents in a window against its share in a baseline,
//! scored by Dunning's log-likelihood ratio (G²) on the 2 × 2 table of the two periods.
//!
//! G² compares "one share for both periods" with "a share for each"; under the first it follows a
//! χ² distribution with one degree of freedom, so 3.84 is p = 0.05, 10.83 is p = 0.001 and 15.1
//! is p = 0.0001. Unlike a ratio it grows with the evidence: 2 documents against 0 score little,
//! 40 against 10 a lot. Only rises are kept (a falling item has a large G² too).

use serde::Serialize;

/// The counts an item's rise is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PeriodCounts {
    /// Documents with the item in the window, and all documents of the window.
    pub window: u64,
    pub window_total: u64,
    /// The same in the baseline.
    pub baseline: u64,
    pub baseline_total: u64,
}

/// How an item's window compares with its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rise {
    /// Documents the baseline share predicts for the window.
    pub expected: f64,
    /// Window share over baseline share, each count given half a document so that an item absent
    /// from the baseline has a finite ratio.
    pub ratio: f64,
    /// Dunning's G² (see the module note).
    #[serde(rename = "g2")]
    pub score: f64,
}

/// `x · ln(x / e)`, 0 when `x` is 0 (its limit).
fn term(observed: f64, expected: f64) -> f64 {
    if observed <= 0.0 || expected <= 0.0 {
        0.0
    } else {
        observed * (observed / expected).ln()
    }
}

impl PeriodCounts {
    /// The rise of the item, or `None` when its window share is not above its baseline share or
    /// either period is empty.
    pub fn rise(&self) -> Option<Rise> {
        let (a, b) = (self.window as f64, self.baseline as f64);
        let (w, n) = (self.window_total as f64, self.baseline_total as f64);
        if w <= 0.0 || n <= 0.0 || a > w || b > n || a / w <= b / n {
            return None;
        }
        let (c, d) = (w - a, n - b);
        let total = w + n;
        let with = a + b;
        let without = c + d;
        let score = 2.0
            * (term(a, w * with / total)
                + term(b, n * with / total)
                + term(c, w * without / total)
                + term(d, n * without / total));
        Some(Rise {
            expected: w * b / n,
            ratio: ((a + 0.5) / w) / ((b + 0.5) / n),
            score: score.max(0.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(window: u64, window_total: u64, baseline: u64, baseline_total: u64) -> PeriodCounts {
        PeriodCounts {
            window,
            window_total,
            baseline,
            baseline_total,
        }
    }

    #[test]
    fn more_evidence_scores_higher_than_a_bigger_ratio_on_little() {
        let little = counts(2, 100, 0, 1000).rise().expect("rises");
        let much = counts(40, 100, 100, 1000).rise().expect("rises");
        assert!(little.ratio > much.ratio);
        assert!(much.score > little.score * 5.0, "{much:?} {little:?}");
        assert!(little.score < 10.83, "{little:?}");
    }

    #[test]
    fn equal_shares_and_falls_are_not_rises() {
        assert_eq!(counts(10, 100, 100, 1000).rise(), None);
        assert_eq!(counts(5, 100, 100, 1000).rise(), None);
        assert_eq!(counts(5, 0, 100, 1000).rise(), None);
        assert_eq!(counts(5, 100, 0, 0).rise(), None);
    }

    #[test]
    fn a_known_table() {
        // 30 of 100 against 100 of 1000: expected 10, G² from the four cells by hand.
        let rise = counts(30, 100, 100, 1000).rise().expect("rises");
        assert!((rise.expected - 10.0).abs() < 1e-9);
        let cells: [(f64, f64); 4] = [
            (30.0, 100.0 * 130.0 / 1100.0),
            (100.0, 1000.0 * 130.0 / 1100.0),
            (70.0, 100.0 * 970.0 / 1100.0),
            (900.0, 1000.0 * 970.0 / 1100.0),
        ];
        let by_hand: f64 = 2.0 * cells.iter().map(|(o, e)| o * (o / e).ln()).sum::<f64>();
        assert!((rise.score - by_hand).abs() < 1e-9);
        assert!(rise.score > 26.5 && rise.score < 27.5, "{rise:?}");
    }
}
