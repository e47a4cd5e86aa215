//! The strategy parameters of Hansen's tutorial (*The CMA Evolution
//! Strategy: A Tutorial*, 2016, eqs. 48–56 and p. 28), as the `cmaes`
//! package sets them: recombination weights (negative ones too: active CMA),
//! μ_eff, the learning rates c₁, c_μ, c_c, c_σ and the damping d_σ; and the
//! separable variant's (Ros & Hansen, *A Simple Modification in CMA-ES
//! Achieving Linear Time and Space Complexity*, PPSN 2008): positive weights
//! only, c_μ scaled by (n + 2)/3, c_c = 4/(n + 4).
//!
//! Nothing here is stored: the parameters follow from (n, λ, kind).

/// Which covariance model a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A full covariance matrix.
    Full,
    /// A diagonal covariance matrix (sep-CMA-ES).
    Separable,
}

/// The constants of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    pub n: usize,
    pub lambda: usize,
    pub mu: usize,
    /// λ weights (full: the last ones negative) or μ weights (separable).
    pub weights: Vec<f64>,
    pub mu_eff: f64,
    pub c1: f64,
    pub cmu: f64,
    pub cc: f64,
    pub c_sigma: f64,
    pub d_sigma: f64,
    pub cm: f64,
    /// E‖N(0, I)‖ ≈ √n (1 − 1/(4n) + 1/(21n²)).
    pub chi_n: f64,
    /// Generations of best and worst values kept for the tolfun criterion: 10 + ⌈30n/λ⌉.
    pub funhist_term: usize,
}

impl Strategy {
    /// The constants for `n` dimensions and population `lambda` (≥ 2).
    pub fn new(kind: Kind, n: usize, lambda: usize) -> Self {
        match kind {
            Kind::Full => Self::full(n, lambda),
            Kind::Separable => Self::separable(n, lambda),
        }
    }

    fn common(n: usize, lambda: usize) -> (f64, f64, usize) {
        let nf = n as f64;
        let chi_n = nf.sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (21.0 * nf * nf));
        let funhist_term = 10 + (30.0 * nf / lambda as f64).ceil() as usize;
        (nf, chi_n, funhist_term)
    }

    fn full(n: usize, lambda: usize) -> Self {
        let (nf, chi_n, funhist_term) = Self::common(n, lambda);
        let mu = lambda / 2;
        // eq. 49
        let prime: Vec<f64> = (0..lambda)
            .map(|i| ((lambda as f64 + 1.0) / 2.0).ln() - ((i + 1) as f64).ln())
            .collect();
        let eff = |w: &[f64]| {
            let s: f64 = w.iter().sum();
            let s2: f64 = w.iter().map(|x| x * x).sum();
            s * s / s2
        };
        let mu_eff = eff(&prime[..mu]);
        let mu_eff_minus = eff(&prime[mu..]);
        let alpha_cov = 2.0;
        let c1 = alpha_cov / ((nf + 1.3).powi(2) + mu_eff);
        let cmu = (1.0 - c1 - 1e-8).min(
            alpha_cov * (mu_eff - 2.0 + 1.0 / mu_eff)
                / ((nf + 2.0).powi(2) + alpha_cov * mu_eff / 2.0),
        );
        // eqs. 50–52
        let min_alpha = (1.0 + c1 / cmu)
            .min(1.0 + 2.0 * mu_eff_minus / (mu_eff + 2.0))
            .min((1.0 - c1 - cmu) / (nf * cmu));
        // eq. 53
        let positive: f64 = prime.iter().filter(|&&w| w > 0.0).sum();
        let negative: f64 = prime.iter().filter(|&&w| w < 0.0).map(|w| -w).sum();
        let weights = prime
            .iter()
            .map(|&w| {
                if w >= 0.0 {
                    w / positive
                } else {
                    min_alpha / negative * w
                }
            })
            .collect();
        // eqs. 55–56
        let c_sigma = (mu_eff + 2.0) / (nf + mu_eff + 5.0);
        let d_sigma = 1.0 + 2.0 * (((mu_eff - 1.0) / (nf + 1.0)).sqrt() - 1.0).max(0.0) + c_sigma;
        let cc = (4.0 + mu_eff / nf) / (nf + 4.0 + 2.0 * mu_eff / nf);
        Self {
            n,
            lambda,
            mu,
            weights,
            mu_eff,
            c1,
            cmu,
            cc,
            c_sigma,
            d_sigma,
            cm: 1.0,
            chi_n,
            funhist_term,
        }
    }

    fn separable(n: usize, lambda: usize) -> Self {
        let (nf, chi_n, funhist_term) = Self::common(n, lambda);
        let mu = lambda / 2;
        let prime: Vec<f64> = (0..mu)
            .map(|i| ((mu + 1) as f64).ln() - ((i + 1) as f64).ln())
            .collect();
        let total: f64 = prime.iter().sum();
        let weights: Vec<f64> = prime.iter().map(|w| w / total).collect();
        let mu_eff = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
        let c1 = 2.0 / ((nf + 1.3).powi(2) + mu_eff);
        let cmu_full = 2.0 / mu_eff / (nf + std::f64::consts::SQRT_2).powi(2)
            + (1.0 - 1.0 / mu_eff)
                * ((2.0 * mu_eff - 1.0) / ((nf + 2.0).powi(2) + mu_eff)).min(1.0);
        let cmu = (nf + 2.0) / 3.0 * cmu_full;
        let c_sigma = (mu_eff + 2.0) / (nf + mu_eff + 3.0);
        let d_sigma = 1.0 + 2.0 * (((mu_eff - 1.0) / (nf + 1.0)).sqrt() - 1.0).max(0.0) + c_sigma;
        let cc = 4.0 / (nf + 4.0);
        Self {
            n,
            lambda,
            mu,
            weights,
            mu_eff,
            c1,
            cmu,
            cc,
            c_sigma,
            d_sigma,
            cm: 1.0,
            chi_n,
            funhist_term,
        }
    }
}
