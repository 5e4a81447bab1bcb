//! The random numbers behind the seeded initializers: one stream per (seed, array name), uniform
//! and standard normal draws, the same bits on every platform and in every version of symdiff.
//!
//! The generator is xoshiro256** (Blackman and Vigna), its state filled by SplitMix64 from a key
//! that mixes the seed with an FNV-1a hash of the array's name, the seeding the authors
//! recommend. Both are short, public-domain reference algorithms written out here rather than
//! taken from a crate: a crate's promise of value stability is only as good as its next major
//! version, while these functions are pinned by the published test vectors below. Normal draws
//! use Marsaglia's polar method, whose only transcendental function is a logarithm; that
//! logarithm is [`ln`] below, written with `+ - * /` alone (IEEE-exact operations, and Rust never
//! contracts them into fused ones), because `f64::ln` calls the platform's math library, whose
//! last bit may differ from one system to another.

/// SplitMix64's output function (a bijection of `u64`): scrambles a state into an output.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One step of SplitMix64: advances the state by the golden-ratio increment and mixes it.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    mix64(*state)
}

/// FNV-1a, 64 bits, over the name's UTF-8 bytes.
fn fnv1a(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A xoshiro256** generator: 256 bits of state, period 2^256 - 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stream {
    s: [u64; 4],
}

impl Stream {
    /// The stream of one array: its own key from the seed and the name, so that adding,
    /// removing or reordering other params leaves its values as they were.
    pub(crate) fn new(seed: u64, name: &str) -> Stream {
        let mut state = mix64(seed) ^ fnv1a(name);
        let s = [(); 4].map(|()| splitmix64(&mut state));
        // Four consecutive SplitMix64 outputs are never all zero (mix64 is a bijection, so only
        // one state maps to 0), and the all-zero state is the only one xoshiro cannot leave.
        Stream { s }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on `[0, 1)`: the top 53 bits as a multiple of 2^-53 (every value exact).
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on `0..n` (`n > 0`), unbiased: Lemire's multiply-and-reject on 64 bits.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0): an empty range");
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Shuffles `items` in place (Fisher–Yates, from the last position down).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for k in (1..items.len()).rev() {
            let j = self.below(k as u64 + 1) as usize;
            items.swap(k, j);
        }
    }

    /// Two independent standard normal draws (Marsaglia's polar method).
    pub(crate) fn normal_pair(&mut self) -> (f64, f64) {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * ln(s) / s).sqrt();
                return (u * factor, v * factor);
            }
        }
    }
}

/// The natural logarithm of a positive, finite, normal `x`, from IEEE-exact operations only, so
/// that it gives the same bits everywhere (within a few units in the last place of the true
/// value). `x = 2^e·m` with `m` in `[√2/2, √2)`; `ln m = 2·atanh(f)` with
/// `f = (m - 1)/(m + 1)`, `|f| <= 0.1716`, whose odd series reaches 2^-53 by `f^23/23`.
pub(crate) fn ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0, "ln of {x}");
    // ln 2 split as fdlibm does: LN2_HI has 32 significant bits, so e·LN2_HI is exact.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76); // ln 2 - LN2_HI
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let f = (m - 1.0) / (m + 1.0);
    let z = f * f;
    // 1 + z/3 + z²/5 + ... + z^11/23, by Horner from the smallest term.
    let series = (1..=11)
        .rev()
        .fold(0.0, |acc, k| (acc + 1.0 / (2 * k + 1) as f64) * z);
    let ln_m = 2.0 * f + 2.0 * f * series;
    let e = e as f64;
    e * LN2_HI + (ln_m + e * LN2_LO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_gives_the_published_outputs() {
        // The reference outputs for seed 1234567 (Vigna's splitmix64.c).
        let mut state = 1_234_567;
        let outputs: Vec<u64> = (0..5).map(|_| splitmix64(&mut state)).collect();
        assert_eq!(
            outputs,
            [
                6457827717110365317,
                3203168211198807973,
                9817491932198370423,
                4593380528125082431,
                16408922859458223821
            ]
        );
        assert_eq!(mix64(0x9e37_79b9_7f4a_7c15), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn xoshiro256_star_star_gives_the_published_outputs() {
        // The reference implementation's outputs from the state {1, 2, 3, 4}.
        let mut stream = Stream { s: [1, 2, 3, 4] };
        let outputs: Vec<u64> = (0..10).map(|_| stream.next_u64()).collect();
        assert_eq!(
            outputs,
            [
                11520,
                0,
                1509978240,
                1215971899390074240,
                1216172134540287360,
                607988272756665600,
                16172922978634559625,
                8476171486693032832,
                10595114339597558777,
                2904607092377533576
            ]
        );
    }

    #[test]
    fn fnv1a_gives_the_published_hashes() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn ln_agrees_with_the_platform_logarithm() {
        let mut stream = Stream::new(7, "ln");
        let mut xs: Vec<f64> = (0..100_000).map(|_| stream.uniform()).collect();
        xs.extend([
            1.0,
            0.5,
            2.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            1e-300,
            0.999_999_999,
        ]);
        for x in xs.into_iter().filter(|&x| x > 0.0) {
            let (ours, theirs) = (ln(x), x.ln());
            let tolerance = 4.0 * f64::EPSILON * theirs.abs().max(f64::MIN_POSITIVE);
            assert!(
                (ours - theirs).abs() <= tolerance,
                "ln({x}) = {ours}, expected {theirs}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
    }

    #[test]
    fn bounded_draws_and_shuffles() {
        let mut stream = Stream::new(0, "dice");
        let mut counts = [0usize; 6];
        for _ in 0..6000 {
            counts[stream.below(6) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (850..1150).contains(&c)),
            "{counts:?}"
        );
        let mut order: Vec<usize> = (0..10).collect();
        stream.shuffle(&mut order);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn uniform_draws_stay_in_the_unit_interval() {
        let mut stream = Stream::new(0, "u");
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&stream.uniform())));
    }
}
