//! The harness's run plans.

use super::{Options, Plan};

/// The number of runs follows the first run's length: fewer for long workloads, more for
/// brief and sub-millisecond ones, the defaults between; without a budget, exactly the options.
#[test]
fn plans_follow_the_first_runs_length() {
    let full = Options::new(false);
    assert_eq!(full.plan(0.5), Plan { probe_is_sample: false, warmup: 0, samples: 5, batch: 1 });
    assert_eq!(full.plan(0.15), Plan { probe_is_sample: false, warmup: 0, samples: 5, batch: 1 });
    assert_eq!(full.plan(0.065), Plan { probe_is_sample: false, warmup: 0, samples: 15, batch: 1 });
    assert_eq!(full.plan(0.02), Plan { probe_is_sample: false, warmup: 0, samples: 21, batch: 1 });
    assert_eq!(full.plan(2.0), Plan { probe_is_sample: true, warmup: 0, samples: 4, batch: 1 });
    assert_eq!(full.plan(20.0), Plan { probe_is_sample: true, warmup: 0, samples: 2, batch: 1 });
    assert_eq!(full.plan(300e-9), Plan { probe_is_sample: false, warmup: 0, samples: 101, batch: 32 });
    assert_eq!(full.plan(0.5e-3), Plan { probe_is_sample: false, warmup: 0, samples: 101, batch: 32 });
    let quick = Options::new(true);
    assert_eq!(quick.plan(300e-9), Plan { probe_is_sample: true, warmup: 0, samples: 0, batch: 1 });
}
