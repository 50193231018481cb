//! Samples and their summaries.

use std::time::Duration;

/// The times of repeated runs of one thing.
#[derive(Debug, Clone, Default)]
pub struct Samples(pub Vec<Duration>);

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn sorted_secs(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self.0.iter().map(Duration::as_secs_f64).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    /// The median in seconds (mean of the middle two for an even count).
    pub fn median(&self) -> f64 {
        median_of(&self.sorted_secs())
    }

    pub fn min(&self) -> f64 {
        self.sorted_secs().first().copied().unwrap_or(f64::NAN)
    }

    pub fn max(&self) -> f64 {
        self.sorted_secs().last().copied().unwrap_or(f64::NAN)
    }

    /// Median absolute deviation from the median, in seconds.
    pub fn mad(&self) -> f64 {
        let m = self.median();
        let mut dev: Vec<f64> = self.sorted_secs().iter().map(|x| (x - m).abs()).collect();
        dev.sort_by(f64::total_cmp);
        median_of(&dev)
    }

    /// The sum in seconds.
    pub fn total(&self) -> f64 {
        self.0.iter().map(Duration::as_secs_f64).sum()
    }
}

fn median_of(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The geometric mean of positive finite ratios (others are skipped); NaN for none.
pub fn geomean(ratios: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = ratios
        .into_iter()
        .filter(|r| r.is_finite() && *r > 0.0)
        .fold((0.0, 0usize), |(s, n), r| (s + r.ln(), n + 1));
    if n == 0 { f64::NAN } else { (sum / n as f64).exp() }
}

/// A duration in seconds, in the unit that suits it (`1.23 s`, `45.6 ms`, `789 µs`, `12.3 ns`).
pub fn fmt_secs(s: f64) -> String {
    if !s.is_finite() {
        return "—".to_string();
    }
    let (v, unit) = if s >= 1.0 {
        (s, "s")
    } else if s >= 1e-3 {
        (s * 1e3, "ms")
    } else if s >= 1e-6 {
        (s * 1e6, "µs")
    } else {
        (s * 1e9, "ns")
    };
    if v >= 100.0 {
        format!("{v:.0} {unit}")
    } else if v >= 10.0 {
        format!("{v:.1} {unit}")
    } else {
        format!("{v:.2} {unit}")
    }
}

/// A byte count in KiB or MiB.
pub fn fmt_bytes(b: isize) -> String {
    let v = b as f64;
    if v.abs() >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", v / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", v / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let s = Samples([3, 1, 2, 10].iter().map(|ms| Duration::from_millis(*ms)).collect());
        assert!((s.median() - 0.0025).abs() < 1e-12);
        assert_eq!(s.min(), 0.001);
        assert_eq!(s.max(), 0.010);
        // deviations from 2.5 ms: 0.5, 1.5, 0.5, 7.5 -> median 1.0 ms
        assert!((s.mad() - 0.001).abs() < 1e-12);
        assert!((geomean([2.0, 8.0]) - 4.0).abs() < 1e-12);
        assert!(geomean([]).is_nan());
        assert_eq!(fmt_secs(0.0123), "12.3 ms");
    }
}
