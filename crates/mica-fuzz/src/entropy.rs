//! Where the generator's choices come from: the fuzzer's input bytes first, then a
//! deterministic stream seeded from them, so every input (even an empty one) is a program
//! and small mutations of the input make small changes to the program.

/// A source of choices.
pub struct Entropy<'a> {
    data: &'a [u8],
    pos: usize,
    state: u64,
}

impl<'a> Entropy<'a> {
    pub fn new(data: &'a [u8]) -> Entropy<'a> {
        // FNV-1a of the input seeds the stream used once the input runs out.
        let state = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        Entropy {
            data,
            pos: 0,
            state,
        }
    }

    fn next_u64(&mut self) -> u64 {
        // SplitMix64.
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                *b
            }
            None => self.next_u64() as u8,
        }
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    pub fn u64(&mut self) -> u64 {
        (u64::from(self.u32()) << 32) | u64::from(self.u32())
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        if n <= 256 {
            self.byte() as usize % n
        } else {
            self.u32() as usize % n
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    /// One element of a non-empty slice.
    pub fn pick<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        &items[self.below(items.len())]
    }
}

/// The input bytes a seeded run uses: `len` bytes of SplitMix64 from `seed`.
pub fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let seed = seed.to_le_bytes();
    let mut entropy = Entropy::new(&seed);
    // Skip the eight seed bytes themselves so that the output is the derived stream.
    for _ in 0..seed.len() {
        entropy.byte();
    }
    (0..len).map(|_| entropy.byte()).collect()
}
