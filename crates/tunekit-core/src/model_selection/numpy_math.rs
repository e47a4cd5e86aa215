//! `exp` and `log` of `f64` exactly as numpy computes them on x86-64 CPUs
//! with AVX-512 (Skylake-X and later), in portable Rust.
//!
//! scipy's `loguniform(a, b).rvs()` is `exp(log a + u·(log b − log a))`,
//! computed with numpy's `np.log`/`np.exp`. numpy ≥ 1.22 evaluates those, on
//! CPUs with AVX512_SKX, with Intel's SVML routines (`__svml_log8_ha`,
//! `__svml_exp8_ha`, shipped with numpy under the BSD licence) rather than
//! the C library, and their results differ from glibc's `exp` in the last
//! bit for about 5% of arguments (`log`: about 0.02%). To reproduce those
//! draws bit for bit, this module reimplements the two SVML algorithms with
//! scalar IEEE-754 operations (each fused multiply-add of the original is an
//! `f64::mul_add`), so the result is the same on every platform — unlike
//! `f64::exp`/`f64::ln`, which call the platform's libm.
//!
//! Numerical constants (tables and polynomial coefficients) are SVML's, read
//! from the numpy 2.4 wheel; the exp tables are `RN(2^(j/16))` and the
//! rounding error of that value relative to it, the log tables `-log` of the
//! reciprocal grid points split into a high part and a low correction.
//!
//! Outside the main path (non-finite or non-positive `log` arguments,
//! `|x| >= 707.7` for `exp`, near overflow/underflow), SVML switches to a
//! separate scalar routine; there this module falls back to the platform's
//! `f64::ln`/`f64::exp`, which may differ from numpy in the last bit. No
//! valid `loguniform` draw goes there unless a bound is below ~1e-307 or
//! above ~1e307.
//!
//! One step of `log` uses the hardware reciprocal estimate `vrcp14pd`
//! (relative error < 2^-14) of the mantissa `m`, rounded to a multiple of
//! 1/32. That rounded value is a non-increasing step function of `m` with 16
//! steps; [`LOG_RCP_STEPS`] holds where each step falls, measured on the
//! hardware (an exhaustive bisection plus 2·10⁷ random monotonicity checks).
//! The exact reciprocal would pick the other neighbour for `m` within about
//! 2^-14 of a step, and about one `log` in 10⁶ would then differ in the last
//! bit.
//!
//! Checked against numpy 2.4.6 on an AVX512_SKX Xeon: no difference on
//! 1.5·10⁷ `log` and 1.5·10⁷ `exp` arguments (random bit patterns, the
//! hyper-parameter range 1e-8..1e8, arguments near 1 and near the reciprocal
//! steps); `tests/data/numpy_exp_log.json` keeps 2150 of them for the tests.
//!
//! numpy on other hardware (no AVX512_SKX, e.g. most AMD before Zen 4, Apple
//! silicon) or built without SVML uses the C library instead, and its
//! `loguniform` draws then differ from these in the last bit for a few
//! percent of samples, as they already differ between those platforms.
//! tunekit follows the AVX-512 numpy everywhere.

#[rustfmt::skip]
const EXP_TH: [u64; 16] = [
    0x3ff0000000000000, 0x3ff0b5586cf9890f, 0x3ff172b83c7d517b, 0x3ff2387a6e756238,
    0x3ff306fe0a31b715, 0x3ff3dea64c123422, 0x3ff4bfdad5362a27, 0x3ff5ab07dd485429,
    0x3ff6a09e667f3bcd, 0x3ff7a11473eb0187, 0x3ff8ace5422aa0db, 0x3ff9c49182a3f090,
    0x3ffae89f995ad3ad, 0x3ffc199bdd85529c, 0x3ffd5818dcfba487, 0x3ffea4afa2a490da,
];
#[rustfmt::skip]
const EXP_TLR: [u64; 16] = [
    0x0000000000000000, 0x3c979aa65d837b6d, 0xbc801b15eaa59348, 0x3c968efde3a8a894,
    0x3c834d754db0abb6, 0x3c859f48a72a4c6d, 0x3c7690cebb7aafb0, 0x3c9063e1e21c5409,
    0xbc93b3efbf5e2228, 0xbc7b32dcb94da51d, 0x3c8db72fc1f0eab4, 0x3c71affc2b91ce27,
    0x3c8c1a7792cb3387, 0x3c736eae30af0cb3, 0x3c74a385a63d07a7, 0xbc8ff7128fd391f0,
];
const EXP_LOG2E: u64 = 0x3ff71547652b82fe; // 1.4426950408889634
const EXP_LN2_HI: u64 = 0x3fe62e42fefa39ef; // 0.6931471805599453
const EXP_LN2_LO: u64 = 0x3c7abc9e3b39803f; // 2.3190468138462996e-17
const EXP_R_MASK: u64 = 0xbfffffffffffffff; // -1.9999999999999998
const EXP_C6: u64 = 0x3f57411836940c04; // 0.0014193283516881214
const EXP_C5: u64 = 0x3f81101cbbc265c0; // 0.008331512908898442
const EXP_C4: u64 = 0x3fa55557242d68fe; // 0.0416667205488057
const EXP_C3: u64 = 0x3fc5555553939732; // 0.1666666658485894
const EXP_C2: u64 = 0x3fe000000000d008; // 0.5000000000059126
const EXP_C1: u64 = 0x3fefffffffffff70; // 0.999999999999984
const EXP_THRESHOLD: u64 = 0x40861da04cbafe44; // 707.7032713517042
#[rustfmt::skip]
const LOG_TH: [u64; 16] = [
    0x0000000000000000, 0xbfaf0a30c0120000, 0xbfbe27076e2b0000, 0xbfc5ff3070a78000,
    0xbfcc8ff7c79a8000, 0xbfd1675cababc000, 0xbfd4618bc21c4000, 0xbfd739d7f6bbc000,
    0x3fd269621134c000, 0x3fcf991c6cb38000, 0x3fca93ed3c8b0000, 0x3fc5bf406b540000,
    0x3fc1178e82280000, 0x3fb9335e5d590000, 0x3fb08598b59e0000, 0x3fa0415d89e80000,
];
#[rustfmt::skip]
const LOG_TL: [u64; 16] = [
    0x0000000000000000, 0x3d53ab33d066d1d2, 0x3d2a342c2af0003c, 0xbd43d3c873e20a07,
    0xbd4a21ac25d81ef3, 0x3d59f1fc63382a8f, 0xbd5ec27d0b7b37b3, 0xbd50069ce24c53fb,
    0x3d5b92783beb7677, 0x3d59bcbecca0cdf3, 0xbd530e486a0ac42d, 0x3d5ed8fdc149767e,
    0xbd4b8421cc74be04, 0x3d52622b8757a8fb, 0x3d4d034451fecdfb, 0xbd577771fd187145,
];
const LOG_ONE: u64 = 0x3ff0000000000000; // 1.0
const LOG_THREE_QUARTERS: u64 = 0x3fe8000000000000; // 0.75
const LOG_P9: u64 = 0x3fbc81cd309d7c70; // 0.11135561406034511
const LOG_P8: u64 = 0xbfc007357e93af62; // -0.125220000081181
const LOG_P7: u64 = 0x3fc249229cee81ef; // 0.14285690939597326
const LOG_P6: u64 = 0xbfc55553fb28db06; // -0.16666650546695666
const LOG_P5: u64 = 0x3fc9999999cc9f5c; // 0.20000000009280938
const LOG_P4: u64 = 0xbfd00000000c05bd; // -0.2500000000437373
const LOG_P3: u64 = 0x3fd5555555555466; // 0.33333333333332005
const LOG_P2: u64 = 0xbfdfffffffffffc6; // -0.4999999999999968
const LOG_LN2_HI: u64 = 0x3fe62e42fefa0000; // 0.6931471805582987
const LOG_LN2_LO: u64 = 0x3d7cf79abc9e0000; // 1.6465949582866463e-12

/// `LOG_RCP_STEPS[i]` is the smallest mantissa `m` in [1, 2) whose
/// `vrcp14pd` estimate rounds (to nearest, ties to even) to `(31 - i)/32`
/// or less: the rounded reciprocal of `m` is `(16 + #{steps above m}) / 32`.
/// The exact midpoints `32 / (k + 0.5)` differ from these by up to 3·10⁻⁵.
#[rustfmt::skip]
pub const LOG_RCP_STEPS: [u64; 16] = [
    0x3ff040f000000000, 0x3ff0c97000000000, 0x3ff15b4000000000, 0x3ff1f70000000000,
    0x3ff29e6000000000, 0x3ff3523000000000, 0x3ff4143000000000, 0x3ff4e5f000000000,
    0x3ff5c99000000000, 0x3ff6c15000000000, 0x3ff7d07000000000, 0x3ff8f9c000000000,
    0x3ffa41a000000000, 0x3ffbad0000000000, 0x3ffd41c000000000, 0x3fff080000000000,
];

#[inline]
fn f(bits: u64) -> f64 {
    f64::from_bits(bits)
}

/// `2^k` for `k` in the normal exponent range `-1022..=1023`.
#[inline]
fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `e^x` as numpy's `np.exp` computes it with SVML's `exp8_ha`.
///
/// `x = N·ln 2 + r` with `N = x·log2(e)` truncated toward −∞ to a multiple of
/// 1/16 (SVML adds a shifter in round-toward-zero mode; here the exact
/// product is floored with the help of its rounding error), `N = M + j/16`;
/// `r` by a two-part Cody–Waite reduction; `e^r − 1` by a degree-6
/// polynomial; result `2^M · Th_j · (1 + p)` with `Th_j = 2^(j/16)` rounded
/// and `p` absorbing `Th_j`'s relative rounding error `Tlr_j`.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= f(EXP_THRESHOLD) {
        // SVML's rare-case callout: overflow, underflow, NaN, infinities.
        return x.exp();
    }
    let log2e = f(EXP_LOG2E);
    // floor(16·x·log2(e)) of the exact product.
    let t = x * log2e;
    let err = x.mul_add(log2e, -t);
    let t16 = t * 16.0;
    let mut k = t16.floor();
    if k == t16 && err < 0.0 {
        k -= 1.0;
    }
    // |k| < 16 · 1021, so it is an exact integer.
    let k = k as i64;
    let n = k as f64 / 16.0;
    let j = k.rem_euclid(16) as usize;
    let m = k.div_euclid(16);

    let r = (-n).mul_add(f(EXP_LN2_HI), x);
    let r = (-f(EXP_LN2_LO)).mul_add(n, r);
    let r = f64::from_bits(r.to_bits() & EXP_R_MASK);
    let r2 = r * r;
    let a = f(EXP_C6).mul_add(r, f(EXP_C5));
    let b = f(EXP_C4).mul_add(r, f(EXP_C3));
    let c = f(EXP_C2).mul_add(r, f(EXP_C1));
    let p = r2.mul_add(a, b);
    let p = r2.mul_add(p, c);
    let p = p.mul_add(r, f(EXP_TLR[j]));
    let th = f(EXP_TH[j]);
    let res = th.mul_add(p, th);
    res * pow2(m)
}

/// `ln(x)` as numpy's `np.log` computes it with SVML's `log8_ha`.
///
/// `x = 2^E · m` with `m` in [1, 2); `rcp ≈ 1/m` (the hardware estimate)
/// rounded to a multiple of 1/32; `R = rcp·m − 1` (one fused operation); `log(1 + R)` by a degree-9
/// polynomial; result `E·ln 2 − log(rcp) + log(1 + R)` summed in two parts
/// (`-log rcp` and `ln 2` each as high + low). When `rcp < 0.75` the table
/// holds `-log(2·rcp)` and `E` is raised by one.
pub fn ln(x: f64) -> f64 {
    if !(x > 0.0 && x.is_finite()) {
        // SVML's rare-case callout: zero, negative, NaN, infinity.
        return x.ln();
    }
    // getexp / getmant, subnormals normalised first.
    let (bits, bias_shift) = if x < f64::MIN_POSITIVE {
        ((x * pow2(64)).to_bits(), 64)
    } else {
        (x.to_bits(), 0)
    };
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let mut e = (biased - 1023 - bias_shift) as f64;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);

    // vrcp14pd(m) rounded to 5 fraction bits (see LOG_RCP_STEPS).
    let above = LOG_RCP_STEPS.iter().filter(|&&step| m < f(step)).count();
    let rcp = (16 + above) as f64 / 32.0;
    let one = f(LOG_ONE);
    let r = rcp.mul_add(m, -one);
    if rcp < f(LOG_THREE_QUARTERS) {
        e += one;
    }
    let idx = ((rcp.to_bits() >> 48) & 15) as usize;

    let p7 = f(LOG_P7).mul_add(r, f(LOG_P6));
    let p9 = f(LOG_P9).mul_add(r, f(LOG_P8));
    let r2 = r * r;
    let p5 = f(LOG_P5).mul_add(r, f(LOG_P4));
    let hi_poly = r2.mul_add(p9, p7);
    let r4 = r2 * r2;
    let p3 = f(LOG_P3).mul_add(r, f(LOG_P2));
    let lo_poly = r2.mul_add(p5, p3);
    let th = e.mul_add(f(LOG_LN2_HI), f(LOG_TH[idx]));
    let poly = r4.mul_add(hi_poly, lo_poly);
    let high = th + r;
    let rh = high - th;
    let rl = r - rh;
    let poly = r2.mul_add(poly, rl);
    let low = f(LOG_LN2_LO).mul_add(e, f(LOG_TL[idx]));
    (poly + low) + high
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn exact_cases() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(1.0), std::f64::consts::E);
        assert_eq!(ln(2.0), std::f64::consts::LN_2);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert_eq!(exp(1000.0), f64::INFINITY);
    }

    #[test]
    fn close_to_libm_everywhere() {
        // Within one unit in the last place of the platform's functions.
        let mut x = 1e-300_f64;
        while x < 1e300 {
            let (a, b) = (ln(x), x.ln());
            assert!((a - b).abs() <= b.abs() * 2.3e-16, "ln({x}): {a} vs {b}");
            x *= 1.37;
        }
        let subnormal = 3e-320_f64;
        assert!((ln(subnormal) - subnormal.ln()).abs() < 1e-13);
        let mut y = -707.0_f64;
        while y < 707.0 {
            let (a, b) = (exp(y), y.exp());
            assert!((a - b).abs() <= b * 2.3e-16, "exp({y}): {a} vs {b}");
            y += 0.731;
        }
    }
}
