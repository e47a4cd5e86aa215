//! The state of a CMA-ES run: a plain struct of `f64` vectors and counters,
//! and its flat serialisation (one `Vec<f64>`), so a study can store it and
//! any worker can continue from it. The strategy constants are not stored:
//! they follow from (kind, n, λ) ([`super::strategy::Strategy`]).

use super::strategy::Kind;
use super::CmaError;

/// Layout version of [`CmaState::to_flat`].
const VERSION: f64 = 1.0;
/// Fields before the vectors: version, kind, n, λ, generation, epoch, restarts, σ₀, σ, funhist length, margin flag.
const HEADER: usize = 11;

/// Everything that changes during a run.
#[derive(Debug, Clone, PartialEq)]
pub struct CmaState {
    pub kind: Kind,
    /// Dimensions.
    pub n: usize,
    /// Population size λ of the current run.
    pub popsize: usize,
    /// Updates of the current run (the tutorial's g; restarts set it to 0).
    pub generation: u64,
    /// Updates since the first run started (every run counted): a study's
    /// generation number, which keys the candidates' random streams.
    pub epoch: u64,
    /// IPOP restarts so far.
    pub restarts: u32,
    /// The step size the current run started with (the tolx criterion is relative to it).
    pub sigma0: f64,
    pub mean: Vec<f64>,
    pub sigma: f64,
    /// `n × n` row-major (full) or the `n` diagonal entries (separable).
    pub cov: Vec<f64>,
    pub p_sigma: Vec<f64>,
    pub pc: Vec<f64>,
    /// Best and worst value of the last `funhist_term` generations (pairs; NaN until set).
    pub funhist: Vec<f64>,
    /// The margin's per-coordinate scale A (empty without margin).
    pub margin_a: Vec<f64>,
}

impl CmaState {
    /// A fresh run: the given mean, step size and covariance (identity when `None`).
    pub fn new(
        kind: Kind,
        mean: Vec<f64>,
        sigma: f64,
        cov: Option<Vec<f64>>,
        popsize: usize,
        funhist_term: usize,
        margin: bool,
    ) -> Self {
        let n = mean.len();
        let cov = cov.unwrap_or_else(|| match kind {
            Kind::Full => {
                let mut c = vec![0.0; n * n];
                for i in 0..n {
                    c[i * n + i] = 1.0;
                }
                c
            }
            Kind::Separable => vec![1.0; n],
        });
        Self {
            kind,
            n,
            popsize,
            generation: 0,
            epoch: 0,
            restarts: 0,
            sigma0: sigma,
            mean,
            sigma,
            cov,
            p_sigma: vec![0.0; n],
            pc: vec![0.0; n],
            funhist: vec![f64::NAN; 2 * funhist_term],
            margin_a: if margin { vec![1.0; n] } else { Vec::new() },
        }
    }

    /// Entry (i, j) of the covariance matrix (0 off the diagonal when separable).
    pub fn c(&self, i: usize, j: usize) -> f64 {
        match self.kind {
            Kind::Full => self.cov[i * self.n + j],
            Kind::Separable => {
                if i == j {
                    self.cov[i]
                } else {
                    0.0
                }
            }
        }
    }

    /// The diagonal of the covariance matrix.
    pub fn diagonal(&self) -> Vec<f64> {
        (0..self.n).map(|i| self.c(i, i)).collect()
    }

    /// The state as one vector: a header, then mean, covariance (the upper
    /// triangle row by row when full), p_σ, p_c, the value history and A.
    pub fn to_flat(&self) -> Vec<f64> {
        let n = self.n;
        let mut out = Vec::with_capacity(HEADER + 4 * n + n * (n + 1) / 2 + self.funhist.len());
        out.extend_from_slice(&[
            VERSION,
            match self.kind {
                Kind::Full => 0.0,
                Kind::Separable => 1.0,
            },
            n as f64,
            self.popsize as f64,
            self.generation as f64,
            self.epoch as f64,
            f64::from(self.restarts),
            self.sigma0,
            self.sigma,
            self.funhist.len() as f64,
            if self.margin_a.is_empty() { 0.0 } else { 1.0 },
        ]);
        out.extend_from_slice(&self.mean);
        match self.kind {
            Kind::Full => {
                for i in 0..n {
                    out.extend_from_slice(&self.cov[i * n + i..(i + 1) * n]);
                }
            }
            Kind::Separable => out.extend_from_slice(&self.cov),
        }
        out.extend_from_slice(&self.p_sigma);
        out.extend_from_slice(&self.pc);
        out.extend_from_slice(&self.funhist);
        out.extend_from_slice(&self.margin_a);
        out
    }

    /// The state [`CmaState::to_flat`] wrote, checked (lengths, counters,
    /// finite mean, covariance and step size).
    pub fn from_flat(flat: &[f64]) -> Result<Self, CmaError> {
        let bad = |what: String| CmaError::State(what);
        if flat.len() < HEADER {
            return Err(bad(format!(
                "{} numbers, fewer than its header",
                flat.len()
            )));
        }
        if flat[0] != VERSION {
            return Err(bad(format!(
                "layout version {}, expected {VERSION}",
                flat[0]
            )));
        }
        let count = |i: usize, name: &str| -> Result<usize, CmaError> {
            let v = flat[i];
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9.0e15 {
                Ok(v as usize)
            } else {
                Err(bad(format!("{name} is {v}, not a count")))
            }
        };
        let kind = match flat[1] {
            0.0 => Kind::Full,
            1.0 => Kind::Separable,
            k => return Err(bad(format!("kind {k}, expected 0 (full) or 1 (separable)"))),
        };
        let n = count(2, "n")?;
        let popsize = count(3, "popsize")?;
        let generation = count(4, "generation")? as u64;
        let epoch = count(5, "epoch")? as u64;
        let restarts = u32::try_from(count(6, "restarts")?)
            .map_err(|_| bad("restarts out of range".into()))?;
        let sigma0 = flat[7];
        let sigma = flat[8];
        let funhist_len = count(9, "the value history's length")?;
        let margin = match flat[10] {
            0.0 => false,
            1.0 => true,
            m => return Err(bad(format!("margin flag {m}"))),
        };
        if n == 0 || n > 1 << 16 {
            return Err(bad(format!("n = {n}")));
        }
        if !(2..=super::options::MAX_POPSIZE).contains(&popsize) {
            return Err(bad(format!("popsize = {popsize}")));
        }
        if !(sigma0.is_finite() && sigma0 > 0.0 && sigma.is_finite() && sigma > 0.0) {
            return Err(bad(format!("step sizes {sigma0} and {sigma}")));
        }
        let cov_len = match kind {
            Kind::Full => n * (n + 1) / 2,
            Kind::Separable => n,
        };
        let expected = HEADER + 3 * n + cov_len + funhist_len + if margin { n } else { 0 };
        if flat.len() != expected {
            return Err(bad(format!(
                "{} numbers, expected {expected} for n = {n}",
                flat.len()
            )));
        }
        let mut at = HEADER;
        let mut take = |len: usize| {
            let part = flat[at..at + len].to_vec();
            at += len;
            part
        };
        let mean = take(n);
        let packed = take(cov_len);
        let p_sigma = take(n);
        let pc = take(n);
        let funhist = take(funhist_len);
        let margin_a = if margin { take(n) } else { Vec::new() };
        let cov = match kind {
            Kind::Full => {
                let mut c = vec![0.0; n * n];
                let mut k = 0;
                for i in 0..n {
                    for j in i..n {
                        c[i * n + j] = packed[k];
                        c[j * n + i] = packed[k];
                        k += 1;
                    }
                }
                c
            }
            Kind::Separable => packed,
        };
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        if !(finite(&mean) && finite(&cov) && finite(&p_sigma) && finite(&pc) && finite(&margin_a))
        {
            return Err(bad("a non-finite mean, covariance or path".into()));
        }
        Ok(Self {
            kind,
            n,
            popsize,
            generation,
            epoch,
            restarts,
            sigma0,
            mean,
            sigma,
            cov,
            p_sigma,
            pc,
            funhist,
            margin_a,
        })
    }
}
